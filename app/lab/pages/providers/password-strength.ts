// A plain-words strength hint for the NKP backup password (advice only: vSphere does not enforce a policy here).

export interface StrengthHint {
  level: 'empty' | 'weak' | 'fair' | 'strong';
  text: string;
}

export function passwordStrength(password: string): StrengthHint {
  if (password.length === 0) return { level: 'empty', text: 'Enter a password to protect the KDK in the file.' };
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const long = password.length >= 12;
  if (password.length < 8 || kinds < 2) {
    return { level: 'weak', text: 'Weak: anyone holding the file could guess it. Use 12 or more characters of mixed kinds.' };
  }
  if (!long || kinds < 3) {
    return { level: 'fair', text: 'Fair: longer (12+) with letters, digits and symbols is better.' };
  }
  return { level: 'strong', text: 'Strong. Keep it somewhere safe: without it the backup cannot be restored.' };
}
