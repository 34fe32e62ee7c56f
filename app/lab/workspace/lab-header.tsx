'use client';
// The workspace's top bar, as in the vSphere Client: the lab's name, its clock and waits, who is signed in, the
// theme, and "Reset lab".
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LabClockPanel } from './lab-clock-panel';
import { ResetLab } from './reset-lab';
import { ThemeToggle } from './theme-toggle';
import { UserSwitch } from './user-switch';

export function LabHeader(props: { title: string; onReset: () => void; inventoryButton?: ReactNode }) {
  const { title, onReset, inventoryButton } = props;
  return (
    <header className="flex min-h-14 flex-wrap items-center gap-x-5 gap-y-1 border-b border-slate-300 bg-white px-3 py-1.5 dark:border-slate-700 dark:bg-slate-900">
      <div className="flex min-w-0 items-center gap-2">
        {inventoryButton}
        <Link
          href="/"
          className="rounded bg-slate-800 px-2 py-1 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-700 dark:hover:bg-slate-600"
        >
          keylab
        </Link>
        <span className="text-sm font-medium text-slate-800 dark:text-slate-200" data-testid="lab-title">
          {title}
        </span>
      </div>
      <div className="flex flex-1 flex-wrap items-center justify-end gap-x-4 gap-y-1">
        <LabClockPanel />
        <UserSwitch />
        <ThemeToggle />
        <ResetLab onReset={onReset} />
      </div>
    </header>
  );
}
