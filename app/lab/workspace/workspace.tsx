'use client';
// The lab workspace, laid out like the vSphere Client: header, inventory tree on the left, the selected object's page,
// and the event console at the bottom. Below the wide layout's edge (a tablet, a phone) the tree is a drawer opened
// from the header and the event console a sheet, so the page keeps the whole width.
// Loaded only once the lab is open (it is not part of the page's first load).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Lab, LabView } from '@/machines/lab-types';
import { LabProvider, useLabSelector } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';
import { absentVcenterLabel } from '../format';
import { routeKey, routeToHash, useRoute, type Route } from '../navigation';
import { EventConsole } from './event-console';
import { PowerCliDock } from '../components/powercli-console/powercli-dock';
import { objectDirectory } from './object-directory';
import { InventoryTree } from './inventory-tree';
import { buildInventory, nodeIdOfRoute } from './inventory-model';
import { LabHeader } from './lab-header';
import { ObjectArea } from './object-area';
import { RewindBar } from './rewind-bar';
import { RewindProvider, type RewindControls } from './rewind-context';
import { VcenterGone } from './vcenter-gone';
import { useWideLayout } from './use-wide-layout';
import { StorageFullHelp } from './storage-full-help';

/** The storage layer's full-quota message: the banner then lists what the learner can delete to free space. */
const STORAGE_FULL = /storage for this site is full/;

export interface WorkspaceProps {
  lab: Lab;
  title: string;
  /** The header's control that starts the lab over (the sandbox's Reset lab…); none in a lesson, whose panel has its own. */
  resetControl?: ReactNode;
  /** A panel docked right of the object page (the lesson panel); given the workspace's navigate. */
  dock?: (navigate: (route: Route) => void) => ReactNode;
  /** "Go back to here" and Redo, from a session that can rebuild its lab (the sandbox's); none offered without it. */
  rewind?: RewindControls;
}

/** The page's name for the title and a screen reader. */
function pageNameOf(view: LabView, route: Route): string {
  if (route.kind === 'keymap') return 'Key map';
  if (route.kind === 'providers' && !route.id) return 'Key Providers';
  if (route.kind === 'vcenter') return view.vcenter?.name ?? absentVcenterLabel(view.vcenterStatus);
  return objectDirectory(view).get(route.id ?? '')?.name ?? route.id ?? '';
}

const saveProblemOf = (view: LabView) => view.saveProblem;
/** Why the inventory has no vCenter (down or destroyed), or null while it runs. */
const vcenterGoneOf = (view: LabView) => (view.vcenter ? null : view.vcenterStatus);

export default function Workspace({ lab, rewind, ...props }: WorkspaceProps) {
  return (
    <LabProvider lab={lab}>
      <RewindProvider controls={rewind}>
        <WorkspaceLayout {...props} />
      </RewindProvider>
    </LabProvider>
  );
}

/**
 * Reads only the slices it lays out (the inventory, the page's name, a save problem, whether vCenter is there), so a
 * change elsewhere in the lab re-renders the parts that show it, not the whole workspace.
 */
