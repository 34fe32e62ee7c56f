// A component's slice of the view is kept while equal, so it re-renders for its own changes only; a changed slice, or
// a selector asking for something else, gives the new one.
import { describe, expect, it } from 'vitest';
import type { LabView } from '@/machines/lab-types';
import { sameData, selectionOf } from './lab-selection';

const viewWith = (events: { id: number }[], saveProblem: string | null) => ({ events, saveProblem }) as unknown as LabView;

describe('selectionOf', () => {
  const events = (v: LabView) => v.events;
  it('keeps the slice while the same view is read again', () => {
    const view = viewWith([{ id: 1 }], null);
    const first = selectionOf(null, view, events, sameData);
    expect(selectionOf(first, view, events, sameData)).toBe(first);
  });

  it('keeps the last slice when a new view holds equal data, and takes the new one when it differs', () => {
    const first = selectionOf(null, viewWith([{ id: 1 }], null), events, sameData);
    const unchanged = selectionOf(first, viewWith([{ id: 1 }], 'The lab could not be saved.'), events, sameData);
    expect(unchanged.value).toBe(first.value);
    const changed = selectionOf(unchanged, viewWith([{ id: 1 }, { id: 2 }], null), events, sameData);
    expect(changed.value).toEqual([{ id: 1 }, { id: 2 }]);
    expect(changed.value).not.toBe(first.value);
  });

  it('asks a new selector even on the same view', () => {
    const view = viewWith([{ id: 1 }], 'full');
    const first = selectionOf<unknown>(null, view, events, Object.is);
    expect(selectionOf<unknown>(first, view, (v) => v.saveProblem, Object.is).value).toBe('full');
  });
});

describe('sameData', () => {
  it('compares plain data by value', () => {
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toBe(true);
    expect(sameData({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });

  it('compares Maps by their entries and anything else only by identity', () => {
    expect(sameData(new Map([['esx-01', { name: 'esx-01.lab.local' }]]), new Map([['esx-01', { name: 'esx-01.lab.local' }]]))).toBe(true);
    expect(sameData(new Map([['esx-01', { name: 'a' }]]), new Map([['esx-01', { name: 'b' }]]))).toBe(false);
    expect(sameData(new Map(), {})).toBe(false);
    expect(sameData(new Uint8Array([1]), new Uint8Array([1]))).toBe(false);
  });
});
