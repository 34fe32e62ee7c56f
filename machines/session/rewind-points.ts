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

/** "Go back to here" on one event: the point just after it, and the quiet steps a learner may keep. */
export interface GoBackPoint {
  /** Just after the event: everything done since is taken back. */
  toSeq: number;
  /**
   * The steps done right after the event that logged no event of their own (a file written in a guest): the console
   * shows nothing for them, so the learner may keep them and go back to just before the next step that did.
   */
  quiet: JournalEntry[];
  /** The point that keeps `quiet`: null when they are all that came after (keeping them would take nothing back). */
  keepingQuiet: number | null;
}

/** `lastEventId`: the newest event's id (the last entry owns the ids from its firstEventId up to it). */
export function goBackPointAt(entries: readonly JournalEntry[], lastEventId: number, eventId: number): GoBackPoint | null {
  const from = entries.findIndex((e) => e.firstEventId > eventId);
  if (from < 0) return null;
  const logged = (i: number) => (entries[i + 1]?.firstEventId ?? lastEventId + 1) > entries[i]!.firstEventId;
  let i = from;
  while (i < entries.length && !logged(i)) i++;
  return { toSeq: entries[from]!.seq, quiet: entries.slice(from, i), keepingQuiet: i > from && i < entries.length ? entries[i]!.seq : null };
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

/**
 * Why Redo cannot do `next` for the learner (null when it can): a restore needs a backup file, and the lab has none it
 * could give. A file from outside still fits (it carries its own key); one this lab made before going back does not
 * (the rebuild made its keys anew, and its own copy of the file with them).
 */
export function redoBlocker(next: JournalEntry): string | null {
  if (next.op.kind !== 'nkpRestore') return null;
  return next.op.fileName === null
    ? 'The next step restored a backup file from outside this lab, which Redo cannot do for you: restore it yourself with Key Providers > Add > Restore from backup, with the same file; Redo then goes on after it.'
    : 'Redo cannot go past this step: the file it restored was backed up before going back, and the rebuilt lab’s keys are new, so that file no longer fits. To practise the restore again, go back to before the backup and take a new one.';
}
