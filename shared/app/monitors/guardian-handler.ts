// The Lambda face of the guardian (./guardian.ts): a scheduled event (EventBridge, once a minute) runs the
// loop from that minute; the executor's wake-up (`wake: true`) runs it from the wake's instant to the end
// of its minute; `once: true` runs one check (the local runtime's accelerated replay). One heartbeat and
// one metrics write per invocation; latency and skipped slots go to the one structured log line. A step
// that failed is logged with the function's name and the invocation then fails (EventBridge does not
// retry it: the next minute runs).
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { redactingErrors, redactSecrets } from '../../config/redact.ts';
import { type GuardianRun, guardianSlot, runGuardian } from './guardian.ts';
import type { MonitorDeps } from './monitor-deps.ts';
import { MonitorEventSchema } from './monitor-handler.ts';

export const GUARDIAN = 'guardian';
/** Slack before the next minute's invocation: no check is started that could overlap it. */
export const GUARDIAN_SAFETY_MS = 1_000;

export function makeGuardianHandler(
  getDeps: () => Promise<MonitorDeps>,
  options: { logger?: Logger; sleep?: (ms: number) => Promise<void> } = {},
) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return middy(async (event: unknown) => {
    const e = MonitorEventSchema.parse(event);
    const deps = await getDeps();
    const at = Date.parse(e.time);
    const minute = Math.floor(at / 60_000) * 60_000;
    // `once`: a window that closes at once — the first check always runs, no second.
    const window = e.once
      ? { from: deps.clock.now(), until: Number.NEGATIVE_INFINITY }
      : { from: e.wake ? at : minute, until: minute + 60_000 - GUARDIAN_SAFETY_MS };
    const view = {}; // the account view written this invocation: again only on change
    const run: GuardianRun = await runGuardian(deps, window, sleep, (t, due, onError) =>
      guardianSlot(deps, t, due, onError, view),
    );
    const summary = {
      scheduled: e.time,
      ...(e.wake ? { wake: true } : {}),
      checks: run.checks,
      skippedSlots: run.skippedSlots,
      longestCheckMs: run.longestCheckMs,
      exposed: run.exposed,
    };
    if (run.error !== undefined) {
      const err = run.error;
      options.logger?.error(`${GUARDIAN} failed`, {
        ...summary,
        error: redactSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
      });
      deps.metrics.flush();
      throw err;
    }
    deps.metrics.add('Heartbeat', 1, 'Count', { function: GUARDIAN });
    deps.metrics.flush();
    options.logger?.info(`${GUARDIAN} ran`, summary);
    return { checks: run.checks, starts: run.starts, skippedSlots: run.skippedSlots, exposed: run.exposed };
  }).use(redactingErrors());
}
