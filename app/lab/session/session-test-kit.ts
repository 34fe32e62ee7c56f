// What the sandbox's and the lessons' session tests share: the sandbox session's set-up, waiting for a session to open
// its lab, telling whether a lab still runs, and leaving a lab's page to come straight back. Test code only (imported by
// *.test.ts).
import { afterEach, beforeAll, expect, vi } from 'vitest';
import type { Lab } from '@/machines/lab-types';
import type { getLabSession } from './tab-lab-session';

interface Session<S> {
  getState(): S;
  start(): void;
  close(): void;
}

/** Closes the session and waits until it is idle again, so the next test starts from no lab running. */
export async function closedToIdle<S extends { status: string }>(session: Session<S>): Promise<void> {
  session.close();
  await vi.waitFor(() => expect(session.getState().status).toBe('idle'), { timeout: 10_000 });
}

/**
 * Sets a test file up on the sandbox's session in this tab: the page it reads (pagehide only, no other tab to talk to),
 * the session loaded only after that stand-in is in place, and closed to idle after each test. Call at the top level of
 * the test file; the getter returned reaches the session from inside the tests.
 */
export function sandboxSessionInThisTab(): typeof getLabSession {
  let get: typeof getLabSession | undefined;
  beforeAll(async () => {
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('BroadcastChannel', undefined);
    ({ getLabSession: get } = await import('./tab-lab-session'));
  });
  afterEach(() => closedToIdle(reach()));
  const reach = () => {
    if (!get) throw new Error('The sandbox session is reached before its set-up ran.');
    return get();
  };
  return reach;
}

/** The session's state once its lab is open. */
export async function openedIn<S extends { status: string }>(session: Session<S>, timeout = 30_000): Promise<Extract<S, { status: 'open' }>> {
  await vi.waitFor(() => expect(session.getState().status).toBe('open'), { timeout, interval: 20 });
  return session.getState() as Extract<S, { status: 'open' }>;
}

/** A KMS node that is up, read while the lab is known to run. */
export function upKms(lab: Lab): string {
  const kms = lab.getView().kmsNodes.find((k) => k.status === 'up');
  if (!kms) throw new Error('The lab has no KMS node up.');
  return kms.id;
}

/**
 * Whether the lab's world still moves: the KMS node taken down shows as down (a fault writes nothing to storage). A
 * stopped lab whose view changed since it stopped has no actors left to draw it from: that is not running either.
 */
export async function stillRuns(lab: Lab, kmsId: string): Promise<boolean> {
  await lab.dispatch({ type: 'kms.down', kmsId });
  await new Promise((r) => setTimeout(r, 50));
  try {
    return lab.getView().kmsNodes.find((k) => k.id === kmsId)?.status === 'down';
  } catch (err) {
    if (String(err).includes('no vCenter actor')) return false;
    throw err;
  }
}

/** Opens the session's lab, leaves its page and comes straight back before the close's turn: the lab then, and now. */
export async function leftAndStraightBack<S extends { status: string }>(session: Session<S>) {
  session.start();
  const first = await openedIn(session);
  session.close();
  session.start();
  await new Promise((r) => setTimeout(r, 200));
  return { first, now: session.getState() };
}

/** Leaves the open lab's page and waits for the close, then comes back: whether the old lab still ran, and the lab now. */
export async function leftAndBack<S extends { status: string }>(session: Session<S>, first: { lab: Lab }) {
  const kmsId = upKms(first.lab);
  session.close();
  await vi.waitFor(() => expect(session.getState().status).toBe('idle'));
  const ranWhileAway = await stillRuns(first.lab, kmsId);
  session.start();
  return { ranWhileAway, again: await openedIn(session) };
}
