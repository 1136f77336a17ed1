// The Lambda face of a monitor: a scheduled event (EventBridge, once a minute) → the monitor's inner
// loop at its configured interval inside that minute (runInnerLoop). `once: true` runs one iteration —
// what the local runtime's accelerated scheduler uses.
import middy from '@middy/core';
import { z } from 'zod';
import { runInnerLoop } from '../loop.ts';
import type { MonitorDeps } from './position-monitor.ts';

export const MonitorEventSchema = z.object({
  time: z.iso.datetime({ offset: true }),
  once: z.boolean().optional(),
});

export function makeMonitorHandler(
  intervalSeconds: (deps: MonitorDeps) => number,
  once: (deps: MonitorDeps, slotTime: number) => Promise<unknown>,
  getDeps: () => Promise<MonitorDeps>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
) {
  return middy(async (event: unknown) => {
    const e = MonitorEventSchema.parse(event);
    const deps = await getDeps();
    const minute = Math.floor(Date.parse(e.time) / 60_000) * 60_000;
    // One invocation covers one minute; an interval of a minute or more is one run per invocation.
    if (e.once) {
      await once(deps, deps.clock.now());
      return { iterations: 1 };
    }
    const r = await runInnerLoop(
      { scheduledAt: minute, periodMs: 60_000, intervalMs: intervalSeconds(deps) * 1_000 },
      { clock: deps.clock, sleep },
      (slot) => once(deps, slot).then(() => undefined),
    );
    return { iterations: r.iterations, skippedSlots: r.skippedSlots };
  });
}
