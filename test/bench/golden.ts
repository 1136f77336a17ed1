// The engine's outputs on the shipped multi-year data, per strategy and symbol, as digests: the fills,
// rejections, liquidations and margin moves (sha256 of their JSON), every bar's equity (sha256 of the
// Float64Array's bytes) and the final equity. Recorded from the engine before a speed change
// (`npx tsx test/bench/golden.ts --record`), then compared after it (`npx tsx test/bench/golden.ts`, or
// test/unit/backtest/golden-outputs.test.ts): a faster engine must give identical results, bit for bit.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { BACKTEST_STRATEGIES } from '../../shared/backtest/registry.ts';
import { multiYearDataset } from './data.ts';

export const GOLDEN_FILE = new URL('./golden-outputs.json', import.meta.url);
export const GOLDEN_SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;
export const GOLDEN_STRATEGIES = [
  'buy_and_hold',
  'grid',
  'long_short_switch',
  'volatility_breakout',
  'funding_arbitrage',
] as const;

export interface Digest {
  fills: number;
  fillsSha256: string;
  rejections: number;
  rejectionsSha256: string;
  liquidations: number;
  liquidationsSha256: string;
  marginMovesSha256: string;
  equitySha256: string;
  finalEquity: number;
}

const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');

/** One run's digest: the settings are the bench's (default parameters, 0.01 % slippage). */
export function digestOf(strategy: string, symbol: string): Digest {
  const s = BACKTEST_STRATEGIES[strategy]!;
  const r = runBacktest({
    strategy: s,
    params: s.paramsSchema.parse({}),
    dataset: multiYearDataset(symbol),
    slippagePct: 0.01,
    ...(strategy === 'funding_arbitrage' ? { initialSpotUsdt: 10_000 } : {}),
  });
  const v = r.equity.value;
  return {
    fills: r.fills.length,
    fillsSha256: sha(r.fills),
    rejections: r.rejections.length,
    rejectionsSha256: sha(r.rejections),
    liquidations: r.liquidations.length,
    liquidationsSha256: sha(r.liquidations),
    marginMovesSha256: sha(r.marginMoves),
    equitySha256: createHash('sha256')
      .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
      .digest('hex'),
    finalEquity: v[v.length - 1]!,
  };
}

export const readGolden = (): Record<string, Digest> => JSON.parse(readFileSync(GOLDEN_FILE, 'utf8'));

if (import.meta.url === `file://${process.argv[1]}`) {
  const record = process.argv.includes('--record');
  const golden = record ? {} : readGolden();
  const out: Record<string, Digest> = {};
  let differ = 0;
  for (const symbol of GOLDEN_SYMBOLS)
    for (const strategy of GOLDEN_STRATEGIES) {
      const key = `${strategy}/${symbol}`;
      const t0 = performance.now();
      const d = digestOf(strategy, symbol);
      out[key] = d;
      const same = record || JSON.stringify(d) === JSON.stringify(golden[key]);
      if (!same) differ++;
      process.stdout.write(
        `${key.padEnd(32)} fills ${String(d.fills).padStart(6)} equity ${d.finalEquity.toFixed(6).padStart(16)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms${record ? '' : same ? ' same' : ' DIFFERENT'}\n`,
      );
    }
  if (record) writeFileSync(GOLDEN_FILE, `${JSON.stringify(out, null, 2)}\n`);
  if (differ > 0) process.exit(1);
}
