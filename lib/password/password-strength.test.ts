// The backup password's rating with the real estimator and its dictionaries: a passphrase of four unrelated words is
// strong, a "complex" short password is not, common passwords are weak; the thresholds on their own.
import { describe, expect, it } from 'vitest';
import { FAIR_FROM_LOG10, loadPasswordRater, STRONG_FROM_LOG10, strengthText, verdictOf } from './password-strength';

describe('rating a backup password', () => {
  it('rates “correct horse battery staple” above “Tr0ub4dor&3xyz”: strong, and only fair', async () => {
    const rate = await loadPasswordRater();
    const passphrase = rate('correct horse battery staple');
    const complex = rate('Tr0ub4dor&3xyz');
    expect(passphrase.level).toBe('strong');
    expect(complex.level).toBe('fair');
    expect(passphrase.guessesLog10).toBeGreaterThan(complex.guessesLog10);
  });

  it('rates common passwords and their l33t versions weak, saying why', async () => {
    const rate = await loadPasswordRater();
    for (const p of ['password123', 'P@ssw0rd!2024', 'Summer2024!', 'qwertyuiopasdfgh', 'VMware2024!']) expect(rate(p).level, p).toBe('weak');
    expect(rate('password123').warning).toMatch(/common/i);
  });

  it('counts the provider’s own name against the password', async () => {
    const rate = await loadPasswordRater();
    const plain = rate('NKP-1-lantern-2026');
    const named = rate('NKP-1-lantern-2026', ['NKP-1']);
    expect(named.guessesLog10).toBeLessThanOrEqual(plain.guessesLog10);
  });

  it('three words are fair, four or more unrelated words strong (the lesson’s advice)', async () => {
    const rate = await loadPasswordRater();
    expect(rate('kitten piano glacier').level).toBe('fair');
    expect(rate('kitten piano glacier umbrella').level).toBe('strong');
    expect(rate('Copper-Lantern-Orbit-Meadow-42').level).toBe('strong');
  });

  it('maps the estimate to a level at 10^10 and 10^16 guesses, and says it in plain words', () => {
    const at = (g: number) => verdictOf({ guessesLog10: g, feedback: { warning: null, suggestions: [] } }).level;
    expect([at(FAIR_FROM_LOG10 - 0.01), at(FAIR_FROM_LOG10), at(STRONG_FROM_LOG10 - 0.01), at(STRONG_FROM_LOG10)]).toEqual(['weak', 'fair', 'fair', 'strong']);
    expect(strengthText(verdictOf({ guessesLog10: 3, feedback: { warning: 'This is a commonly used password.', suggestions: [] } }))).toMatch(
      /^Weak: .*commonly used password\. Use four or more unrelated words\.$/,
    );
    expect(strengthText(verdictOf({ guessesLog10: 20, feedback: { warning: null, suggestions: [] } }))).toMatch(/^Strong\./);
  });
});
