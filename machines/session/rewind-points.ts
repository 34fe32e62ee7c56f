// Where "Go back to here" can go, read from the journal alone (pure): the point just after the entry that caused an
// event, what going there takes back, and why a point cannot be reached. The rules rewindLab and Redo go by, so the
// console, the lesson panel and the engine agree.
import type { JournalEntry } from '../lab-types';

/**
 * The entry a "Go back to here" on event `eventId` goes back before: the first entry begun after the event (entries
 * own the events from their firstEventId to the next entry's). Null when nothing was done after it.
 */
export function goBackPointOf(entries: readonly JournalEntry[], eventId: number): number | null {
  return entries.find((e) => e.firstEventId > eventId)?.seq ?? null;
}

/** What going back before entry `toSeq` takes back (kept as Redo), first first. */
export function stepsUndone(entries: readonly JournalEntry[], toSeq: number): JournalEntry[] {
  return entries.filter((e) => e.seq >= toSeq);
}

/** A restore of a backup file from outside the lab, among `entries`: the lab cannot do it again by itself. */
export function outsideRestoreIn(entries: readonly JournalEntry[]): JournalEntry | undefined {
  return entries.find((e) => e.op.kind === 'nkpRestore' && e.op.fileName === null && e.outcome === 'ok');
}

/** Why the lab cannot be rebuilt up to just before entry `toSeq` (null when it can). */
export function goBackBlocker(entries: readonly JournalEntry[], toSeq: number): string | null {
  const outside = outsideRestoreIn(entries.filter((e) => e.seq < toSeq));
  return outside
    ? `Step ${outside.seq} restored a backup file from outside this lab, which the lab cannot restore again by itself: go back to a point before it, or not at all.`
    : null;
}

/** Why Redo cannot do `next` for the learner (null when it can): a restore needs a backup file only they can give. */
export function redoBlocker(next: JournalEntry): string | null {
  if (next.op.kind !== 'nkpRestore') return null;
  return 'The next step restored a backup file, which Redo cannot do for you: restore it yourself with Key Providers > Add > Restore from backup (with a file backed up since going back: older ones hold keys the rebuilt lab no longer has).';
}
