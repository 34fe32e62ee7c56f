// Replays a journal on a lab built from the same scenario and seed: each entry done again at its recorded lab time,
// through the same Lab API a learner's clicks use, so the rebuilt world reaches the same view (names, ids, states, key
// IDs, events) with fresh key bytes. Used by rewind; an instructor's check of a learner's result replays the same way.
import type { CommandResult, JournalEntry, Lab } from '../lab-types';
import type { LabClock } from './lab-clock';

/** Where the replay did not come out as the journal says (a hand-edited journal, or a step that cannot be redone). */
export interface ReplayMismatch {
  seq: number;
  expected: JournalEntry['outcome'];
  got: JournalEntry['outcome'] | 'not replayed';
  why: string;
}

/** Backup files the replay made, by vSphere's file name: a later restore of "that file" uses the replay's own. */
type ReplayFiles = Map<string, { bytes: Uint8Array; password: string }>;

const outcomeOf = (result: CommandResult): JournalEntry['outcome'] => (result.ok ? 'ok' : result.code);

/** Told after each entry's turn: `done` entries of `total` replayed (a rebuild shows "k of n"). */
export type ReplayProgress = (done: number, total: number) => void;

/**
 * Does `entries` again on `lab` (built from the journal's scenario and seed, its clock `clock` a manual one at the
 * build's time). Stops at the first entry it cannot redo; returns every mismatch.
 */
export async function replayJournal(
  lab: Lab,
  clock: LabClock,
  entries: readonly JournalEntry[],
  onProgress?: ReplayProgress,
): Promise<ReplayMismatch[]> {
  const files: ReplayFiles = new Map();
  const mismatches: ReplayMismatch[] = [];
  const inFlight: Promise<void>[] = [];
  for (const [index, entry] of entries.entries()) {
    // Real time passed between two entries in the first run; here the clock jumps, once the last entry is settled.
    await lab.untilSettled();
    if (clock.now() < entry.at) clock.advance(entry.at - clock.now());
    const run = redo(lab, entry, files);
    if (run === null) {
      mismatches.push({ seq: entry.seq, expected: entry.outcome, got: 'not replayed', why: notReplayableReason(entry) });
      break;
    }
    const done = run.then((got) => {
      if (entry.outcome !== 'pending' && got !== entry.outcome) {
        mismatches.push({ seq: entry.seq, expected: entry.outcome, got, why: `Entry ${entry.seq} came out ${got}, not ${entry.outcome}.` });
      }
    });
    inFlight.push(done);
    // A command that waits (a hung KMS node) lets the next entry (the fast-forward that ends its wait) go ahead. A
    // restore opens its file before it is queued, so it is awaited whole: the next entry must not overtake it.
    await (entry.op.kind === 'command' ? Promise.race([done, lab.untilSettled()]) : done);
    onProgress?.(index + 1, entries.length);
  }
  await lab.untilSettled();
  await Promise.all(inFlight);
  return mismatches.sort((a, b) => a.seq - b.seq);
}

/** The entry done again, resolving to its outcome; null when it cannot be redone here. */
function redo(lab: Lab, entry: JournalEntry, files: ReplayFiles): Promise<JournalEntry['outcome']> | null {
  const { op } = entry;
  switch (op.kind) {
    case 'command':
      return lab.dispatch(op.command).then(outcomeOf);
    case 'nkpBackup': {
      // The first run's file and password are the learner's; the replay makes a file of its own.
      const password = `replay-${crypto.randomUUID()}`;
      return lab.exportNkpBackup(op.providerId, password, op.passwordStrength ? { passwordStrength: op.passwordStrength } : {}).then(
        (file) => {
          files.set(file.fileName, { bytes: file.bytes, password });
          return 'ok' as const;
        },
        (error: unknown) => codeOf(error),
      );
    }
    case 'nkpRestore': {
      const file = op.fileName === null ? undefined : files.get(op.fileName);
      if (!file) return null;
      return lab.restoreNkpFromBackup(file.bytes, file.password).then(outcomeOf);
    }
    case 'resume':
      return lab.resumeInterrupted().then(() => 'ok' as const);
  }
}

function codeOf(error: unknown): JournalEntry['outcome'] {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as JournalEntry['outcome']) : 'FAILED';
}

function notReplayableReason(entry: JournalEntry): string {
  return entry.op.kind === 'nkpRestore'
    ? `Entry ${entry.seq} restored a backup file that was not made in this lab, so the lab cannot restore it again by itself.`
    : `Entry ${entry.seq} cannot be done again.`;
}
