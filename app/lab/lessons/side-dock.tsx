'use client';
// The panel docked beside the workspace (the lesson, recovery status): collapsible to a strip, resizable by dragging
// its edge or with the arrow keys on it (a WAI-ARIA window splitter), its width remembered.
import { useId, useState } from 'react';
import { useStoredNumber } from '../hooks/use-stored-number';
import { Tabs, type TabItem } from '../components/ui/tabs';
import { PanelResizer } from '../workspace/panel-resizer';
import { useWideLayout } from '../workspace/use-wide-layout';

const MIN = 280;
const MAX = 720;

export function SideDock(props: { label: string; tabs: TabItem[]; selectedId?: string; onSelect?: (id: string) => void; defaultCollapsed?: boolean }) {
  const { label, tabs, selectedId, onSelect, defaultCollapsed = false } = props;
  const [width, setWidth] = useStoredNumber('keylab.dockWidth', 400);
  // On a narrow screen the page needs the width: the panel starts as a strip there.
  const wide = useWideLayout();
  const [collapsed, setCollapsed] = useState(defaultCollapsed || !wide);
  // Narrowed past the wide layout's edge (a rotated tablet, a resized window), an open panel folds to its strip, so
  // the object page keeps the width; widening leaves it as the learner set it.
  const [wasWide, setWasWide] = useState(wide);
  if (wide !== wasWide) {
    setWasWide(wide);
    if (!wide) setCollapsed(true);
  }
  const bodyId = useId();
  const clamp = (v: number) => Math.min(MAX, Math.max(MIN, v));

  if (collapsed) {
    return (
      <aside aria-label={label} className="flex shrink-0 border-l border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900">
        <button
          type="button"
          aria-expanded={false}
          onClick={() => setCollapsed(false)}
          className="px-1.5 py-3 text-sm font-medium text-slate-900 [writing-mode:vertical-rl] hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          Show {label.toLowerCase()}
        </button>
      </aside>
    );
  }

  return (
    <aside aria-label={label} className="flex shrink-0" style={{ width: clamp(width) }} data-testid="side-dock">
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
        <div className="mb-2 flex justify-end">
          <button
            type="button"
            aria-expanded={true}
            aria-controls={bodyId}
            onClick={() => setCollapsed(true)}
            className="rounded border border-slate-400 px-2 py-0.5 text-xs text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800"
          >
            Hide panel
          </button>
        </div>
        <Tabs label={label} tabs={tabs} selectedId={selectedId} onSelect={onSelect} />
      </div>
    </aside>
  );
}
