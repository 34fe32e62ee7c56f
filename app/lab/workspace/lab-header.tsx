'use client';
// The workspace's top bar, as in the vSphere Client: the lab's name, its clock and waits, who is signed in, the
// theme, and "Reset lab".
import Link from 'next/link';
import type { Lab, LabView } from '@/machines/lab-types';
import { LabClockPanel } from './lab-clock-panel';
import { ResetLab } from './reset-lab';
import { ThemeToggle } from './theme-toggle';
import { UserSwitch } from './user-switch';

export function LabHeader(props: { lab: Lab; view: LabView; title: string; onReset: () => void }) {
  const { lab, view, title, onReset } = props;
  return (
    <header className="flex min-h-14 flex-wrap items-center gap-x-5 gap-y-1 border-b border-slate-300 bg-slate-800 px-3 py-1.5 text-white dark:border-slate-700 dark:bg-slate-900">
      <div className="flex flex-col leading-tight">
        <Link href="/" className="text-sm font-semibold text-white hover:underline">
          keylab
        </Link>
        <span className="text-xs text-slate-300" data-testid="lab-title">
          {title}
        </span>
      </div>
      {/* The controls sit on a light strip so each keeps its own (light or dark) colours and contrast. */}
      <div className="flex flex-1 flex-wrap items-center justify-end gap-x-5 gap-y-1 rounded bg-slate-50 px-3 py-1 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <LabClockPanel lab={lab} view={view} />
        <UserSwitch lab={lab} view={view} />
        <ThemeToggle />
        <ResetLab onReset={onReset} />
      </div>
    </header>
  );
}
