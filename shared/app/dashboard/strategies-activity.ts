// The Strategies and Activity panels: each strategy's card (pause, books, win rate, grid levels, the
// funding hedge), and operations — recent orders, fills and rejections (the notifier's activity tail),
// the last recorded run of each scheduled function, the dead-letter queue, recent failures.
import { z } from 'zod';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { getOwnerBooks, getStrategyPause, getStrategyPerformance } from '../monitors/performance-monitor.ts';
import { ownerOfSymbol } from '../ownership.ts';
import { AccountViewSchema, FundingViewSchema } from '../read-model.ts';
import { pct, usdt } from '../telegram/format.ts';
import { type MarketFormat, marketFormat } from '../telegram/market-format.ts';
import { signedUsdt } from './account-risk.ts';
import { type ActivityEntry, ERROR_TYPES, readActivity } from './activity-log.ts';
import { type DashboardDeps, openOrders } from './deps.ts';

const GridStateSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  orders: z.record(z.string(), z.object({ price: z.number(), side: z.enum(['buy', 'sell']) })),
});
const HedgeStateSchema = z.object({
  spot: z.object({ quantity: z.number() }).optional(),
  hedge: z.object({ quantity: z.number() }).optional(),
});

/** The grid's resting levels of a symbol, from its strategy state (undefined: no grid laid). */
export async function gridLevels(deps: DashboardDeps, symbol: string) {
  const g = GridStateSchema.safeParse((await deps.store.getStrategyState('grid', symbol))?.state);
  if (!g.success) return undefined;
  const levels = Object.values(g.data.orders).sort((a, b) => b.price - a.price);
  return { lower: g.data.lower, upper: g.data.upper, levels };
}

const annualised = (rate: number, intervalHours: number) => rate * (24 / intervalHours) * 365 * 100;

async function fundingCard(deps: DashboardDeps, symbols: readonly string[]) {
  const view = FundingViewSchema.safeParse(await deps.store.getView('funding'));
  const account = AccountViewSchema.safeParse(await deps.store.getView('account'));
  const rows = [];
  for (const symbol of symbols) {
    const f = view.success ? view.data.symbols[symbol] : undefined;
    const last = f?.history.at(-1);
    const state = HedgeStateSchema.safeParse(
      (await deps.store.getStrategyState('funding_arbitrage', symbol))?.state,
    );
    const spot = state.success ? (state.data.spot?.quantity ?? state.data.hedge?.quantity ?? 0) : 0;
    const short = account.success
      ? (account.data.positions.find((p) => p.symbol === symbol && p.side === 'short')?.quantity ?? 0)
      : 0;
    rows.push({
      symbol,
      current: last
        ? `${(last.fundingRate * 100).toFixed(4)} % (${pct(annualised(last.fundingRate, last.intervalHours))} a year)`
        : 'unknown',
      predicted: f
        ? `${(f.current.fundingRate * 100).toFixed(4)} % (${pct(annualised(f.current.fundingRate, f.current.intervalHours))} a year)`
        : 'unknown',
      perpShort: String(short),
      spotLong: String(spot),
      drift: short > 0 ? pct(((spot - short) / short) * 100) : spot > 0 ? 'no perp leg' : '—',
    });
  }
  return rows;
}

export async function strategiesPanel(deps: DashboardDeps) {
  const { snapshot, halt } = await loadAccountSnapshot(deps);
  const [perf, books] = await Promise.all([getStrategyPerformance(deps.store), getOwnerBooks(deps.store)]);
  const fmt = await marketFormat(deps.exchange);
  const cards = [];
  for (const strategy of deps.config.strategies) {
    const symbols = deps.config.assignment[strategy] ?? [];
    const pause = await getStrategyPause(deps.store, strategy);
    const p = perf[strategy];
    const b = books[strategy] ?? { realizedPnl: 0, fees: 0, funding: 0 };
    const exposure = snapshot.positions
      .filter((x) => ownerOfSymbol(deps.config.assignment, x.symbol) === strategy)
      .reduce((a, x) => a + x.quantity * x.markPrice, 0);
    const grids = [];
    if (strategy === 'grid')
      for (const s of symbols) {
        const g = await gridLevels(deps, s);
        grids.push({
          symbol: s,
          range: g ? `${fmt.price(s, g.lower)} – ${fmt.price(s, g.upper)}` : 'no grid laid',
          levels: (g?.levels ?? []).map((l) => `${l.side} ${fmt.price(s, l.price)}`),
        });
      }
    cards.push({
      strategy,
      status: pause ? `paused — ${pause.reason}` : halt.halted ? 'running (account halted)' : 'running',
      paused: Boolean(pause),
      symbols: symbols.join(', '),
      exposure: usdt(exposure),
      realised: signedUsdt(b.realizedPnl),
      fees: signedUsdt(-b.fees),
      funding: signedUsdt(b.funding),
      winRate: p && p.trades > 0 ? `${pct((p.wins / p.trades) * 100, 0)} (${p.wins}/${p.trades})` : '—',
      grids,
      funding_hedges: strategy.startsWith('funding') ? await fundingCard(deps, symbols) : [],
    });
  }
  return { cards };
}

