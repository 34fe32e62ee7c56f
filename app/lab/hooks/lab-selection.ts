// The pure part of useLabSelector: a component's slice of the LabView, kept (the same object) while it is equal to the
// last one, so React re-renders a component only when its own slice changed, not on every change of the lab.
import type { LabView } from '@/machines/lab-types';

export interface Selection<T> {
  view: LabView;
  select: (view: LabView) => T;
  value: T;
}

/** The slice of `view`: the last one when nothing it depends on changed, or when the new one is equal to it. */
export function selectionOf<T>(
  last: Selection<T> | null,
  view: LabView,
  select: (view: LabView) => T,
  isEqual: (a: T, b: T) => boolean,
): Selection<T> {
  if (last && last.view === view && last.select === select) return last;
  const value = select(view);
  return { view, select, value: last && isEqual(last.value, value) ? last.value : value };
}

/**
 * Equality of plain data (what LabView is made of: objects, arrays, strings, numbers, booleans, null) and of Maps of
 * it (objectDirectory). Anything else (a Uint8Array, a Date) is equal only to itself.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map || b instanceof Map) {
    return a instanceof Map && b instanceof Map && a.size === b.size && [...a].every(([key, value]) => b.has(key) && sameData(value, b.get(key)));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameData(a[key], b[key]));
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
