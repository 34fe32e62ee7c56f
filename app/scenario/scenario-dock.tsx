'use client';
// The scenario's docked panel: its title and briefing, the learner's variant, the backup it hands out, its own lesson
// steps (as written), and the scenario as a file or a link to pass on; beside it the recovery status of its lab.
import { useState } from 'react';
import { lessonEntry } from '@/lib/lessons';
import type { Lab } from '@/machines/lab-types';
import type { OpenedScenario } from '@/machines/scenario/open-scenario';
import { Button } from '../lab/components/ui/button';
import { Handout } from '../lab/lessons/handout';
import { RecoveryPanel } from '../lab/lessons/recovery-panel';
import { SideDock } from '../lab/lessons/side-dock';
import { downloadBytes } from '../lab/pages/providers/download';

function Share({ opened }: { opened: OpenedScenario }) {
  const [copied, setCopied] = useState<string | null>(null);
  const { scenario, learnerSeed } = opened.record;
  const copy = async () => {
    const { scenarioLink } = await import('@/lib/scenario');
    const link = await scenarioLink(window.location.origin, scenario, learnerSeed ?? undefined);
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied. Whoever opens it gets this scenario' + (learnerSeed ? ', in your variant.' : '.'));
    } catch {
      setCopied(`Copy this link: ${link}`);
    }
  };
  const download = async () => {
    const { scenarioFileName, scenarioFileText } = await import('@/lib/scenario');
    downloadBytes(new TextEncoder().encode(scenarioFileText(scenario)), scenarioFileName(scenario), 'application/json');
  };
  return (
    <section aria-labelledby="share-title" className="flex flex-col gap-2">
      <h3 id="share-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        Pass it on
      </h3>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => void copy()}>
          Copy link
        </Button>
        <Button size="sm" onClick={() => void download()}>
          Download scenario file
        </Button>
      </div>
      {copied ? (
        <p role="status" className="text-sm break-all text-slate-700 dark:text-slate-300">
          {copied}
        </p>
      ) : null}
    </section>
  );
}

/** The catalogue lesson the scenario was written for, to read up on (it runs in a lab of its own). */
function LessonNote({ lessonId }: { lessonId: string | undefined }) {
  const entry = lessonId ? lessonEntry(lessonId) : undefined;
  if (!lessonId) return null;
  return (
    <p className="mt-2 text-slate-700 dark:text-slate-300">
      {entry ? (
        <>
          Written for{' '}
          <a className="text-blue-800 underline underline-offset-2 dark:text-sky-300" href={`/lab?lesson=${entry.id}`}>
            lesson {entry.order}: {entry.title}
          </a>{' '}
          (it opens in a lab of its own; this one stays as it is).
        </>
      ) : (
        <>Written for a lesson this keylab does not have (“{lessonId}”).</>
      )}
    </p>
  );
}

function Briefing({ opened }: { opened: OpenedScenario }) {
  const { concrete, record } = opened;
  return (
    <div className="flex flex-col gap-3 text-sm text-slate-800 dark:text-slate-200" data-testid="scenario-briefing">
      <section aria-labelledby="briefing-title">
        <h2 id="briefing-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
          {concrete.title}
        </h2>
        {concrete.briefing ? <p className="mt-1 whitespace-pre-line">{concrete.briefing}</p> : null}
        {record.learnerSeed ? (
          <p className="mt-2 text-slate-700 dark:text-slate-300">
            Your variant: <span className="font-mono font-semibold" data-testid="learner-seed">{record.learnerSeed}</span>. Names, faults and data are your own;
            give this to your instructor if they ask which world you had.
          </p>
        ) : null}
        <LessonNote lessonId={concrete.lessonId} />
      </section>
      {record.handout ? <Handout handout={record.handout} note={undefined} /> : null}
      {concrete.steps?.length ? (
        <section aria-labelledby="steps-title">
          <h3 id="steps-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
            What to do
          </h3>
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            {concrete.steps.map((step) => (
              <li key={step.id}>
                <span className="font-medium">{step.title}.</span> {step.instructions}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <Share opened={opened} />
    </div>
  );
}

export function ScenarioDock({ lab, opened }: { lab: Lab; opened: OpenedScenario }) {
  const [tab, setTab] = useState('briefing');
  return (
    <SideDock
      label="Scenario"
      selectedId={tab}
      onSelect={setTab}
      tabs={[
        { id: 'briefing', label: 'Briefing', content: <Briefing opened={opened} /> },
        { id: 'recovery', label: 'Recovery status', content: <RecoveryPanel lab={lab} /> },
      ]}
    />
  );
}
