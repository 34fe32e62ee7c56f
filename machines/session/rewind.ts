// "Go back to here": the lab rebuilt from its scenario and seed, and its journal replayed up to an earlier entry (real
// disks and keys again, fresh key bytes); what was taken back stays as Redo while nothing new is done. And Redo.
import { KeylabError } from '@/lib/keylab-error';
import { loadLabRecord, type KeylabDb } from '@/lib/storage';
import type { LabContext } from '../actors/lab.machine';
import { buildNewLab } from '../lab';
import type { CommandResult, Lab } from '../lab-types';
import { readSavedLab } from '../persistence/saved-lab';
import { createManualClock, type LabClock } from './lab-clock';
import { replayJournal, type ReplayProgress } from './journal-replay';
import { goBackBlocker, redoBlocker } from './rewind-points';
import type { BuildOptions } from './world-builder';

export class RewindError extends KeylabError<'NOT_REPLAYABLE' | 'REPLAY_MISMATCH'> {
  constructor(code: 'NOT_REPLAYABLE' | 'REPLAY_MISMATCH', message: string) {
    super(code, message);
    this.name = 'RewindError';
  }
}

/**
 * Rebuilds the saved lab `labId` as it was just before journal entry `toSeq` (the lab must be closed: saved and
 * disposed). Nothing is lost if the tab dies half-way: the rebuilt lab is saved first with every entry as Redo, and
 * each replayed entry moves from Redo to the journal.
 */
export async function rewindLab(
  db: KeylabDb,
  labId: string,
  toSeq: number,
  build?: BuildOptions,
  /** "k of n" while the kept entries are done again (the world's build comes before the first). */
  onProgress?: ReplayProgress,
): Promise<void> {
  const record = await loadLabRecord(db, labId);
  if (!record) throw new RewindError('NOT_REPLAYABLE', 'There is no saved lab to go back in.');
  const context = (readSavedLab(record.text).root.context as unknown as LabContext);
  if (!context.start || !context.journal) {
    throw new RewindError('NOT_REPLAYABLE', 'This lab was begun before keylab kept a journal of what is done, so it cannot be rebuilt up to an earlier point.');
  }
  const kept = context.journal.filter((e) => e.seq < toSeq);
  const all = [...context.journal, ...(context.redo ?? [])];
  const blocker = goBackBlocker(context.journal, toSeq);
  if (blocker) throw new RewindError('NOT_REPLAYABLE', blocker);
  const clock = createManualClock(0);
  const session = await buildNewLab(db, labId, clock, context.start, build);
  try {
    session.rt.root.send({ type: 'lab.redoSet', redo: all });
    await session.save();
    const mismatches = await replayJournal(session.api(), clock, kept, onProgress);
    // Lab time goes back to the moment chosen, not to the last thing kept.
    const target = all.find((e) => e.seq >= toSeq)?.at ?? clock.now();
    if (clock.now() < target) clock.advance(target - clock.now());
    await session.save();
    if (mismatches.length > 0) {
      throw new RewindError('REPLAY_MISMATCH', `The rebuilt lab did not come out as the journal says: ${mismatches[0]!.why}`);
    }
  } finally {
    session.dispose();
  }
}

/** Redo: does the next thing a rewind took back, through the lab as a click would. */
export async function redoNext(lab: Lab, clock: LabClock): Promise<CommandResult> {
  const next = lab.getView().journal.redo[0];
  if (!next) return { ok: false, code: 'NOTHING_TO_REDO', reason: 'There is nothing to redo: nothing was taken back, or something new was done since.' };
  const blocked = redoBlocker(next);
  if (blocked) return { ok: false, code: 'NOT_REPLAYABLE', reason: blocked };
  const mismatches = await replayJournal(lab, clock, [next]);
  if (mismatches.some((m) => m.got === 'not replayed')) return { ok: false, code: 'NOT_REPLAYABLE', reason: mismatches[0]!.why };
  const redone = lab.getView().journal.entries.at(-1);
  return redone?.outcome === 'ok'
    ? { ok: true, message: `Redone: step ${next.seq}.` }
    : { ok: false, code: 'FAILED', reason: redone?.reason ?? `Step ${next.seq} could not be done again.` };
}
