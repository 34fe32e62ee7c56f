'use client';
// The panel docked beside the workspace (the lesson, recovery status). On a wide window: collapsible to a strip,
// resizable by dragging its edge or with the arrow keys on it (a WAI-ARIA window splitter), its width remembered. On a
// narrow one (a phone): a sheet over the bottom of the page, the whole width, folded to a strip at the right edge. The
// folded strip shows where the learner is ("2/5") and a dot when something new happened while it was folded (a step
// passed, a prediction to make), so a hidden panel never hides progress.
import { useEffect, useId, useRef, useState } from 'react';
import { useStoredNumber } from '../hooks/use-stored-number';
import { Tabs, type TabItem } from '../components/ui/tabs';
import { PanelResizer } from '../workspace/panel-resizer';
import { useWideLayout } from '../workspace/use-wide-layout';

const MIN = 280;
const MAX = 720;

/** Where the learner is, for the folded strip and the sheet's header. */
export interface DockIndicator {
  /** A few characters for the strip, e.g. "2/5". */
  short: string;
  /** The same in words, e.g. "Step 2 of 5". */
  long: string;
  /** Changes whenever something the learner should see happens (a step passed, a prediction asked). */
  signal: string;
  /** What the new thing is, for the dot's label and a screen reader, e.g. "Step 1 passed". */
  news: string;
}

export function SideDock(props: {
  label: string;
  tabs: TabItem[];
  selectedId?: string;
  onSelect?: (id: string) => void;
  defaultCollapsed?: boolean;
  indicator?: DockIndicator;
}) {
  const { label, tabs, selectedId, onSelect, defaultCollapsed = false, indicator } = props;
  const [width, setWidth] = useStoredNumber('keylab.dockWidth', 400);
  const wide = useWideLayout();
  const [collapsed, setCollapsed] = useState(defaultCollapsed);
  // Narrowed past the wide layout's edge (a rotated tablet, a resized window), an open panel folds to its strip, so
  // the object page keeps the width; widening leaves it as the learner set it.
  const [wasWide, setWasWide] = useState(wide);
  if (wide !== wasWide) {
    setWasWide(wide);
    if (!wide) setCollapsed(true);
  }
  // What the learner has seen: everything up to now while the panel is open; the dot shows what came after.
  const [seen, setSeen] = useState(indicator?.signal);
  if (!collapsed && indicator && seen !== indicator.signal) setSeen(indicator.signal);
  const fresh = collapsed && !!indicator && indicator.signal !== seen;
  const bodyId = useId();
  const clamp = (v: number) => Math.min(MAX, Math.max(MIN, v));
  const showRef = useRef<HTMLButtonElement>(null);
  const hideRef = useRef<HTMLButtonElement>(null);
  const sheet = !wide && !collapsed;
  // Folded or shown by the learner, focus follows: to the Hide button when it opens, back to the strip when it folds.
  const focusAfterFold = useRef(false);
  useEffect(() => {
    if (!focusAfterFold.current) return;
    focusAfterFold.current = false;
    (collapsed ? showRef : hideRef).current?.focus();
  }, [collapsed]);
  const fold = (value: boolean) => {
    focusAfterFold.current = true;
    setCollapsed(value);
  };

  if (collapsed) {
    return (
      <aside aria-label={label} className="flex w-12 shrink-0 border-l border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900" data-testid="dock-strip">
        <button
          ref={showRef}
          type="button"
          aria-expanded={false}
          onClick={() => fold(false)}
          className="flex w-full flex-col items-center gap-2 px-1 py-3 text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          {indicator ? (
            <span className="relative rounded bg-slate-100 px-1 py-0.5 text-xs font-semibold tabular-nums dark:bg-slate-800" data-testid="dock-step">
              {indicator.short}
              {fresh ? (
                <span aria-hidden="true" className="absolute -top-1.5 -right-1.5 h-3 w-3 rounded-full border-2 border-white bg-red-600 dark:border-slate-900 dark:bg-red-500" data-testid="dock-news" />
              ) : null}
            </span>
          ) : null}
          <span className="text-sm font-medium [writing-mode:vertical-rl]">Show {label.toLowerCase()}</span>
          <span className="sr-only">
            {indicator ? `, ${indicator.long}` : ''}
            {fresh ? `, new: ${indicator.news}` : ''}
          </span>
        </button>
        {/* Said once when it happens, not only when the strip is reached. */}
        <p className="sr-only" aria-live="polite">
          {fresh ? `${label}: ${indicator.news}` : ''}
        </p>
      </aside>
    );
  }

  const hide = (
    <button
      ref={hideRef}
      type="button"
      aria-expanded={true}
      aria-controls={bodyId}
      onClick={() => fold(true)}
      className="rounded border border-slate-400 px-2 py-0.5 text-xs text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800"
    >
      {sheet ? `Hide ${label.toLowerCase()}` : 'Hide panel'}
    </button>
  );

  if (sheet) {
    return (
      <aside
        aria-label={label}
        data-testid="side-dock"
        data-layout="sheet"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !e.defaultPrevented) {
            e.preventDefault();
            fold(true);
          }
        }}
        className="fixed inset-x-0 bottom-0 z-30 flex max-h-[70vh] flex-col rounded-t-lg border-t border-slate-300 bg-white shadow-[0_-8px_24px_rgb(0_0_0/0.25)] dark:border-slate-600 dark:bg-slate-900"
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-700">
          <span className="text-sm font-semibold text-slate-900 dark:text-slate-100">{label}</span>
          {indicator ? (
            <span className="text-xs text-slate-700 dark:text-slate-300" data-testid="dock-step">
              {indicator.long}
            </span>
          ) : null}
          <span className="ml-auto">{hide}</span>
        </div>
        <div id={bodyId} className="min-h-0 flex-1 overflow-y-auto p-3">
          <Tabs label={label} tabs={tabs} selectedId={selectedId} onSelect={onSelect} />
        </div>
      </aside>
    );
  }

  return (
    <aside aria-label={label} className="flex shrink-0" style={{ width: clamp(width) }} data-testid="side-dock" data-layout="side">
      <PanelResizer
        orientation="vertical"
        label={`Resize the ${label.toLowerCase()} panel`}
        controls={bodyId}
        value={clamp(width)}
        min={MIN}
        max={MAX}
        onChange={setWidth}
      />
      <div id={bodyId} className="flex min-w-0 flex-1 flex-col overflow-y-auto bg-white p-3 dark:bg-slate-900">
        <div className="mb-2 flex justify-end">{hide}</div>
        <Tabs label={label} tabs={tabs} selectedId={selectedId} onSelect={onSelect} />
      </div>
    </aside>
  );
}
