// Where the console's command history is kept: this browser's localStorage, per lab id. It is the learner's UI state,
// not the datacenter (a replay of the lab must not depend on what was typed, and the journal already keeps what the
// typed commands did), so it stays out of the lab's saved record; Reset lab and Restart lesson clear it, since the
// commands were typed at a lab that no longer exists. Capped so a long session (or a 10,000-character line) cannot
// fill the browser's storage.

/** Lines remembered, newest kept. */
export const HISTORY_MAX_LINES = 200;
/** Characters stored in all; a longer history drops its oldest lines. */
export const HISTORY_MAX_CHARS = 50_000;
/** A line longer than this is kept for this visit only, never stored. */
export const HISTORY_MAX_LINE = 4_000;

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyOf = (labId: string) => `keylab-powercli-history-${labId}`;

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled
  }
}

/** The lines as stored: within the caps, newest kept. */
export function capHistory(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let chars = 0;
  for (let i = lines.length - 1; i >= 0 && kept.length < HISTORY_MAX_LINES; i--) {
    const line = lines[i]!;
    if (line.length > HISTORY_MAX_LINE) continue;
    if (chars + line.length > HISTORY_MAX_CHARS) break;
    chars += line.length;
    kept.push(line);
  }
  return kept.reverse();
}

export function loadHistory(labId: string, store: Store | null = storage()): string[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(keyOf(labId)) ?? '[]');
    return Array.isArray(parsed) ? capHistory(parsed.filter((x): x is string => typeof x === 'string')) : [];
  } catch {
    return [];
  }
}

export function saveHistory(labId: string, lines: readonly string[], store: Store | null = storage()): void {
  try {
    store?.setItem(keyOf(labId), JSON.stringify(capHistory(lines)));
  } catch {
    // Storage full or disabled: the history still works for this visit.
  }
}

/** Reset lab, Restart lesson: the history of the lab thrown away goes with it. */
export function clearHistory(labId: string, store: Store | null = storage()): void {
  try {
    store?.removeItem(keyOf(labId));
  } catch {
    // Storage disabled: nothing was stored.
  }
}
