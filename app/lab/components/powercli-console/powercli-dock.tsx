'use client';
// The workspace's PowerCLI bar: a toggle that opens the console panel, whose code (the PowerShell parser, the
// interpreter, the cmdlets) loads only then, never with the workspace. On a narrow screen the panel opens as a sheet.
import dynamic from 'next/dynamic';
import { useId, useRef, useState } from 'react';

const PowerCliConsolePanel = dynamic(() => import('./powercli-console-panel'), {
  ssr: false,
  loading: () => <p className="bg-slate-950 px-3 py-2 font-mono text-sm text-slate-300">Loading PowerCLI…</p>,
});

export function PowerCliDock({ wide = true }: { wide?: boolean }) {
  const [open, setOpen] = useState(false);
  // Once opened the panel stays mounted (hidden when folded), so its transcript, variables and connection survive.
  const [loaded, setLoaded] = useState(false);
  if (open && !loaded) setLoaded(true);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const sheet = !wide && open;
  return (
    <section
      aria-labelledby={`${panelId}-title`}
      onKeyDown={(e) => {
        if (sheet && e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          setOpen(false);
          toggleRef.current?.focus();
        }
      }}
      className={
        sheet
          ? 'fixed inset-x-0 bottom-0 z-30 flex h-[75vh] flex-col rounded-t-lg border-t border-slate-600 bg-slate-950 shadow-[0_-8px_24px_rgb(0_0_0/0.35)]'
          : `flex shrink-0 flex-col border-t border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900 ${open ? 'h-[min(20rem,40vh)]' : ''}`
      }
    >
      <div className={`flex items-center gap-2 px-3 py-1 ${sheet ? 'bg-slate-900' : ''}`}>
        <button
          ref={toggleRef}
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          className={`inline-flex items-center gap-1 rounded px-1 text-sm font-semibold hover:bg-slate-100 dark:hover:bg-slate-800 ${sheet ? 'text-slate-100 hover:bg-slate-800' : 'text-slate-900 dark:text-slate-100'}`}
        >
          <span aria-hidden="true">{open ? '▾' : wide ? '▸' : '▴'}</span> <span id={`${panelId}-title`}>PowerCLI console</span>
        </button>
        {!open ? <span className="text-xs text-slate-600 dark:text-slate-400">The same datacenter from the command line</span> : null}
      </div>
      <div id={panelId} className={open ? 'flex min-h-0 flex-1 flex-col' : 'hidden'}>
        {loaded ? <PowerCliConsolePanel /> : null}
      </div>
    </section>
  );
}
