// What went wrong, as text a learner can read, from anything a promise may reject with or code may throw.
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null) return 'Something failed without saying why.';
  return String(error);
}
