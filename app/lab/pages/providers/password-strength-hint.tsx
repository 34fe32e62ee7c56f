'use client';
// The strength meter under the backup password: the same estimator (lib/password) the backup itself records its
// rating with, so the meter and a lesson's check agree. Its dictionaries load when the dialog first shows the meter.
import { useDeferredValue, useEffect, useState } from 'react';
import { loadPasswordRater, strengthText, type PasswordRater, type StrengthLevel } from '@/lib/password/password-strength';

const COLOUR: Record<StrengthLevel | 'empty', string> = {
  empty: 'text-slate-700 dark:text-slate-300',
  weak: 'text-red-800 dark:text-red-300',
  fair: 'text-amber-900 dark:text-amber-200',
  strong: 'text-green-800 dark:text-green-300',
};

function usePasswordRater(): { rate: PasswordRater | null; failed: boolean } {
  const [state, setState] = useState<{ rate: PasswordRater | null; failed: boolean }>({ rate: null, failed: false });
  useEffect(() => {
    let live = true;
    loadPasswordRater().then(
      (rate) => live && setState({ rate, failed: false }),
      (error: unknown) => {
        console.error('keylab: the password strength estimator did not load', error);
        if (live) setState({ rate: null, failed: true });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export function PasswordStrengthHint({ id, password, providerName }: { id: string; password: string; providerName: string }) {
  const { rate, failed } = usePasswordRater();
  // Rating a long password takes a few tens of ms: typing never waits for it.
  const rated = useDeferredValue(password);
  let level: StrengthLevel | 'empty' = 'empty';
  let text: string;
  if (password === '') text = 'Enter a password to protect the KDK in the file: four or more unrelated words make a strong one.';
  else if (failed) text = 'The strength check could not be loaded; four or more unrelated words make a strong password.';
  else if (!rate) text = 'Checking how strong it is…';
  else {
    const verdict = rate(rated, [providerName]);
    level = verdict.level;
    text = strengthText(verdict);
  }
  return (
    <p id={id} aria-live="polite" className={`text-xs ${COLOUR[level]}`} data-testid="password-strength" data-level={level}>
      {text}
    </p>
  );
}
