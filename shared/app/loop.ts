// Sub-minute work inside a one-minute invocation. EventBridge fires at most once a minute, so a 5 s
// monitor runs 12 iterations in one invocation, on a grid aligned to the scheduled minute, and stops
// before the next invocation's minute begins — never two invocations at once. A late start skips the
// slots already past (caught up by running now), it does not run them all back to back.
export interface LoopDeps {
  clock: { now(): number };
  sleep(ms: number): Promise<void>;
}

export interface LoopResult {
  iterations: number;
  /** Start times of the iterations (ms). */
  starts: number[];
  skippedSlots: number;
}

export async function runInnerLoop(
  p: { scheduledAt: number; periodMs: number; intervalMs: number; safetyMs?: number },
  deps: LoopDeps,
  body: (slotTime: number) => Promise<void>,
): Promise<LoopResult> {
  const end = p.scheduledAt + p.periodMs - (p.safetyMs ?? 1_000);
  const result: LoopResult = { iterations: 0, starts: [], skippedSlots: 0 };
  let slot = p.scheduledAt;
  // The longest iteration so far: one is not started unless it can finish before the next minute.
  let longest = 0;
  for (;;) {
    const now = deps.clock.now();
    if (now + longest >= end) break;
    // Slots already wholly past are skipped (counted); the current one runs now.
    while (slot + p.intervalMs <= now) {
      slot += p.intervalMs;
      result.skippedSlots++;
    }
    if (slot + longest >= end) break;
    if (now < slot) await deps.sleep(slot - now);
    const started = deps.clock.now();
    result.starts.push(started);
    result.iterations++;
    await body(slot);
    longest = Math.max(longest, deps.clock.now() - started);
    slot += p.intervalMs;
  }
  return result;
}
