// The account read model: what the Telegram webhook shows, written to DynamoDB by the monitors so the
// webhook never talks to the exchange (its bundle carries no ccxt, its cold start stays small, and a
// command never spends the account's API weight). The position monitor writes the account view every
// loop (5 s) and the market rules hourly; the funding monitor writes the funding view hourly.
// Orders never act on it blindly: the executor re-reads the exchange before every order, and an
// emergency close is resolved against the exchange by the executor (`close_all`).
import { z } from 'zod';
import { FundingRateSchema, LeverageBracketSchema } from '../domain/market.ts';
import { type FuturesOrder, FuturesOrderSchema } from '../domain/order.ts';
import { FuturesPositionSchema } from '../domain/position.ts';
import type { Clock } from '../ports/clock.ts';
import type { CurrentFunding, Exchange, ExchangeReader, Markets } from '../ports/exchange.ts';
import { ExchangeError, ExchangeUnavailable } from '../ports/exchange-errors.ts';
import type { StateStore } from '../ports/state-store.ts';
import { usdtQuoteOf } from './account-snapshot.ts';

const RulesSchema = z.object({
  symbol: z.string(),
  tickSize: z.number().positive(),
  stepSize: z.number().positive(),
  minQuantity: z.number().nonnegative(),
  minNotional: z.number().nonnegative(),
});

export const MarketsViewSchema = z.object({
  at: z.number().int(),
  futures: z.record(z.string(), RulesSchema.extend({ brackets: z.array(LeverageBracketSchema) })),
  spot: z.record(z.string(), RulesSchema),
});

export const AccountViewSchema = z.object({
  at: z.number().int(),
  balances: z.object({
    futures: z.object({
      walletBalance: z.number(),
      unrealizedPnl: z.number(),
      equity: z.number(),
      availableBalance: z.number(),
    }),
    spot: z.record(z.string(), z.number()),
  }),
  positions: z.array(FuturesPositionSchema),
  marks: z.record(z.string(), z.number().positive()),
  /** `<ASSET>USDT` → last price, for every spot coin held that a USDT market prices (LD<ASSET>: <ASSET>'s). */
  spotPrices: z.record(z.string(), z.number().positive()),
  /** Spot coins held that no USDT market prices (delisted dust): valued at 0, named. */
  unpricedSpot: z.array(z.string()).default([]),
});
export type AccountView = z.infer<typeof AccountViewSchema>;

/**
 * The open futures orders (stops, take-profits, grid limits) the position monitor read, for the web
 * dashboard: what it needs of each. Its own item, written only when the set changes — it would grow
 * the account view, which is written every loop, several-fold (DynamoDB bills writes per KB).
 * `at`: when the set was last seen to change.
 */
export const OpenOrdersViewSchema = z.object({
  at: z.number().int(),
  orders: z.array(
    FuturesOrderSchema.pick({
      symbol: true,
      side: true,
      type: true,
      quantity: true,
      filledQuantity: true,
      price: true,
      stopPrice: true,
      reduceOnly: true,
    }),
  ),
});
export type OpenOrdersView = z.infer<typeof OpenOrdersViewSchema>;

/**
 * What this process last wrote or read, per store, and when: a monitor loop compares against it without
 * a read. Re-read after OPEN_ORDERS_RECHECK_MS, in case another container wrote since (the stored set is
 * then at most that stale).
 */
const lastOpenOrders = new WeakMap<StateStore, { json: string; at: number }>();
const OPEN_ORDERS_RECHECK_MS = 300_000;

async function writeOpenOrdersView(store: StateStore, at: number, orders: readonly FuturesOrder[]) {
  const view = OpenOrdersViewSchema.parse({ at, orders });
  const json = JSON.stringify(view.orders);
  const last = lastOpenOrders.get(store);
  if (last?.json === json && at - last.at < OPEN_ORDERS_RECHECK_MS && at >= last.at) return;
  const stored = OpenOrdersViewSchema.safeParse(await store.getView('open-orders'));
  if (!stored.success || JSON.stringify(stored.data.orders) !== json)
    await store.putView('open-orders', view);
  lastOpenOrders.set(store, { json, at });
}

export const FundingViewSchema = z.object({
  at: z.number().int(),
  symbols: z.record(
    z.string(),
    z.object({
      current: FundingRateSchema.extend({ nextFundingTime: z.number().int() }),
      history: z.array(FundingRateSchema),
    }),
  ),
});

const MARKETS_EVERY_MS = 3_600_000;

/** The account view holds a coin no USDT market prices: as Binance's refusal, not retryable. */
export class NoUsdtMarket extends ExchangeError {
  override readonly name: string = 'NoUsdtMarket';
}

