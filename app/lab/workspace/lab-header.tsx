'use client';
// The workspace's top bar, as in the vSphere Client: the lab's name, its clock and waits, who is signed in, the
// theme, and the sandbox's "Reset lab" (a lesson has none here: its panel's "Restart lesson…" says what it resets). Below 640 px (a phone) it keeps one row: Inventory, keylab and the clock stay, and the
// lab's title, the user switch, the theme and "Reset lab…" wait behind "More".
import Link from 'next/link';
import type { ReactNode } from 'react';
import { HeaderMoreMenu } from './header-more-menu';
import { LabClockPanel } from './lab-clock-panel';
import { ThemeToggle } from './theme-toggle';
import { TABLE_QUERY, useMediaQuery } from './use-wide-layout';
import { UserSwitch } from './user-switch';

const PRODUCT_LINK =
  'rounded bg-slate-800 px-2 py-1 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-700 dark:hover:bg-slate-600';

export function LabHeader(props: { title: string; resetControl?: ReactNode; inventoryButton?: ReactNode }) {
  const { title, resetControl, inventoryButton } = props;
  // Tailwind's sm edge, the same one where a table's rows become cards.
  const roomy = useMediaQuery(TABLE_QUERY);
  if (!roomy) {
    return (
      <header className="relative flex min-h-14 flex-wrap items-center gap-x-1.5 gap-y-1 border-b border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900">
        {inventoryButton}
        <Link href="/" className={`${PRODUCT_LINK} shrink-0`}>
          keylab
        </Link>
        <LabClockPanel compact />
        <HeaderMoreMenu>
          <p className="w-full border-b border-slate-200 pb-2 text-sm font-medium text-slate-800 dark:border-slate-700 dark:text-slate-200" data-testid="lab-title">
            {title}
          </p>
          <UserSwitch />
          <ThemeToggle />
          {resetControl}
        </HeaderMoreMenu>
      </header>
    );
  }
  return (
    <header className="flex min-h-14 flex-wrap items-center gap-x-5 gap-y-1 border-b border-slate-300 bg-white px-3 py-1.5 dark:border-slate-700 dark:bg-slate-900">
      <div className="flex min-w-0 items-center gap-2">
        {inventoryButton}
        <Link href="/" className={PRODUCT_LINK}>
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
        {resetControl}
      </div>
    </header>
  );
}
