// Lambda: one strategy tick, fired by an EventBridge schedule whose input transformer passes
// {"strategy", "symbol", "time"} (the scheduled time). Wiring only: parse, align the instant, run.
import middy from '@middy/core';
import { z } from 'zod';
import { EmfMetrics } from '../../shared/adapters/aws/emf-metrics.ts';
import { strategyTick, type TickDeps, type TickResult } from '../../shared/app/strategy-tick.ts';
import { once, productionDeps } from '../../shared/app/wiring.ts';
import { loadStrategyParams } from '../../shared/config/strategy-config.ts';
import { StrategyNameSchema, SymbolSchema } from '../../shared/domain/primitives.ts';
import type { MetricsSink } from '../../shared/ports/metrics.ts';
import { STRATEGIES } from '../../shared/strategies/registry.ts';

export const TickEventSchema = z.object({
  strategy: StrategyNameSchema,
  symbol: SymbolSchema,
  time: z.iso.datetime({ offset: true }),
});

const HOUR = 3_600_000;

export function makeTickHandler(
  getDeps: () => Promise<TickDeps & { strategyConfigFile?: string | undefined }>,
  metrics?: MetricsSink,
) {
  return middy(async (event: unknown): Promise<TickResult> => {
    const e = TickEventSchema.parse(event);
    const deps = await getDeps();
    const strategy = STRATEGIES[e.strategy];
    const params = loadStrategyParams(deps.strategyConfigFile)[e.strategy];
    // Strategies decide on closed hourly candles: align the instant to the hour it belongs to.
    const tickTime = Math.floor(Date.parse(e.time) / HOUR) * HOUR;
    const result = await strategyTick({ strategy, params, symbol: e.symbol, tickTime }, deps);
    metrics?.add('Heartbeat', 1, 'Count', { function: 'strategy-tick' });
    metrics?.flush();
    return result;
  });
}

export const handler = makeTickHandler(
  once(async () => {
    const deps = await productionDeps();
    return { ...deps, strategyConfigFile: deps.config.STRATEGY_CONFIG_FILE };
  }),
  new EmfMetrics('strategy-tick'),
);
