// The console's history store: capped (lines, characters, one long line), per lab, cleared by a reset, and a damaged
// entry reads as no history rather than an error.
import { describe, expect, it } from 'vitest';
import { capHistory, clearHistory, HISTORY_MAX_CHARS, HISTORY_MAX_LINES, loadHistory, saveHistory } from './command-history-store';

function memoryStore() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
}

describe('command history store', () => {
  it('keeps the newest lines within the caps', () => {
    const many = Array.from({ length: 500 }, (_, i) => `Get-VM vm-${i}`);
    expect(capHistory(many)).toEqual(many.slice(-HISTORY_MAX_LINES));
    const wide = Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(1_000, 'x'));
    const kept = capHistory(wide);
    expect(kept.join('').length).toBeLessThanOrEqual(HISTORY_MAX_CHARS);
    expect(kept.at(-1)).toBe(wide.at(-1));
    expect(capHistory(['Get-VM', 'x'.repeat(10_000), 'Get-VMHost'])).toEqual(['Get-VM', 'Get-VMHost']);
  });

  it('is per lab, survives a reload, and a reset clears it', () => {
    const store = memoryStore();
    saveHistory('lab-a', ['Get-VM', 'Stop-VM db-01'], store);
    saveHistory('lab-b', ['Get-KeyProvider'], store);
    expect(loadHistory('lab-a', store)).toEqual(['Get-VM', 'Stop-VM db-01']);
    clearHistory('lab-a', store);
    expect(loadHistory('lab-a', store)).toEqual([]);
    expect(loadHistory('lab-b', store)).toEqual(['Get-KeyProvider']);
  });

  it('reads damaged storage as no history', () => {
    const store = memoryStore();
    store.setItem('keylab-powercli-history-lab-a', '{not json');
    expect(loadHistory('lab-a', store)).toEqual([]);
    store.setItem('keylab-powercli-history-lab-a', JSON.stringify(['Get-VM', 42, null]));
    expect(loadHistory('lab-a', store)).toEqual(['Get-VM']);
  });
});
