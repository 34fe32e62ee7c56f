// The console's values as PowerShell sees them: strings, numbers, booleans, $null, arrays, script blocks and objects
// with named properties looked up case-insensitively (PSObject). Conversions, truthiness, comparison and wildcards
// follow PowerShell's rules for the cases the lab meets.
import type { Expr } from '@/lib/powershell';

export class PsObject {
  private readonly props = new Map<string, { name: string; value: unknown }>();

  /** `typeName` picks the default view (VirtualMachine, VMHost...); `label` is what the object prints as a string. */
  constructor(
    readonly typeName: string,
    properties: Record<string, unknown>,
    private readonly label?: string,
  ) {
    for (const [name, value] of Object.entries(properties)) this.props.set(name.toLowerCase(), { name, value });
  }

  get(name: string): unknown {
    return this.props.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.props.has(name.toLowerCase());
  }

  /** The property's name as the object spells it. */
  nameOf(name: string): string | undefined {
    return this.props.get(name.toLowerCase())?.name;
  }

  names(): string[] {
    return [...this.props.values()].map((p) => p.name);
  }

  toString(): string {
    return this.label ?? (typeof this.get('Name') === 'string' ? (this.get('Name') as string) : this.typeName);
  }
}

export interface ScriptBlockValue {
  kind: 'scriptBlock';
  body: Expr & { kind: 'scriptBlock' };
}

/** Text already laid out by Format-Table / Format-List: printed as it is. */
export interface FormattedText {
  kind: 'formatted';
  text: string;
}

export const isScriptBlock = (v: unknown): v is ScriptBlockValue => typeof v === 'object' && v !== null && (v as ScriptBlockValue).kind === 'scriptBlock';
export const isFormatted = (v: unknown): v is FormattedText => typeof v === 'object' && v !== null && (v as FormattedText).kind === 'formatted';

/** A value enumerated into a pipeline: an array gives its items, $null nothing, anything else itself. */
export function enumerate(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  return [value];
}

/** A pipeline's output as a value: nothing is $null, one item is the item, more are an array. */
export function collapse(items: unknown[]): unknown {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return items;
}

export function psTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'System.String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'System.Int32' : 'System.Double';
  if (typeof value === 'boolean') return 'System.Boolean';
  if (Array.isArray(value)) return 'System.Object[]';
  if (isScriptBlock(value)) return 'System.Management.Automation.ScriptBlock';
  if (value instanceof PsObject) return value.typeName;
  return 'System.Object';
}

export function toPsString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (Array.isArray(value)) return value.map(toPsString).join(' ');
  if (isScriptBlock(value)) return value.body.text;
  if (value instanceof Uint8Array) return 'System.Byte[]';
  return String(value);
}

export function toBool(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length === 1 ? toBool(value[0]) : value.length > 0;
  return true;
}

/** A PowerShell wildcard (* ? [abc]) as a case-insensitive regular expression over the whole string. */
export function wildcardRegex(pattern: string, caseSensitive = false): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '`' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, caseSensitive ? 's' : 'is');
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const hasWildcard = (s: string) => /[*?[]/.test(s);

/** PowerShell's comparison: numbers as numbers (the right side converted to the left's type), strings case-insensitively. */
export function compareValues(left: unknown, right: unknown, caseSensitive = false): number {
  if (typeof left === 'number') {
    const r = typeof right === 'number' ? right : Number(toPsString(right));
    if (Number.isNaN(r)) return toPsString(left).localeCompare(toPsString(right));
    return left === r ? 0 : left < r ? -1 : 1;
  }
  if (typeof left === 'boolean') return Number(left) - Number(toBool(right));
  const a = toPsString(left);
  const b = toPsString(right);
  const x = caseSensitive ? a : a.toLowerCase();
  const y = caseSensitive ? b : b.toLowerCase();
  return x === y ? 0 : x < y ? -1 : 1;
}

export function valuesEqual(left: unknown, right: unknown, caseSensitive = false): boolean {
  if (left === null || left === undefined) return right === null || right === undefined;
  if (right === null || right === undefined) return false;
  if (left instanceof PsObject || right instanceof PsObject) {
    if (left instanceof PsObject && right instanceof PsObject) return left === right || (left.typeName === right.typeName && left.get('Id') !== undefined && left.get('Id') === right.get('Id'));
    return compareValues(toPsString(left), toPsString(right), caseSensitive) === 0;
  }
  return compareValues(left, right, caseSensitive) === 0;
}
