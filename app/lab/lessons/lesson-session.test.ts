// The lesson session's order of work, headless with the real engine (fake-IndexedDB): leaving stops the lesson's lab
// and coming back reopens it from what was saved; leaving and coming straight back keeps the same lab; a restart
// stops the lab it replaces. The workspace and dock are UI only, loaded with the lesson: stood in for here.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedToIdle, leftAndBack, leftAndStraightBack, openedIn, stillRuns, upKms } from '../session/session-test-kit';
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

afterEach(() => closedToIdle(getLessonSession('nkp-setup')));

const opened = (): Promise<Open> => openedIn(getLessonSession('nkp-setup'));

/** The lesson opened, its first step skipped and saved: progress that must come through. */
async function openedWithFirstStepSkipped(): Promise<Open> {
  getLessonSession('nkp-setup').start();
  const open = await opened();
  open.run.skip();
  await open.run.flush();
  return open;
}

describe('a lesson’s session in this tab', () => {
  it('leaving stops the lesson’s lab; coming back opens it from what was saved, progress and all', async () => {
    const session = getLessonSession('nkp-setup');
    const first = await openedWithFirstStepSkipped();
    const { ranWhileAway, again } = await leftAndBack(session, first);
    expect(ranWhileAway).toBe(false);
    expect(again.lab).not.toBe(first.lab);
    expect(Object.values(again.run.getState().progress.steps).map((s) => s?.outcome)).toEqual(['skipped']);
  });

  it('leaving and coming straight back keeps the lab that is open', async () => {
    const { first, now } = await leftAndStraightBack(getLessonSession('nkp-setup'));
    expect(now).toBe(first);
    expect(await stillRuns(first.lab, upKms(first.lab))).toBe(true);
  });

  it('a restart stops the lab it replaces and starts the lesson over', async () => {
    const session = getLessonSession('nkp-setup');
    const first = await openedWithFirstStepSkipped();
    const kmsId = upKms(first.lab);
    await session.restart();
    const fresh = await opened();
    expect(fresh.lab).not.toBe(first.lab);
    expect(await stillRuns(first.lab, kmsId)).toBe(false);
    expect(fresh.run.getState().progress.steps).toEqual({});
  });
});