function describeEntry(e: ActivityEntry, fmt: MarketFormat): string {
  const f = (k: string) => (e[k] === undefined ? '' : String(e[k]));
  switch (e.type) {
    case 'OrderFilled':
      // The event does not say which market filled (a hedge's spot leg, a futures order): 'either'.
      return `filled ${f('side')} ${fmt.quantity(f('symbol'), Number(e.quantity), 'either')} ${f('symbol')} @ ${fmt.price(f('symbol'), Number(e.price), 'either')}${e.reduceOnly ? ' (exit)' : ''}${e.owner ? ` — ${f('owner')}` : ''}`;
    case 'OrderPlaced':
      return `placed ${f('side')} ${f('orderType')} ${f('quantity')} ${f('symbol')} (${f('status')})`;
    case 'OrderRejected':
      return `rejected ${f('symbol')} ${f('intentId')}: ${(e.reasons as string[] | undefined)?.join('; ') ?? ''}`;
    case 'OrderCancelled':
      return `cancelled ${f('symbol')} ${f('clientOrderId')}`;
    case 'RiskAlert':
      return `${f('level')}: ${f('message')}`;
    case 'Halted':
    case 'Resumed':
      return `${e.type.toLowerCase()}: ${f('reason')}`;
    case 'StrategyPaused':
    case 'StrategyResumed':
      return `${f('strategy')} ${e.type === 'StrategyPaused' ? 'paused' : 'resumed'}`;
    default:
      return `${e.type} ${f('symbol')} ${f('intentId')} ${f('error')}`.trim();
  }
}

async function lastRuns(deps: DashboardDeps) {
  const at = async (name: string) => {
    const raw = (await deps.store.getView(name)) as { at?: unknown } | undefined;
    return typeof raw?.at === 'number' ? raw.at : undefined;
  };
  const now = deps.clock.now();
  const snaps = await deps.store.listEquitySnapshots(now - 86_400_000, now);
  // The guardian (positions and risk in one function) writes the account view at least once a minute
  // and its risk step's state: its last run is the later of the two.
  const risk = (await deps.store.getStrategyState('risk-monitor', 'account'))?.lastTick;
  const view = await at('account');
  const guardian = view === undefined ? risk : risk === undefined ? view : Math.max(view, risk);
  const runs: { fn: string; at?: number }[] = [
    { fn: 'guardian', at: guardian },
    { fn: 'funding-monitor', at: await at('funding') },
    { fn: 'performance-monitor', at: snaps.at(-1)?.time },
  ];
  for (const strategy of deps.config.strategies)
    for (const symbol of deps.config.assignment[strategy] ?? [])
      runs.push({
        fn: `strategy-tick ${strategy} ${symbol}`,
        at: (await deps.store.getStrategyState(strategy, symbol))?.lastTick,
      });
  return runs.map((r) => ({
    fn: r.fn,
    last:
      r.at === undefined ? 'no run recorded' : new Date(r.at).toISOString().slice(0, 16).replace('T', ' '),
    ago: r.at === undefined ? '' : `${Math.max(0, Math.round((now - r.at) / 60_000))} min ago`,
  }));
}

export async function activityPanel(deps: DashboardDeps) {
  const entries = await readActivity(deps.store);
  const fmt = await marketFormat(deps.exchange);
  const line = (e: ActivityEntry) => ({
    time: new Date(e.time).toISOString().slice(0, 16).replace('T', ' '),
    type: e.type,
    text: describeEntry(e, fmt),
  });
  let dlq = 'unknown';
  if (deps.deadLetterDepth) dlq = String(await deps.deadLetterDepth().catch(() => 'unknown'));
  return {
    recent: entries
      .filter((e) => !ERROR_TYPES.has(e.type))
      .slice(0, 30)
      .map(line),
    errors: entries
      .filter((e) => ERROR_TYPES.has(e.type))
      .slice(0, 10)
      .map(line),
    openOrders: ((await openOrders(deps.store)) ?? []).map(
      (o) =>
        `${o.symbol} ${o.side} ${o.type} ${fmt.quantity(o.symbol, o.quantity)}${o.stopPrice ? ` stop ${fmt.price(o.symbol, o.stopPrice)}` : ''}${o.price ? ` @ ${fmt.price(o.symbol, o.price)}` : ''}${o.reduceOnly ? ' reduce-only' : ''}`,
    ),
    runs: await lastRuns(deps),
    deadLetterDepth: dlq,
  };
}
