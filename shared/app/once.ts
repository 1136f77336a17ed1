// Build once per container: warm invocations reuse clients and loaded markets.
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make().catch((err) => {
      p = undefined; // a failed cold start must not poison the container
      throw err;
    });
    return p;
  };
}