/** The position monitor's part: balances, positions, marks and spot prices now; market rules hourly. */
export async function writeAccountView(
  deps: { exchange: Exchange; store: StateStore; config: { SYMBOLS: readonly string[] } },
  at: number,
  known: { positions?: AccountView['positions']; markets?: Markets; openOrders?: FuturesOrder[] } = {},
): Promise<void> {
  const [balances, positions, markets] = await Promise.all([
    deps.exchange.fetchBalances(),
    known.positions ?? deps.exchange.fetchPositions(),
    known.markets ?? deps.exchange.loadMarkets(),
  ]);
  const symbols = [...new Set([...deps.config.SYMBOLS, ...positions.map((p) => p.symbol)])];
  const marks: Record<string, number> = {};
  const spotPrices: Record<string, number> = {};
  await Promise.all(
    symbols.map(async (s) => {
      marks[s] = await deps.exchange.fetchMarkPrice(s);
    }),
  );
  // Priced as totalEquity prices them: a coin no USDT market prices is named, not a failed view; a
  // transient failure fails the write (the last view stands and ages into "stale", never undervalued).
  const unpricedSpot: string[] = [];
  await Promise.all(
    Object.entries(balances.spot)
      .filter(([asset, amount]) => asset !== 'USDT' && amount > 0)
      .map(async ([asset]) => {
        const quote = await usdtQuoteOf(deps.exchange, asset);
        if (quote) spotPrices[quote.symbol] = quote.price;
        else unpricedSpot.push(asset);
      }),
  );
  await deps.store.putView(
    'account',
    AccountViewSchema.parse({
      at,
      balances,
      positions,
      marks,
      spotPrices,
      unpricedSpot: unpricedSpot.sort(),
    }),
  );
  if (known.openOrders) await writeOpenOrdersView(deps.store, at, known.openOrders);
  const stored = MarketsViewSchema.safeParse(await deps.store.getView('markets'));
  const covered = stored.success && symbols.every((s) => s in stored.data.futures);
  if (!covered || at - stored.data.at >= MARKETS_EVERY_MS || at < stored.data.at) {
    await deps.store.putView('markets', MarketsViewSchema.parse({ at, ...markets }));
  }
}

/** The funding monitor's part: the current rate and the last settlements per symbol. */
export async function writeFundingView(
  deps: { exchange: Exchange; store: StateStore; config: { SYMBOLS: readonly string[] } },
  at: number,
  current: Record<string, CurrentFunding>,
): Promise<void> {
  const symbols: z.input<typeof FundingViewSchema>['symbols'] = {};
  for (const s of deps.config.SYMBOLS) {
    const history = await deps.exchange.fetchFundingHistory(s, at - 3 * 86_400_000, 9);
    symbols[s] = { current: current[s] ?? (await deps.exchange.fetchFundingRate(s)), history };
  }
  await deps.store.putView('funding', FundingViewSchema.parse({ at, symbols }));
}

/**
 * ExchangeReader over the read model. A view older than `maxAgeMs` is an ExchangeUnavailable error
 * naming its age: the trader is told the data is stale rather than shown it as current.
 */
export class ReadModelExchange implements ExchangeReader {
  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly maxAgeMs: { account: number; funding: number },
  ) {}

  private async view<T extends { at: number }>(
    name: string,
    schema: z.ZodType<T>,
    maxAgeMs: number,
    writer: string,
  ): Promise<T> {
    const raw = await this.store.getView(name);
    if (raw === undefined)
      throw new ExchangeUnavailable(`no ${name} data yet: the ${writer} has not reported`);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new ExchangeUnavailable(`the stored ${name} data is unreadable`);
    const age = this.clock.now() - parsed.data.at;
    if (age > maxAgeMs)
      throw new ExchangeUnavailable(
        `the ${name} data is ${Math.round(age / 1000)} s old: is the ${writer} running?`,
      );
    return parsed.data;
  }

  private account() {
    return this.view('account', AccountViewSchema, this.maxAgeMs.account, 'position monitor');
  }

  private funding() {
    return this.view('funding', FundingViewSchema, this.maxAgeMs.funding, 'funding monitor');
  }

  async loadMarkets(): Promise<Markets> {
    const m = await this.view('markets', MarketsViewSchema, Number.POSITIVE_INFINITY, 'position monitor');
    const futures: Markets['futures'] = {};
    for (const [s, r] of Object.entries(m.futures)) futures[s] = { ...r, market: 'futures' };
    const spot: Markets['spot'] = {};
    for (const [s, r] of Object.entries(m.spot)) spot[s] = { ...r, market: 'spot' };
    return { futures, spot };
  }

  async fetchBalances() {
    return (await this.account()).balances;
  }

  async fetchPositions() {
    return (await this.account()).positions;
  }

  async fetchMarkPrice(symbol: string): Promise<number> {
    const price = (await this.account()).marks[symbol];
    if (price === undefined) throw new ExchangeUnavailable(`no mark price for ${symbol} in the account view`);
    return price;
  }

  async fetchSpotPrice(symbol: string): Promise<number> {
    const a = await this.account();
    const price = a.spotPrices[symbol] ?? a.marks[symbol];
    if (price !== undefined) return price;
    // The writer priced every coin held (and an LD<ASSET>'s asset): one it left out has no such market.
    const asset = symbol.replace(/USDT$/, '');
    const held = (x: string) => (a.balances.spot[x] ?? 0) > 0;
    if (held(asset) || held(`LD${asset}`))
      throw new NoUsdtMarket(`no USDT market prices ${asset} (the position monitor found none)`);
    throw new ExchangeUnavailable(`no spot price for ${symbol} in the account view`);
  }

  async fetchFundingRate(symbol: string): Promise<CurrentFunding> {
    const f = (await this.funding()).symbols[symbol];
    if (!f) throw new ExchangeUnavailable(`no funding rate for ${symbol} yet`);
    return f.current;
  }

  async fetchFundingHistory(symbol: string, since: number, limit: number) {
    const f = (await this.funding()).symbols[symbol];
    if (!f) throw new ExchangeUnavailable(`no funding history for ${symbol} yet`);
    return f.history.filter((r) => r.fundingTime >= since).slice(-limit);
  }
}
