'use client';
// The lab workspace, laid out like the vSphere Client: header, inventory tree on the left, the selected object's page,
// and the event console at the bottom. Loaded only once the lab is open (it is not part of the page's first load).
import { useEffect, useMemo, useRef } from 'react';
import type { Lab } from '@/machines/lab-types';
import { useLabView } from '../hooks/use-lab';
import { absentVcenterLabel } from '../format';
import { routeKey, useRoute } from '../navigation';
import { EventConsole } from './event-console';
import { objectDirectory } from './object-directory';
import { InventoryTree } from './inventory-tree';
import { buildInventory, nodeIdOfRoute } from './inventory-model';
import { LabHeader } from './lab-header';
import { ObjectArea } from './object-area';
import { VcenterGone } from './vcenter-gone';

export interface WorkspaceProps {
  lab: Lab;
  title: string;
  onReset: () => void;
}

export default function Workspace({ lab, title, onReset }: WorkspaceProps) {
  const view = useLabView(lab);
  const [route, navigate] = useRoute();
  const roots = useMemo(() => buildInventory(view), [view]);
  const mainRef = useRef<HTMLElement>(null);
  const pageName = useMemo(() => {
    if (route.kind === 'keymap') return 'Key map';
    if (route.kind === 'providers' && !route.id) return 'Key Providers';
    if (route.kind === 'vcenter') return view.vcenter?.name ?? absentVcenterLabel(view.vcenterStatus);
    return objectDirectory(view).get(route.id ?? '')?.name ?? route.id ?? '';
  }, [route, view]);
  const pageKey = routeKey(route);
  useEffect(() => {
    document.title = pageName ? `${pageName} — keylab` : 'keylab';
  }, [pageName]);
  // A new object page starts at its top, not where the previous one was scrolled to.
  useEffect(() => {
    mainRef.current?.scrollTo({ top: 0 });
  }, [pageKey]);
  return (
    <div className="flex h-screen min-h-[600px] flex-col" data-testid="workspace">
      {/* A button, not an #anchor link: the hash holds the route. */}
      <button
        type="button"
        onClick={() => mainRef.current?.focus()}
        className="sr-only focus:not-sr-only focus:absolute focus:top-1 focus:left-1 focus:z-50 focus:rounded focus:bg-white focus:px-2 focus:py-1 focus:text-slate-900"
      >
        Skip to the object page
      </button>
      {/* Tells a screen reader which page opened, since focus stays in the tree while the learner walks it. */}
      <p className="sr-only" aria-live="polite">
        {pageName ? `${pageName} page` : ''}
      </p>
      <LabHeader lab={lab} view={view} title={title} onReset={onReset} />
      {view.saveProblem ? (
        <p role="alert" className="border-b border-red-400 bg-red-50 px-4 py-1.5 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {view.saveProblem}
        </p>
      ) : null}
      <div className="flex min-h-0 flex-1">
        <nav aria-label="Inventory" className="w-72 shrink-0 overflow-y-auto border-r border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900">
          {view.vcenter ? null : <VcenterGone lab={lab} status={view.vcenterStatus} />}
          <InventoryTree roots={roots} selectedId={nodeIdOfRoute(route)} onOpen={navigate} />
        </nav>
        <main ref={mainRef} id="lab-main" tabIndex={-1} className="min-w-0 flex-1 overflow-y-auto p-4 outline-none">
          {/* Keyed by route: another object's page starts fresh (no dialog or tab left over from the last one). */}
          <ObjectArea key={pageKey} lab={lab} view={view} route={route} navigate={navigate} />
        </main>
      </div>
      <EventConsole view={view} navigate={navigate} />
    </div>
  );
}
