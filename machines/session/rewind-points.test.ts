// Which point an event's "Go back to here" goes back to, what that takes back, and when the lab cannot go there.
import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalOp } from '../lab-types';
import { goBackBlocker, goBackPointAt, goBackPointOf, redoBlocker, stepsUndone } from './rewind-points';

const POWER_OFF: JournalOp = { kind: 'command', command: { type: 'vm.powerOff', vmId: 'app-01' } };

function entry(seq: number, firstEventId: number, op: JournalOp = POWER_OFF, outcome: JournalEntry['outcome'] = 'ok'): JournalEntry {
  return { seq, at: seq * 1000, op, outcome, firstEventId };
}

// Events 1-9 came from building the world; step 1 logged 10-12, step 2 none, step 3 logged 13-14.
const JOURNAL = [entry(1, 10), entry(2, 13), entry(3, 13)];

describe('going back to an event', () => {
  it('goes back to just after the step that logged the event', () => {
    expect(goBackPointOf(JOURNAL, 11)).toBe(2);
    expect(goBackPointOf(JOURNAL, 12)).toBe(2);
  });

  it('goes back to the start from an event of the world’s build', () => {
    expect(goBackPointOf(JOURNAL, 3)).toBe(1);
  });

  it('skips a step that logged nothing: it came after the event too', () => {
    expect(stepsUndone(JOURNAL, goBackPointOf(JOURNAL, 12)!).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('offers nothing on the last step’s own events: there is nothing after them to take back', () => {
    expect(goBackPointOf(JOURNAL, 13)).toBeNull();
    expect(goBackPointOf(JOURNAL, 14)).toBeNull();
    expect(goBackPointOf([], 5)).toBeNull();
  });

  it('offers to keep the steps after an event that logged nothing, up to the next step that did', () => {
    // Step 2 (a guest file written) logged nothing; step 3 logged 13-14.
    expect(goBackPointAt(JOURNAL, 14, 12)).toEqual({ toSeq: 2, quiet: [JOURNAL[1]], keepingQuiet: 3 });
    // Any event of step 1 goes back to just after all of step 1: an entry is never split.
    expect(goBackPointAt(JOURNAL, 14, 11)).toEqual({ toSeq: 2, quiet: [JOURNAL[1]], keepingQuiet: 3 });
    expect(goBackPointAt(JOURNAL, 14, 3)).toEqual({ toSeq: 1, quiet: [], keepingQuiet: null });
    expect(goBackPointAt(JOURNAL, 14, 13)).toBeNull();
  });

  it('has nothing to keep when the quiet steps are all that came after', () => {
    // Step 3 logged nothing either: after event 12 come only quiet steps.
    const journal = [entry(1, 10), entry(2, 13), entry(3, 13)];
    expect(goBackPointAt(journal, 12, 12)).toEqual({ toSeq: 2, quiet: [journal[1], journal[2]], keepingQuiet: null });
  });

  it('cannot keep a restore of a file from outside the lab, but can take it back', () => {
    const outside: JournalOp = { kind: 'nkpRestore', fileName: null };
    const journal = [entry(1, 10), entry(2, 12, outside), entry(3, 15)];
    expect(goBackBlocker(journal, 2)).toBeNull();
    expect(goBackBlocker(journal, 3)).toMatch(/^Step 2 restored a backup file from outside this lab/);
    // A refused restore changed nothing: keeping it is fine.
    expect(goBackBlocker([entry(1, 10), entry(2, 12, outside, 'FAILED'), entry(3, 15)], 3)).toBeNull();
  });

  it('lets Redo do everything but a restore, which only the learner can give a file for', () => {
    expect(redoBlocker(entry(4, 20))).toBeNull();
    expect(redoBlocker(entry(4, 20, { kind: 'nkpBackup', providerId: 'NKP-1' }))).toBeNull();
    expect(redoBlocker(entry(4, 20, { kind: 'nkpRestore', fileName: null }))).toMatch(/restore it yourself with Key Providers > Add > Restore from backup, with the same file/);
    expect(redoBlocker(entry(4, 20, { kind: 'nkpRestore', fileName: 'NKP-1.p12' }))).toMatch(/^Redo cannot go past this step: the file it restored was backed up before going back.*go back to before the backup and take a new one/);
  });
});
