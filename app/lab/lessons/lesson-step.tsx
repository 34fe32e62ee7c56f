'use client';
// One step of the lesson panel: ticked when over; the current one expanded with its instructions, the prediction to
// make first, the check's feedback, hints one at a time, "show me" (through the same dispatch) and skip.
import { useState } from 'react';
import type { LessonStep as Step } from '@/lib/lessons/lesson-types';
import type { LabView } from '@/machines/lab-types';
import type { StepStatus } from '@/machines/lessons/evaluate';
import type { LessonRun, LessonRunState } from '@/machines/lessons/lesson-run';
import type { Route } from '../navigation';
import { Button } from '../components/ui/button';
import { withBackupFileName } from './backup-file-name';
import { PredictionForm, PredictionResult } from './prediction';
import { StepFeedback } from './step-feedback';

const MARK: Record<StepStatus['state'], { icon: string; text: string; className: string }> = {
  done: { icon: '✓', text: 'done', className: 'bg-green-700 text-white dark:bg-green-600' },
  shown: { icon: '✓', text: 'done with “show me”', className: 'bg-blue-700 text-white dark:bg-blue-600' },
  skipped: { icon: '↷', text: 'skipped', className: 'bg-slate-500 text-white dark:bg-slate-500' },
  current: { icon: '•', text: 'current step', className: 'border-2 border-blue-700 text-blue-800 dark:border-sky-400 dark:text-sky-300' },
  pending: { icon: '', text: 'not started', className: 'border border-slate-400 dark:border-slate-500' },
};

/** The heading over a step's "why" once it is over: a refusal met on purpose did not "work". */
const WHY_HEADING: Record<NonNullable<Step['expectedOutcome']>, string> = {
  success: 'Why it worked',
  failure: 'Why it failed',
  mixed: 'Why',
};

function hintLabel(step: Step, used: number): string {
  if (step.hints.length === 0) return 'No hints';
  if (used === 0) return 'Show a hint';
  const left = step.hints.length - used;
  return left > 0 ? `Next hint (${left} left)` : 'No more hints';
}

function hintRefusal(step: Step, used: number): string | null {
  if (step.hints.length === 0) return 'This step has no hints; “Show me” does it for you.';
  if (used < step.hints.length) return null;
  const shown = step.hints.length === 1 ? 'Its one hint is shown above' : `All ${step.hints.length} hints are shown above`;
  return `${shown}; “Show me” does the step for you.`;
}

function Terminal({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded bg-slate-900 p-2 dark:bg-black">
      <p className="mb-1 text-xs text-slate-300">On your computer, in a terminal:</p>
      <pre className="overflow-x-auto text-xs whitespace-pre-wrap text-slate-100" data-testid="terminal">
        <code>{text}</code>
      </pre>
      <button
        type="button"
        className="mt-1 rounded border border-slate-400 px-2 py-0.5 text-xs text-slate-100 hover:bg-slate-700"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined);
        }}
      >
        {copied ? 'Copied' : 'Copy command'}
      </button>
    </div>
  );
}

function Evidence({ step, navigate, showRecovery }: { step: Step; navigate: (r: Route) => void; showRecovery: () => void }) {
  if (step.evidence === 'keyMap') return <Button size="sm" variant="ghost" onClick={() => navigate({ kind: 'keymap' })}>Open the Key map</Button>;
  if (step.evidence === 'recovery') return <Button size="sm" variant="ghost" onClick={showRecovery}>Open Recovery status</Button>;
  if (step.evidence === 'events') return <p className="text-xs text-slate-700 dark:text-slate-300">The evidence is in the event console below the page.</p>;
  return null;
}

