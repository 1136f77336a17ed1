// The backtester applies a tick's margin actions through the simulator (after cancels, before intents),
// with the live tick's pre-check: a hedged short kept alive by added margin instead of a stop.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { IntentFactory, type MarginAction, type Strategy } from '../../../shared/strategies/strategy.ts';
import { rowsDataset } from '../../support/candles.ts';

// A short of 0.04 BTC at 60 000, 10x isolated: 240 USDT of margin. Liquidation price (Binance isolated,
// bracket 1, maintenance 0.4 %, cum 0): (240 + 0.04 × 60 000) / (0.04 × (1 + 0.004)) ≈ 65 737.
// After adding 300 USDT at 64 000: (540 + 2 400) / (0.04 × 1.004) ≈ 73 207 — above the 67 000 high.
const rows = [
  [60_000, 60_000, 60_000, 60_000],
  [60_000, 64_000, 60_000, 64_000],
  [64_000, 64_500, 63_500, 64_000],
  [64_000, 67_000, 64_000, 66_500],
  [66_500, 66_500, 66_000, 66_000],
] as const;
const dataset = rowsDataset(rows);

/** Shorts once; with `margin`, asks for `margin` actions once the mark is 63 000 or more. */
function shortThenProtect(margin: MarginAction[]): Strategy<unknown, { asked?: boolean }> {
  return {
    name: 'short_then_protect',
    description: 'test',
    paramsSchema: z.unknown(),
    timeframes: ['1h'],
    lookback: () => 0,
    evaluate({ view, account, state }) {
      const f = new IntentFactory('short_then_protect', view, { leverage: 10, marginMode: 'isolated' });
      if (!account.position && !state) {
        f.add({ market: 'futures', side: 'sell', type: 'market', quantity: 0.04 });
        return { intents: f.intents, cancels: [], notes: [], state: {} };
      }
      const ask = account.position !== undefined && view.markPrice >= 63_000 && !state?.asked;
      return {
        intents: [],
        cancels: [],
        notes: [],
        state: { asked: state?.asked || ask },
        ...(ask ? { marginActions: margin } : {}),
      };
    },
  };
}

describe('runBacktest: margin actions', () => {
  it('an isolated short liquidated without added margin survives with it', () => {
    const bare = runBacktest({ strategy: shortThenProtect([]), params: {}, dataset });
    expect(bare.liquidations).toHaveLength(1);

    const kept = runBacktest({
      strategy: shortThenProtect([{ kind: 'add_margin', amount: 300, reason: 'short near liquidation' }]),
      params: {},
      dataset,
    });
    expect(kept.liquidations).toHaveLength(0);
    expect(kept.rejections).toEqual([]);
    expect(kept.marginMoves?.adds).toEqual([
      { time: dataset.candles.time[2], symbol: 'BTCUSDT', amount: 300 },
    ]);
  });

  it('refused margin actions are recorded like rejected intents; a transfer moves USDT between wallets', () => {
    const r = runBacktest({
      strategy: shortThenProtect([
        { kind: 'add_margin', amount: Number.NaN, reason: 'bug' },
        { kind: 'transfer', from: 'spot', to: 'futures', amount: 500, reason: 'more than spot holds' },
        { kind: 'transfer', from: 'spot', to: 'futures', amount: 200, reason: 'fund the short' },
        { kind: 'add_margin', amount: 300, reason: 'short near liquidation' },
      ]),
      params: {},
      dataset,
      initialSpotUsdt: 300,
    });
    expect(r.rejections.map((x) => x.reasons[0])).toEqual([
      'add NaN USDT margin to BTCUSDT refused: the amount must be a finite number of USDT above 0',
      'transfer 500.00 USDT spot → futures (for BTCUSDT) refused: the spot wallet has only 300.00 USDT free',
    ]);
    expect(r.marginMoves?.transfers).toEqual([
      { id: 'sim-transfer-1', time: dataset.candles.time[2], from: 'spot', to: 'futures', amount: 200 },
    ]);
    expect(r.liquidations).toHaveLength(0);
  });
});
