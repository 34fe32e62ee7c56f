// The lesson session's order of work, headless with the real engine (fake-IndexedDB): leaving stops the lesson's lab
// and coming back reopens it from what was saved; leaving and coming straight back keeps the same lab; a restart
// stops the lab it replaces. The workspace and dock are UI only, loaded with the lesson: stood in for here.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LessonSessionState } from './lesson-session';

vi.mock('../workspace/workspace', () => ({ default: () => null }));
vi.mock('./lesson-dock', () => ({ LessonDock: () => null }));

type Open = Extract<LessonSessionState, { status: 'open' }>;
let getLessonSession: typeof import('./lesson-session').getLessonSession;

beforeAll(async () => {
  // What the session reads of the page: pagehide, and the URL it puts the lesson's first page in.
  const page = Object.assign(new EventTarget(), {
    location: { hash: '', pathname: '/lab', search: '?lesson=nkp-setup' },
    history: { state: null, replaceState: () => undefined },
  });
  vi.stubGlobal('window', page);
  ({ getLessonSession } = await import('./lesson-session'));
});

afterEach(async () => {
  const session = getLessonSession('nkp-setup');
  session.close();
  await vi.waitFor(() => expect(session.getState().status).toBe('idle'), { timeout: 10_000 });
});

async function opened(timeout = 30_000): Promise<Open> {
  const session = getLessonSession('nkp-setup');
  await vi.waitFor(() => expect(session.getState().status).toBe('open'), { timeout, interval: 20 });
  return session.getState() as Open;
}

/** The lesson opened, its first step skipped and saved: progress that must come through. */
async function openedWithFirstStepSkipped(): Promise<Open> {
  getLessonSession('nkp-setup').start();
  const open = await opened();
  open.run.skip();
  await open.run.flush();
  return open;
}

/** Whether the lab's world still moves: a KMS node taken down shows as down (a fault writes nothing to storage). */
async function stillRuns(lab: Open['lab']): Promise<boolean> {
  const kms = lab.getView().kmsNodes.find((k) => k.status === 'up');
  if (!kms) throw new Error('The lesson lab has no KMS node up.');
  await lab.dispatch({ type: 'kms.down', kmsId: kms.id });
  await new Promise((r) => setTimeout(r, 50));
  return lab.getView().kmsNodes.find((k) => k.id === kms.id)?.status === 'down';
}

describe('a lesson’s session in this tab', () => {
  it('leaving stops the lesson’s lab; coming back opens it from what was saved, progress and all', async () => {
    const session = getLessonSession('nkp-setup');
    const first = await openedWithFirstStepSkipped();
    session.close();
    await vi.waitFor(() => expect(session.getState().status).toBe('idle'));
    expect(await stillRuns(first.lab)).toBe(false);

    session.start();
    const again = await opened();
    expect(again.lab).not.toBe(first.lab);
    expect(Object.values(again.run.getState().progress.steps).map((s) => s?.outcome)).toEqual(['skipped']);
  });

  it('leaving and coming straight back keeps the lab that is open', async () => {
    const session = getLessonSession('nkp-setup');
    session.start();
    const first = await opened();
    session.close();
    session.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(session.getState()).toBe(first);
    expect(await stillRuns(first.lab)).toBe(true);
  });

  it('a restart stops the lab it replaces and starts the lesson over', async () => {
    const session = getLessonSession('nkp-setup');
    const first = await openedWithFirstStepSkipped();
    await session.restart();
    const fresh = await opened();
    expect(fresh.lab).not.toBe(first.lab);
    expect(await stillRuns(first.lab)).toBe(false);
    expect(fresh.run.getState().progress.steps).toEqual({});
  });
});
