// A schema issue in words: zod/mini carries no message catalogue (that keeps it small), so a problem without a
// message of its own is described here from its code, never left as "Invalid input".
import type * as z from 'zod/mini';

type Issue = z.core.$ZodIssue;

/** `data` is what was parsed: zod/mini does not keep the input, so whether a field is missing is read from it. */
export function issueText(issue: Issue, data: unknown): string {
  const own = issue.message && issue.message !== 'Invalid input' ? issue.message : null;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'a field' : 'fields'} a scenario does not have: ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return own ?? (valueAt(data, issue.path) === undefined ? `is missing (${issue.expected} expected)` : `must be ${article(issue.expected)}`);
    case 'invalid_value':
      return own ?? `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return own ?? ('note' in issue && issue.note === 'No matching discriminator' ? 'is not one this keylab knows' : 'matches no allowed form');
    case 'too_small':
      return own ?? `must ${issue.origin === 'array' ? 'have at least' : 'be at least'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return own ?? `must ${issue.origin === 'array' ? 'have at most' : 'be at most'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    default:
      return own ?? 'is not valid here';
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at = data;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
