'use client';
// What the lab page shows while the lab is not (yet) usable in this tab: opening, open in another tab (with
// "Use it here instead"), moved to another tab, or an error that says what happened and offers a way on.
import { useState, type ReactNode } from 'react';
import { Button } from '../components/ui/button';
import type { LabErrorKind, LabSessionState } from '../session/tab-lab-session';
import { ResetLab } from './reset-lab';

export function Screen({ title, children, busy = false }: { title: string; children?: ReactNode; busy?: boolean }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6" aria-busy={busy || undefined}>
      <div className="w-full max-w-lg rounded-lg border border-slate-300 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <p className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">keylab</p>
        <h1 className="mb-3 text-xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function OpeningScreen({ message }: { message: string }) {
  return (
    <Screen title="Opening the lab" busy>
      <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {message}
      </p>
      <div className="mt-4 h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700" aria-hidden="true">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-blue-600 dark:bg-blue-400" />
      </div>
    </Screen>
  );
}

export function ElsewhereScreen({ onTakeOver, handedOver }: { onTakeOver: () => void; handedOver: boolean }) {
  return (
    <Screen title={handedOver ? 'The lab moved to another tab' : 'This lab is open in another tab'}>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {handedOver
          ? 'Another tab took this lab over. This tab stopped using it, so nothing was lost or written twice.'
          : 'One lab can be used by one tab at a time, so that two tabs never write over each other’s disks and keys.'}
      </p>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Use it here instead: the other tab saves the lab and lets go, then it opens here.
      </p>
      <div className="mt-4">
        <Button variant="primary" onClick={onTakeOver}>
          Use it here instead
        </Button>
      </div>
    </Screen>
  );
}

export interface ErrorScreenProps {
  title: string;
  message: string;
  /** What is wrong with a damaged saved lab, one sentence each. */
  problems?: string[];
  kind?: LabErrorKind;
  onRetry: () => void;
  /** "Reset lab…" (the sandbox); a lesson gives its own way on in `actions` instead. */
  onReset?: () => void;
  /** What the learner can do, one paragraph (the sandbox's advice when not given). */
  advice?: string;
  /** Controls after Try again and Download (a lesson's Restart lesson… and Back to lessons). */
  actions?: ReactNode;
  /** Hands the learner a file: the damaged saved lab, or what is stored when its record is missing. */
  onDownload?: () => Promise<void>;
}

const DOWNLOAD_LABEL: Record<LabErrorKind, string> = {
  damaged: 'Download the damaged lab',
  missing: 'Download what is there',
  failed: 'Download the saved lab',
};

export function ErrorScreen(props: ErrorScreenProps) {
  const { title, message, problems = [], kind = 'failed', onRetry, onReset, advice, actions, onDownload } = props;
  const [download, setDownload] = useState<{ state: 'idle' | 'busy' | 'done' | 'failed'; text?: string }>({ state: 'idle' });
  const runDownload = async () => {
    if (!onDownload) return;
    setDownload({ state: 'busy' });
    try {
      await onDownload();
      setDownload({ state: 'done', text: 'Downloaded: keep the file, then reset the lab if you want to start again.' });
    } catch (error) {
      console.error('keylab: the download failed', error);
      setDownload({ state: 'failed', text: 'The download could not be made: there is no saved lab to hand over.' });
    }
  };
  return (
    <Screen title={title}>
      <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
        {message}
      </p>
      {problems.length > 0 ? (
        <div className="mt-3">
          <h2 className="text-sm font-semibold">What is wrong</h2>
          <ul className="mt-1 list-disc pl-5 text-sm text-slate-700 dark:text-slate-300" aria-label="What is wrong">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
        {advice ??
          (kind === 'missing'
            ? 'Nothing has been changed. Download what is there first if you want to keep it; resetting starts a new lab over it.'
            : 'Your lab is still saved in this browser, as it was. Try again first; download it to keep a copy; reset the lab only if it keeps failing (that starts it over from the beginning).')}
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        {kind !== 'missing' ? (
          <Button variant="primary" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
        {onDownload ? (
          <Button variant={kind === 'missing' ? 'primary' : 'secondary'} onClick={() => void runDownload()} disabledReason={download.state === 'busy' ? 'Preparing the file…' : null}>
            {DOWNLOAD_LABEL[kind]}
          </Button>
        ) : null}
        {onReset ? <ResetLab onReset={onReset} size="md" /> : null}
        {actions}
      </div>
      {download.text ? (
        <p role="status" className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          {download.text}
        </p>
      ) : null}
    </Screen>
  );
}

export type { LabSessionState };
