'use client';
// The sandbox's docked panel: where to start (open on the first visit, so a newcomer reads it before any red button),
// and the recovery status of the sandbox's lab.
import Link from 'next/link';
import { useState } from 'react';
import type { Lab } from '@/machines/lab-types';
import type { Route } from '../navigation';
import { RecoveryPanel } from './recovery-panel';
import { useWideLayout } from '../workspace/use-wide-layout';
import { SideDock } from './side-dock';

const SEEN = 'keylab.sandboxSeen';

function firstVisit(): boolean {
  try {
    const seen = localStorage.getItem(SEEN) === '1';
    localStorage.setItem(SEEN, '1');
    return !seen;
  } catch {
    return false;
  }
}

function WhereToStart({ navigate }: { navigate: (r: Route) => void }) {
  const link = 'text-blue-800 underline underline-offset-2 dark:text-sky-300';
  return (
    <section aria-labelledby="start-here-title" data-testid="where-to-start" className="flex flex-col gap-2 text-sm text-slate-800 dark:text-slate-200">
      <h2 id="start-here-title" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        Where to start
      </h2>
      <p>
        This is the sandbox: a small vSphere cluster whose encryption is real, with no steps and no checks. Nothing here can harm your
        computer, and Reset lab brings it back.
      </p>
      <p>
        New to VM encryption? Take{' '}
        <a className={link} href="/lab?lesson=nkp-setup">
          lesson 1: set up the Native Key Provider
        </a>
        . Each lesson runs in a lab of its own, so this sandbox stays as you leave it.{' '}
        <Link className={link} href="/">
          All lessons
        </Link>
      </p>
      <p>To look around first:</p>
      <ul className="list-disc pl-5">
        <li>
          <button type="button" className={link} onClick={() => navigate({ kind: 'providers' })}>
            Key Providers
          </button>
          : the external KMS cluster vCenter uses today, and where the Native Key Provider is added.
        </li>
        <li>
          <button type="button" className={link} onClick={() => navigate({ kind: 'keymap' })}>
            Key map
          </button>
          : where every KDK, KEK and DEK lives right now.
        </li>
        <li>Recovery status (the tab above): which encrypted VMs would come back after a host reboot.</li>
      </ul>
      <p>Destroy vCenter… on the vCenter Server page is the disaster drill: take a backup of your Native Key Provider before you try it.</p>
    </section>
  );
}

export function SandboxDock({ lab, navigate }: { lab: Lab; navigate: (r: Route) => void }) {
  const [first] = useState(firstVisit);
  // On a phone the guide waits behind its strip: a sheet over a page the learner has not seen yet would be in the way.
  const wide = useWideLayout();
  const [startFolded] = useState(!first || !wide);
  const [tab, setTab] = useState('start');
  return (
    <SideDock
      label="Guide"
      defaultCollapsed={startFolded}
      selectedId={tab}
      onSelect={setTab}
      tabs={[
        { id: 'start', label: 'Where to start', content: <WhereToStart navigate={navigate} /> },
        { id: 'recovery', label: 'Recovery status', content: <RecoveryPanel lab={lab} /> },
      ]}
    />
  );
}
