// `npx tsx infra/funding-carry.ts [--data DIR] [--symbols BTCUSDT,ETHUSDT] [--leverage 2] [--backtest]`
// The carry a funding hedge can earn on the shipped data, per year: the plain carry of each symbol (the
// funding a constant short receives), the share of equity the risk limits let hedges deploy, the carry
// on equity that gives, and (with --backtest) funding_arbitrage's own yearly return with its defaults.
// Deterministic; prints a Markdown table. Evidence to compare with: BIS WP 1087 "Crypto carry".
import { parseArgs } from 'node:util';
import { runBacktest } from '../shared/backtest/engine.ts';
import {
  type CarryYear,
  hedgeDeployment,
  meanAnnualCarryPct,
  plainCarryByYear,
} from '../shared/backtest/funding-carry.ts';
import { periodReturns } from '../shared/backtest/periods.ts';
import { DEFAULT_RISK_LIMITS } from '../shared/domain/risk/limits.ts';
import { loadDataset, SHIPPED_DATA_DIR } from '../shared/market-data/dataset.ts';
import { fundingArbitrage } from '../shared/strategies/funding-arbitrage.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: SHIPPED_DATA_DIR },
    symbols: { type: 'string', default: 'BTCUSDT,ETHUSDT' },
    leverage: { type: 'string', default: '2' },
    backtest: { type: 'boolean', default: false },
  },
});
const symbols = values.symbols.split(',').filter(Boolean);
const leverage = Number(values.leverage);
const datasets = symbols.map((s) => loadDataset(s, values.data));
const carry = new Map(datasets.map((d) => [d.symbol, plainCarryByYear(d.funding)]));
const dep = hedgeDeployment({
  symbols: symbols.length,
  maxPositions: DEFAULT_RISK_LIMITS.maxPositions,
  positionSizeLimitPct: DEFAULT_RISK_LIMITS.positionSizeLimitPct,
  leverage,
});
const strategyYears = new Map<string, Map<string, number>>();
if (values.backtest) {
  const params = fundingArbitrage.paramsSchema.parse({});
  for (const dataset of datasets) {
    const r = runBacktest({
      strategy: fundingArbitrage,
      params,
      dataset,
      initialEquity: 10_000,
      initialSpotUsdt: 10_000,
    });
    const years = periodReturns(r.equity.time, r.equity.value, 20_000, 'year');
    strategyYears.set(dataset.symbol, new Map(years.map((y) => [y.period, y.returnPct])));
  }
}

const f = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)} %`);
const allYears = [...new Set([...carry.values()].flatMap((ys) => ys.map((y) => y.year)))].sort();
const yearOf = (s: string, y: number): CarryYear | undefined => carry.get(s)?.find((r) => r.year === y);
const lines: string[] = [];
lines.push(
  `Deployment the limits allow (${symbols.length} symbol(s), ≤ ${DEFAULT_RISK_LIMITS.maxPositions} positions, ≤ ${DEFAULT_RISK_LIMITS.positionSizeLimitPct} % of equity each, ${leverage}x short): ${dep.hedges} hedge(s) × ${dep.perHedgePct.toFixed(1)} % = ${dep.deployedPct.toFixed(1)} % of equity per leg, tying up ${dep.capitalPct.toFixed(1)} % (spot + margin).`,
  '',
);
const head = [
  'year',
  ...symbols.map((s) => `${s} plain carry`),
  `equity carry at ${dep.deployedPct.toFixed(0)} %`,
  ...(values.backtest ? symbols.map((s) => `funding_arbitrage ${s}`) : []),
];
lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
for (const y of allYears) {
  const plain = symbols.map((s) => yearOf(s, y)?.carryPct);
  const equity = plain.reduce<number>((a, c) => a + ((c ?? 0) * dep.perHedgePct) / 100, 0);
  const strat = values.backtest ? symbols.map((s) => strategyYears.get(s)?.get(String(y))) : [];
  const partial = symbols.some((s) => (yearOf(s, y)?.settlements ?? 0) < 1_095) ? ' (part)' : '';
  lines.push(`| ${y}${partial} | ${[...plain.map(f), f(equity), ...strat.map(f)].join(' | ')} |`);
}
const means = datasets.map((d) => meanAnnualCarryPct(d.funding));
const meanEquity = means.reduce((a, m) => a + (m * dep.perHedgePct) / 100, 0);
lines.push(
  `| mean a year | ${[...means.map(f), f(meanEquity)].join(' | ')}${values.backtest ? ' |'.repeat(symbols.length) : ''} |`,
);
lines.push(
  '',
  'Plain carry: the sum of the settled funding rates, percent of notional — what a constant short of one unit',
  'received, before fees and without a spot leg. funding_arbitrage: its own account (10,000 futures + 10,000',
  'spot USDT), default parameters, one symbol, 20 % of equity per leg.',
);
console.log(lines.join('\n'));
