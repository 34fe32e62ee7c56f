// The sandbox session's order of work, headless with the real engine (fake-IndexedDB): leaving /lab stops the lab and
// coming back reopens it from what was saved; leaving and coming straight back keeps the same lab; a reset stops the lab
// it replaces and starts from the initial world.
import { describe, expect, it } from 'vitest';
import { leftAndBack, leftAndStraightBack, openedIn, sandboxSessionInThisTab, stillRuns, upKms } from './session-test-kit';
import type { LabSessionState } from './tab-lab-session';

type Open = Extract<LabSessionState, { status: 'open' }>;
const getLabSession = sandboxSessionInThisTab();

const opened = () => openedIn(getLabSession());

function power(lab: Open['lab'], vmId = 'app-01') {
  return lab.getView().vms.find((v) => v.id === vmId)?.power;
}

describe('the sandbox’s session in this tab', () => {
  it('leaving stops the lab; coming back opens it from what was saved', async () => {
    const session = getLabSession();
    session.start();
    const first = await opened();
    expect(await first.lab.dispatch({ type: 'vm.powerOff', vmId: 'app-01' })).toMatchObject({ ok: true });
    const { ranWhileAway, again } = await leftAndBack(session, first);
    expect(ranWhileAway).toBe(false);
    expect(again.lab).not.toBe(first.lab);
    expect(power(again.lab)).toBe('off');
  });

  it('leaving and coming straight back keeps the lab that is open', async () => {
    const { first, now } = await leftAndStraightBack(getLabSession());
    expect(now).toBe(first);
    expect(await stillRuns(first.lab, upKms(first.lab))).toBe(true);
  });

  it('a reset stops the lab it replaces and starts from the initial world', async () => {
    const session = getLabSession();
    session.start();
    const first = await opened();
    if (power(first.lab) === 'on') expect(await first.lab.dispatch({ type: 'vm.powerOff', vmId: 'app-01' })).toMatchObject({ ok: true });
    const kmsId = upKms(first.lab);
    await session.reset();
    const fresh = await opened();
    expect(fresh.lab).not.toBe(first.lab);
    expect(await stillRuns(first.lab, kmsId)).toBe(false);
    expect(power(fresh.lab)).toBe('on');
  });
});