export function LessonStepItem(props: {
  step: Step;
  index: number;
  status: StepStatus;
  state: LessonRunState;
  run: LessonRun;
  view: LabView;
  navigate: (r: Route) => void;
  showRecovery: () => void;
}) {
  const { step, index, status, state, run, view, navigate, showRecovery } = props;
  const progress = state.progress.steps[step.id];
  const hintsUsed = progress?.hintsUsed ?? 0;
  const prediction = state.progress.predictions[step.id];
  const mark = MARK[status.state];
  const current = status.state === 'current';
  const over = status.state === 'done' || status.state === 'shown' || status.state === 'skipped';
  const headingId = `lesson-step-${step.id}`;
  const lastShow = state.lastShowMe?.stepId === step.id ? state.lastShowMe : null;

  return (
    <li
      aria-labelledby={headingId}
      aria-current={current ? 'step' : undefined}
      data-step={step.id}
      data-state={status.state}
      className={`rounded border p-2 ${current ? 'border-blue-600 bg-white dark:border-sky-500 dark:bg-slate-900' : 'border-slate-300 dark:border-slate-700'}`}
    >
      <h3 id={headingId} className="flex items-center gap-2 text-sm font-semibold text-slate-900 dark:text-slate-100">
        <span aria-hidden="true" className={`inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs ${mark.className}`}>
          {mark.icon}
        </span>
        <span>
          {index + 1}. {step.title}
          <span className="sr-only"> ({mark.text})</span>
        </span>
      </h3>

      {current ? (
        <div className="mt-2 flex flex-col gap-2">
          <p className="text-sm text-slate-800 dark:text-slate-200">{step.instructions}</p>
          {step.terminal ? <Terminal text={withBackupFileName(step.terminal, view)} /> : null}
          {step.predict ? (
            prediction ? (
              <PredictionResult predict={step.predict} record={prediction} />
            ) : (
              <PredictionForm predict={step.predict} view={view} baseline={state.progress.baseline} onSubmit={(answers) => run.predict(step.id, answers)} />
            )
          ) : null}
          {status.state === 'current' ? <StepFeedback check={status.check} /> : null}
          {hintsUsed > 0 ? (
            <ol className="list-decimal pl-5 text-sm text-slate-800 dark:text-slate-200" aria-label="Hints">
              {step.hints.slice(0, hintsUsed).map((h) => (
                <li key={h}>{h}</li>
              ))}
            </ol>
          ) : null}
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-800 dark:text-slate-200">Why this matters</summary>
            <p className="mt-1 text-slate-700 dark:text-slate-300">{step.why}</p>
          </details>
          <div className="flex flex-wrap items-start gap-2">
            <Button size="sm" onClick={() => run.revealHint(step.id)} disabledReason={hintRefusal(step, hintsUsed)}>
              {hintLabel(step, hintsUsed)}
            </Button>
            <Button
              size="sm"
              onClick={() => void run.showMe()}
              disabledReason={!step.showMe ? 'This step cannot be shown.' : state.busy ? 'Working…' : null}
              reasonHidden
            >
              Show me
            </Button>
            <Button size="sm" variant="ghost" onClick={() => run.skip()}>
              Skip step
            </Button>
            <Evidence step={step} navigate={navigate} showRecovery={showRecovery} />
          </div>
          {lastShow ? (
            <div role="status" data-testid="show-me-result" className="rounded bg-slate-100 p-2 text-sm text-slate-800 dark:bg-slate-800 dark:text-slate-200">
              <p className="font-medium">“Show me” did this through the lab, exactly as your clicks would:</p>
              <ul className="list-disc pl-5">
                {lastShow.messages.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}

      {over ? (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
            {status.state === 'skipped' ? 'Skipped: what it was about' : WHY_HEADING[step.expectedOutcome ?? 'success']}
          </summary>
          <div className="mt-1 flex flex-col gap-2">
            <p className="text-slate-700 dark:text-slate-300">{step.why}</p>
            {lastShow ? (
              <ul className="list-disc pl-5 text-slate-700 dark:text-slate-300" aria-label="What show me did">
                {lastShow.messages.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </details>
      ) : null}
      {over && step.predict && prediction?.observed ? (
        <div className="mt-2">
          <PredictionResult predict={step.predict} record={prediction} />
        </div>
      ) : null}
    </li>
  );
}
