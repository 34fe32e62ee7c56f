'use client';
// /scenario's client root: reads the link (or a file), says plainly what is wrong with a bad one, asks before it
// touches a lab of this scenario already begun here (Continue, or Start over with the current lab offered as a file
// first), then opens the scenario in its own lab. The sandbox, lessons and other scenarios are never touched.
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { ScenarioV2 } from '@/lib/scenario';
import { Button, buttonClass } from '../lab/components/ui/button';
import { downloadBytes } from '../lab/pages/providers/download';
import { OpeningScreen, Screen } from '../lab/workspace/session-screens';
import { ScenarioFileButton } from './scenario-file-button';
import { learnerSeedFor, readRequest } from './scenario-link-reader';
import { ScenarioLab } from './scenario-lab';
import { getScenarioSession, type ScenarioOpening } from './scenario-session';

type Stage =
  | { kind: 'reading' }
  | { kind: 'none' }
  | { kind: 'refused'; message: string; problems: string[] }
  | { kind: 'ask'; opening: Required<Pick<ScenarioOpening, 'key' | 'start'>>; startedWallMs: number }
  | { kind: 'lab'; opening: ScenarioOpening };

const UNTOUCHED = 'Nothing in this browser was changed: the sandbox, your lessons and any other scenario are as you left them.';

/** The address bar names the lab from here on (a reload opens it again); the workspace's routes follow after a #. */
function showLabInAddressBar(key: string) {
  window.history.replaceState(null, '', `${window.location.pathname}?lab=${key}`);
}

