// Lambda: one strategy tick, fired by an EventBridge schedule whose input transformer passes
// {"strategy", "symbol", "time"} (the scheduled time). Wiring only: parse, align the instant, run.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { z } from 'zod';
import { EmfMetrics } from '../../shared/adapters/aws/emf-metrics.ts';
import { type OwnerAssignment, ownerOfSymbol, strategyOwns } from '../../shared/app/ownership.ts';
import { strategyTick, type TickDeps, type TickResult } from '../../shared/app/strategy-tick.ts';
import { redactingErrors } from '../../shared/config/redact.ts';
import { loadStrategyParams } from '../../shared/config/strategy-config.ts';
import { StrategyNameSchema, SymbolSchema } from '../../shared/domain/primitives.ts';
import type { MetricsSink } from '../../shared/ports/metrics.ts';
import { STRATEGIES } from '../../shared/strategies/registry.ts';
import { once, productionDeps } from '../production-deps.ts';

export const TickEventSchema = z.object({
  strategy: StrategyNameSchema,
  symbol: SymbolSchema,
  time: z.iso.datetime({ offset: true }),
});

const HOUR = 3_600_000;

/**
 * A tick that starts this long after its scheduled time refuses to trade: its hour's decision belongs
 * to a market that has moved on (a throttled or delayed invocation). The schedule's event age bound
 * (infra/aws/constructs/schedules.ts) drops such events earlier; this holds for any other late path.
 */
export const TICK_MAX_LATENESS_MS = 6 * 60_000;

export function makeTickHandler(
  getDeps: () => Promise<
    TickDeps & { strategyConfigFile?: string | undefined; assignment?: OwnerAssignment | undefined }
  >,
  metrics?: MetricsSink,
  logger?: Logger,
) {
  return middy(async (event: unknown): Promise<TickResult> => {
    const e = TickEventSchema.parse(event);
    const deps = await getDeps();
    const strategy = STRATEGIES[e.strategy];
    const params = loadStrategyParams(deps.strategyConfigFile)[e.strategy];
    // Strategies decide on closed hourly candles: align the instant to the hour it belongs to.
    const tickTime = Math.floor(Date.parse(e.time) / HOUR) * HOUR;
    const started = deps.clock.now();
    const lateMs = started - Date.parse(e.time);
    if (lateMs > TICK_MAX_LATENESS_MS) {
      const reason = `started ${Math.round(lateMs / 1000)} s after its scheduled time ${e.time} (bound ${TICK_MAX_LATENESS_MS / 1000} s): refusing to trade on a stale decision; the next tick decides`;
      logger?.warn('strategy tick too late', {
        strategy: e.strategy,
        symbol: e.symbol,
        scheduled: e.time,
        lateMs,
      });
      metrics?.add('Heartbeat', 1, 'Count', { function: 'strategy-tick' });
      metrics?.flush();
      return { kind: 'skipped', reason };
    }
    // A schedule left over from an older assignment must not trade another strategy's symbol.
    if (deps.assignment && !strategyOwns(deps.assignment, e.strategy, e.symbol)) {
      const reason = `${e.strategy} does not trade ${e.symbol}: the assignment gives it to ${ownerOfSymbol(deps.assignment, e.symbol)} (STRATEGY_SYMBOLS)`;
      logger?.warn('strategy tick on a symbol it does not own', { strategy: e.strategy, symbol: e.symbol });
      return { kind: 'skipped', reason };
    }
    const result = await strategyTick({ strategy, params, symbol: e.symbol, tickTime }, deps);
    const done = deps.clock.now();
    // Latency: how long the tick took; lag: how long after its scheduled instant it finished.
    metrics?.add('TickLatency', done - started, 'Milliseconds', { strategy: e.strategy });
    metrics?.add('TickLag', done - Date.parse(e.time), 'Milliseconds', { strategy: e.strategy });
    metrics?.add('Heartbeat', 1, 'Count', { function: 'strategy-tick' });
    logger?.info('strategy tick', {
      strategy: e.strategy,
      symbol: e.symbol,
      scheduled: e.time,
      outcome: result.kind,
      ...(result.kind === 'ticked'
        ? { enqueued: result.enqueued, rejected: result.rejected.length, notes: result.notes.slice(0, 5) }
        : { reason: result.reason }),
      latencyMs: done - started,
    });
    metrics?.flush();
    return result;
  }).use(redactingErrors());
}

export const handler = makeTickHandler(
  once(async () => {
    const deps = await productionDeps();
    return { ...deps, strategyConfigFile: deps.config.STRATEGY_CONFIG_FILE };
  }),
  new EmfMetrics('strategy-tick'),
  new Logger({ serviceName: 'strategy-tick' }),
);
