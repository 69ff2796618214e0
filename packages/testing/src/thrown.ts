/** The error `f` throws (a test fails if it returns instead), to check its class and message in several lines. */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but the call returned');
}