export function ScenarioApp() {
  const [stage, setStage] = useState<Stage>({ kind: 'reading' });

  const consider = useCallback(async (scenario: ScenarioV2, fromLink: string | null) => {
    const [{ variantKey }, { peekScenarioLab }] = await Promise.all([import('@/lib/scenario'), import('@/machines/scenario/open-scenario')]);
    const learnerSeed = learnerSeedFor(scenario, fromLink, variantKey(scenario, null));
    const key = variantKey(scenario, learnerSeed);
    const begun = await peekScenarioLab(key);
    const opening = { key, start: { scenario, learnerSeed } };
    if (begun) {
      setStage({ kind: 'ask', opening, startedWallMs: begun.startedWallMs });
      return;
    }
    showLabInAddressBar(key);
    setStage({ kind: 'lab', opening });
  }, []);

  useEffect(() => {
    const read = async () => {
      const { decodeScenarioFragment, ScenarioLinkError } = await import('@/lib/scenario');
      const request = readRequest(window.location);
      if (request.kind === 'none') return setStage({ kind: 'none' });
      if (request.kind === 'stored') return setStage({ kind: 'lab', opening: { key: request.key } });
      setStage({ kind: 'reading' });
      try {
        const { scenario, learnerSeed } = await decodeScenarioFragment(request.fragment);
        await consider(scenario, learnerSeed);
      } catch (error) {
        if (error instanceof ScenarioLinkError) setStage({ kind: 'refused', message: error.message, problems: error.problems });
        else {
          console.error('keylab: opening a scenario link failed', error);
          setStage({ kind: 'refused', message: 'This link could not be opened in this browser (the details are in the browser’s console).', problems: [] });
        }
      }
    };
    void read();
    // Another link pasted over this page's address changes only the fragment: read it too. The workspace's own
    // routes (#/…) are its business.
    const onHashChange = () => {
      if (readRequest(window.location).kind === 'link') void read();
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [consider]);

  const fromFile = (scenario: ScenarioV2) => {
    setStage({ kind: 'reading' });
    void consider(scenario, null);
  };

  switch (stage.kind) {
    case 'reading':
      return <OpeningScreen message="Reading the scenario…" />;
    case 'lab':
      return <ScenarioLab key={stage.opening.key + String(stage.opening.startOver ?? '')} opening={stage.opening} />;
    case 'ask':
      return (
        <AskFirst
          stage={stage}
          onContinue={() => {
            showLabInAddressBar(stage.opening.key);
            setStage({ kind: 'lab', opening: { ...stage.opening } });
          }}
          onStartOver={() => {
            showLabInAddressBar(stage.opening.key);
            setStage({ kind: 'lab', opening: { ...stage.opening, startOver: true } });
          }}
        />
      );
    case 'refused':
      return (
        <Screen title="This scenario link cannot be opened">
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100" data-testid="link-problem">
            {stage.message}
          </p>
          {stage.problems.length > 0 ? (
            <div className="mt-3">
              <h2 className="text-sm font-semibold">What is wrong</h2>
              <ul className="mt-1 list-disc pl-5 text-sm text-slate-700 dark:text-slate-300" aria-label="What is wrong">
                {stage.problems.slice(0, 10).map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">{UNTOUCHED}</p>
          <Ways onScenario={fromFile} />
        </Screen>
      );
    default:
      return (
        <Screen title="Open a scenario">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            A scenario is a prepared situation (a datacenter with its faults already there) that an instructor or a colleague shares as a link or a
            file. This address carries none: open the link you were given, or a scenario file.
          </p>
          <Ways onScenario={fromFile} primary />
        </Screen>
      );
  }
}

function Ways({ onScenario, primary = false }: { onScenario: (s: ScenarioV2) => void; primary?: boolean }) {
  return (
    <div className="mt-4 flex flex-wrap items-start gap-2">
      <ScenarioFileButton onScenario={onScenario} variant={primary ? 'primary' : 'secondary'} />
      <Link className={buttonClass('secondary', 'md')} href="/scenario/builder">
        Build a scenario
      </Link>
      <Link className={buttonClass('secondary', 'md')} href="/lab">
        Open the sandbox
      </Link>
      <Link className={buttonClass('secondary', 'md')} href="/">
        Home
      </Link>
    </div>
  );
}

function AskFirst({ stage, onContinue, onStartOver }: { stage: Extract<Stage, { kind: 'ask' }>; onContinue: () => void; onStartOver: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [download, setDownload] = useState<string | null>(null);
  const { scenario } = stage.opening.start;
  const when = new Date(stage.startedWallMs).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
  const keep = async () => {
    const file = await getScenarioSession(stage.opening).savedLabDownload();
    if (!file) {
      setDownload('There is no saved lab to download.');
      return;
    }
    downloadBytes(new TextEncoder().encode(file.text), file.fileName, 'application/json');
    setDownload(`Downloaded ${file.fileName}.`);
  };
  return (
    <Screen title={scenario.title}>
      {scenario.briefing ? <p className="text-sm whitespace-pre-line text-slate-800 dark:text-slate-200">{scenario.briefing}</p> : null}
      <p className="mt-3 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100" data-testid="ask-first">
        You began this scenario in this browser on {when}, and its lab is kept as you left it. Continue where you left off, or start it over from
        the beginning.
      </p>
      {!confirming ? (
        <div className="mt-4 flex flex-wrap gap-2">
          <Button variant="primary" onClick={onContinue}>
            Continue where I left off
          </Button>
          <Button onClick={() => setConfirming(true)}>Start over…</Button>
        </div>
      ) : (
        <section aria-labelledby="start-over-title" className="mt-4 rounded border border-slate-300 p-3 dark:border-slate-600">
          <h2 id="start-over-title" className="text-sm font-semibold">
            Start over?
          </h2>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            Your lab in this scenario (its VMs, disks and keys as you changed them) is thrown away and built again from the link. Download it first
            to keep a copy. The sandbox and your lessons are not touched.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button onClick={() => void keep()}>Download the current lab</Button>
            <Button variant="danger" onClick={onStartOver}>
              Start over
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
          {download ? (
            <p role="status" className="mt-2 text-sm text-slate-700 dark:text-slate-300">
              {download}
            </p>
          ) : null}
        </section>
      )}
    </Screen>
  );
}
