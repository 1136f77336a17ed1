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

/**
 * Like `once`, for what holds a secret: `stale()` makes the next call rebuild it with `fresh = true`
 * (re-read the secret bypassing every cache — a rotated key or token), at most once per `minIntervalMs`
 * so a flood of refused requests cannot hammer the secret store. Returns whether a rebuild was granted.
 */
export function refreshable<T>(
  make: (fresh: boolean) => Promise<T>,
  opts: { minIntervalMs?: number; now?: () => number } = {},
): { get: () => Promise<T>; stale: () => boolean } {
  const minIntervalMs = opts.minIntervalMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let p: Promise<T> | undefined;
  let fresh = false;
  let lastRefresh = Number.NEGATIVE_INFINITY;
  return {
    get() {
      p ??= make(fresh).catch((err) => {
        p = undefined; // a failed build must not poison the container
        throw err;
      });
      fresh = false;
      return p;
    },
    stale() {
      if (now() - lastRefresh < minIntervalMs) return false;
      lastRefresh = now();
      p = undefined;
      fresh = true;
      return true;
    },
  };
}
