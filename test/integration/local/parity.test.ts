// The proof that backtest results mean something live: the same strategy, data and configuration run
// (a) through the backtester and (b) through the local serverless wiring — scheduler → strategy-tick
// handler → FIFO queue → order-executor handler → simulated exchange, state in dynalite — produce the
// same fills and the same final equity.
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import { monthDataDir, monthDataset } from '../../support/month-data.ts';

const fillKey = (f: { time: number; side: string; quantity: number; price: number; market: string }) =>
  `${new Date(f.time).toISOString()} ${f.market} ${f.side} ${f.quantity.toFixed(6)} @ ${f.price.toFixed(6)}`;

describe.each(['grid', 'volatility_breakout'] as const)('backtest ↔ local wiring parity: %s', (name) => {
  it('same fills (time, side, quantity, price) and the same final equity within 1e-9', async () => {
    // A performance pause is a live control the backtester does not model: off for the comparison.
    const config = loadConfig({
      DEFAULT_FUTURES_STRATEGY: name,
      SYMBOLS: 'BTCUSDT',
      PERFORMANCE_AUTO_PAUSE: 'false',
    });
    const strategy = STRATEGIES[name];
    const params = strategy.paramsSchema.parse({});
    const bt = runBacktest({
      strategy,
      params,
      dataset: monthDataset(),
      slippagePct: 0.01,
      marginMode: config.MARGIN_MODE,
    });

    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const local = await startLocalRuntime({
      config,
      dataDir: monthDataDir(),
      initialSpotUsdt: 0,
      slippagePct: 0.01,
      telegram: { infoFile: false }, // on (the notifier sees every event), without a file for `npm run tg`
    });
    await local.run();
    await local.stop();

    const btFills = bt.fills.map(fillKey);
    const liveFills = local.sim.ledger.fills.map(fillKey);
    expect(btFills.length).toBeGreaterThan(5);
    expect(liveFills).toEqual(btFills);
    const live = local.result().metrics.finalEquity;
    expect(Math.abs(live - bt.metrics.finalEquity) / bt.metrics.finalEquity).toBeLessThan(1e-9);
  }, 300_000);
});
