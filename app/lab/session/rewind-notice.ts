// What the learner reads while "Go back to here" rebuilds the lab, and after: progress, done, or why it could not.
// The engine's own errors (RewindError, the storage layer's) are written for the learner; anything else is not shown.

export interface RewindNotice {
  /** done: the lab is back at the point chosen; problem: it is not (the text says where it is instead). */
  tone: 'done' | 'problem';
  text: string;
}

const REDO_KEPT = 'Redo does the steps taken back again, one at a time, until you do something new.';

export function rewindMessages(toSeq: number) {
  const point = toSeq <= 1 ? 'as it started' : `up to step ${toSeq - 1}`;
  return {
    finishing: 'Saving the lab before going back…',
    rebuilding: (done: number, total: number) =>
      total === 0 ? `Rebuilding the lab ${point}…` : `Rebuilding the lab ${point}… ${done} of ${total}`,
    done: `${toSeq <= 1 ? 'The lab is back as it started.' : `The lab is back as it was after step ${toSeq - 1}.`} ${REDO_KEPT}`,
    failed(err: unknown): string {
      const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
      if (e?.name === 'RewindError' && e.code === 'REPLAY_MISMATCH') {
        return `${String(e.message)} The lab is open as the rebuild left it; the steps after that point are kept as Redo.`;
      }
      if (e?.name === 'RewindError') return `The lab could not go back: ${String(e.message)} Nothing was changed.`;
      console.error('keylab: going back failed', err);
      const own = e && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) && typeof e.message === 'string' && e.name !== 'Error';
      return `The lab could not go back${own ? `: ${String(e.message)}` : ' (the details are in the browser’s console)'}. It is open as it was saved.`;
    },
  };
}
