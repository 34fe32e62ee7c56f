// Shared by the lib/crypto tests: the error a piece of async work throws, so a test can check its type and fields.

export async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, got none');
}
