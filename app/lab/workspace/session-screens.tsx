'use client';
// What the lab page shows while the lab is not (yet) usable in this tab: opening, open in another tab (with
// "Use it here instead"), moved to another tab, or an error that says what happened and offers a way on.
import type { ReactNode } from 'react';
import { Button } from '../components/ui/button';
import type { LabSessionState } from '../session/lab-session';
import { ResetLab } from './reset-lab';

function Screen({ title, children, busy = false }: { title: string; children?: ReactNode; busy?: boolean }) {
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

export function ErrorScreen(props: { title: string; message: string; onRetry: () => void; onReset: () => void }) {
  const { title, message, onRetry, onReset } = props;
  return (
    <Screen title={title}>
      <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
        {message}
      </p>
      <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
        Your lab is still saved in this browser. Try again first; reset the lab only if it keeps failing (that starts it
        over from the beginning).
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
        <ResetLab onReset={onReset} size="md" />
      </div>
    </Screen>
  );
}

export type { LabSessionState };