function WorkspaceLayout({ title, resetControl, dock }: Omit<WorkspaceProps, 'lab' | 'rewind'>) {
  const [route, navigate] = useRoute();
  const roots = useLabSelector(buildInventory, sameData);
  const mainRef = useRef<HTMLElement>(null);
  const pageName = useLabSelector(useCallback((view: LabView) => pageNameOf(view, route), [route]));
  const saveProblem = useLabSelector(saveProblemOf);
  const vcenterGone = useLabSelector(vcenterGoneOf);
  const pageKey = routeKey(route);
  const wide = useWideLayout();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Widened past the edge, the tree is back in place: the drawer is not left open for the next time it narrows.
  if (wide && drawerOpen) setDrawerOpen(false);
  const drawer = !wide && drawerOpen;
  const drawerButtonRef = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const closeDrawer = (focus: 'button' | 'main') => {
    setDrawerOpen(false);
    // The drawer's items are gone from the screen: focus goes where the learner will look next.
    window.setTimeout(() => (focus === 'main' ? mainRef.current : drawerButtonRef.current)?.focus(), 0);
  };
  // An opened drawer puts the learner in the tree, on its current item.
  useEffect(() => {
    if (drawer) navRef.current?.querySelector<HTMLElement>('[role=treeitem][tabindex="0"]')?.focus();
  }, [drawer]);
  const openRoute: typeof navigate = (r) => {
    navigate(r);
    if (drawer) closeDrawer('main');
  };
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
      <div inert={drawer || undefined} className="contents">
        <LabHeader
          title={title}
          resetControl={resetControl}
          inventoryButton={
            wide ? null : (
              <button
                ref={drawerButtonRef}
                type="button"
                aria-expanded={drawerOpen}
                aria-controls="lab-inventory"
                onClick={() => setDrawerOpen(true)}
                className="inline-flex items-center gap-1.5 rounded border border-slate-400 bg-white px-2 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
              >
                <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4 fill-none stroke-current" strokeWidth={1.6} strokeLinecap="round">
                  <path d="M2 4h12M2 8h12M2 12h12" />
                </svg>
                Inventory
              </button>
            )
          }
        />
      </div>
      <div inert={drawer || undefined} className="contents">
        <RewindBar />
      </div>
      {saveProblem ? (
        <div role="alert" className="border-b border-red-400 bg-red-50 px-4 py-1.5 text-sm text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {saveProblem}
          {STORAGE_FULL.test(saveProblem) ? <StorageFullHelp /> : null}
        </div>
      ) : null}
      <div className="flex min-h-0 flex-1">
        {drawer ? <div aria-hidden="true" className="fixed inset-0 z-30 bg-slate-950/50" onClick={() => closeDrawer('button')} /> : null}
        <nav
          ref={navRef}
          id="lab-inventory"
          aria-label="Inventory"
          onKeyDown={(e) => {
            if (drawer && e.key === 'Escape') {
              e.preventDefault();
              closeDrawer('button');
            }
          }}
          className={
            wide
              ? 'w-72 shrink-0 overflow-y-auto border-r border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900'
              : drawer
                ? 'fixed inset-y-0 left-0 z-40 w-[min(20rem,85vw)] overflow-y-auto border-r border-slate-300 bg-white p-2 shadow-2xl dark:border-slate-700 dark:bg-slate-900'
                : 'hidden'
          }
        >
          {drawer ? (
            <div className="mb-1 flex justify-end">
              <button
                type="button"
                onClick={() => closeDrawer('button')}
                className="rounded border border-slate-400 px-2 py-0.5 text-sm text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800"
              >
                Close inventory
              </button>
            </div>
          ) : null}
          {vcenterGone ? <VcenterGone status={vcenterGone} /> : null}
          <InventoryTree roots={roots} selectedId={nodeIdOfRoute(route)} onOpen={openRoute} />
        </nav>
        <main ref={mainRef} id="lab-main" data-route={routeToHash(route)} tabIndex={-1} inert={drawer || undefined} className="min-w-0 flex-1 overflow-y-auto p-3 outline-none sm:p-4">
          {/* Keyed by route: another object's page starts fresh (no dialog or tab left over from the last one). */}
          <ObjectArea key={pageKey} route={route} navigate={navigate} />
        </main>
        {dock ? (
          <div inert={drawer || undefined} className="contents">
            <DockSlot render={dock} navigate={openRoute} />
          </div>
        ) : null}
      </div>
      <div inert={drawer || undefined} className="contents">
        <EventConsole navigate={navigate} wide={wide} />
        <PowerCliDock wide={wide} />
      </div>
    </div>
  );
}

/** Renders the docked panel with the workspace's navigate; a component, so that navigate is passed as a prop and the
 * refs it closes over (the drawer's focus targets) are read only when it is called, never during render. */
function DockSlot(props: { render: NonNullable<WorkspaceProps['dock']>; navigate: (route: Route) => void }) {
  return <>{props.render(props.navigate)}</>;
}
