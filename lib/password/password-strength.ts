// How strong a backup password is, judged by zxcvbn (@zxcvbn-ts: pattern matching against common passwords, names,
// words, keyboard walks, dates and l33t, giving an estimate of the guesses an attacker needs). The rating asks what the
// .p12 faces: an attacker with the file guesses offline, as fast as their hardware runs its PBKDF2, for as long as they
// like; so a password is strong only past about 10^16 guesses, which counting characters alone cannot tell
// ("Tr0ub4dor&3xyz" has every kind of character and is about 10^13; four random words are about 10^19).
// The estimator's dictionaries weigh about 800 kB gzipped: loadPasswordRater() fetches them on first use only (the
// backup dialog, a backup being made), never with the lab's first load. Rating itself is pure and synchronous.

export type StrengthLevel = 'weak' | 'fair' | 'strong';

export interface StrengthVerdict {
  level: StrengthLevel;
  /** log10 of zxcvbn's estimate of the guesses needed. */
  guessesLog10: number;
  /** zxcvbn's warning about the pattern it found (e.g. "This is a commonly used password."), or null. */
  warning: string | null;
  /** zxcvbn's suggestions, in English. */
  suggestions: string[];
}

/** Below this many guesses (10^10, zxcvbn's own top score) any offline attack on the file finds it. */
export const FAIR_FROM_LOG10 = 10;
/** From this many guesses (10^16) an offline attack at a GPU rig's speed takes decades. */
export const STRONG_FROM_LOG10 = 16;

/** What zxcvbn's result carries that the rating needs (its own type is wider). */
export interface EstimatorResult {
  guessesLog10: number;
  feedback: { warning: string | null; suggestions: string[] };
}

/** The rating of one zxcvbn result: pure, so it is tested without the dictionaries. */
export function verdictOf(result: EstimatorResult): StrengthVerdict {
  const g = result.guessesLog10;
  const level: StrengthLevel = g >= STRONG_FROM_LOG10 ? 'strong' : g >= FAIR_FROM_LOG10 ? 'fair' : 'weak';
  return { level, guessesLog10: g, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}

/** The hint shown under the password field, in plain words. */
export function strengthText(verdict: StrengthVerdict): string {
  const why = verdict.warning ? ` ${verdict.warning}` : '';
  if (verdict.level === 'weak') return `Weak: whoever copies the file could guess it quickly.${why} Use four or more unrelated words.`;
  if (verdict.level === 'fair') return `Fair: it would hold for a while against someone with the file, not for years.${why} Four or more unrelated words are stronger.`;
  return 'Strong. Keep it somewhere safe, apart from the file: without it the backup cannot be restored.';
}

/** Rates a password; `userInputs` are words an attacker would try first (the provider's name, "vcenter"…). */
export type PasswordRater = (password: string, userInputs?: string[]) => StrengthVerdict;

/** Words anyone attacking a vSphere backup tries first. */
const CONTEXT_WORDS = ['vmware', 'vsphere', 'vcenter', 'esxi', 'keylab', 'backup', 'native', 'provider', 'nkp'];

let rater: Promise<PasswordRater> | null = null;

/** The rater, with zxcvbn and its English and common dictionaries loaded (once, on first call). */
export function loadPasswordRater(): Promise<PasswordRater> {
  rater ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
    return (password, userInputs = []) => verdictOf(zxcvbn.check(password, [...CONTEXT_WORDS, ...userInputs]));
  })();
  // A failed fetch (a dropped chunk) is tried again next time, not remembered.
  rater.catch(() => (rater = null));
  return rater;
}
