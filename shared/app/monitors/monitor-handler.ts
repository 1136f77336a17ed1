// The Lambda face of a monitor: a scheduled event (EventBridge, once a minute) → the monitor's inner
// loop at its configured interval inside that minute (runInnerLoop). `once: true` runs one iteration —
// what the local runtime's accelerated scheduler uses. Each invocation reports its loop latency (the
// slowest iteration) and skipped slots in one structured log line (not metrics: they would cost $0.30 a
// month each and no alarm reads them), and writes its metrics once; a failure is logged with the
// function's name and rethrown (EventBridge does not retry monitors: the next minute runs).
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { z } from 'zod';
import { redactingErrors, redactSecrets } from '../../config/redact.ts';
import { runInnerLoop } from '../loop.ts';
import type { MonitorDeps } from './position-monitor.ts';

export const MonitorEventSchema = z.object({
  time: z.iso.datetime({ offset: true }),
  once: z.boolean().optional(),
  /** The executor's wake-up after an entry (the guardian only): the loop starts at `time`, not the minute. */
  wake: z.boolean().optional(),
});

export function makeMonitorHandler(
  intervalSeconds: (deps: MonitorDeps) => number,
  once: (deps: MonitorDeps, slotTime: number) => Promise<unknown>,
  getDeps: () => Promise<MonitorDeps>,
  options: {
    name?: string;
    logger?: Logger;
    sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const name = options.name ?? 'monitor';
  return middy(async (event: unknown) => {
    const e = MonitorEventSchema.parse(event);
    const deps = await getDeps();
    const minute = Math.floor(Date.parse(e.time) / 60_000) * 60_000;
    let longest = 0;
    const timed = async (slot: number) => {
      const started = deps.clock.now();
      await once(deps, slot);
      longest = Math.max(longest, deps.clock.now() - started);
    };
    let result: { iterations: number; skippedSlots: number };
    try {
      if (e.once) {
        await timed(deps.clock.now());
        result = { iterations: 1, skippedSlots: 0 };
      } else {
        // One invocation covers one minute; an interval of a minute or more is one run per invocation.
        const r = await runInnerLoop(
          { scheduledAt: minute, periodMs: 60_000, intervalMs: intervalSeconds(deps) * 1_000 },
          { clock: deps.clock, sleep },
          timed,
        );
        result = { iterations: r.iterations, skippedSlots: r.skippedSlots };
      }
    } catch (err) {
      options.logger?.error(`${name} failed`, {
        scheduled: e.time,
        error: redactSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
      });
      throw err;
    }
    deps.metrics.flush();
    options.logger?.info(`${name} ran`, { scheduled: e.time, ...result, longestIterationMs: longest });
    return result;
  }).use(redactingErrors());
}
