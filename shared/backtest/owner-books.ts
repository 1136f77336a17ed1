// Per-strategy books of a simulated run: each fill, fee, funding payment and open position booked to
// the owner of its symbol (shared/app/ownership.ts), and each owner's contribution to the account's
// equity. The contributions add up to the account's change exactly (up to float rounding), because
// every change of the simulated account is one of these records: a futures fill moves the wallet by
// its realised PnL minus its fee (a liquidation by its recorded loss), a funding payment by its amount,
// a spot fill moves USDT and the coin, and open positions are valued at the mark.
import type { FillRecord, FundingRecord, LiquidationRecord } from '../adapters/sim/ledger.ts';
import type { Simulator } from '../adapters/sim/simulator.ts';
import { simPositions } from '../adapters/sim/snapshot.ts';

export interface OwnerBook {
  owner: string;
  fills: number;
  /** Futures realised PnL before fees (a liquidation: its wallet change, fees included). */
  realizedPnl: number;
  /** Fees paid, USDT (a spot buy's commission in the coin is in spotPnl, valued at the spot price). */
  fees: number;
  funding: number;
  unrealizedPnl: number;
  /** USDT flows of spot fills plus the coins they left, valued now (the hedge leg of funding_arbitrage). */
  spotPnl: number;
  /** Open futures notional at the mark, USDT. */
  openNotional: number;
  /** realizedPnl − fees + funding + unrealizedPnl + spotPnl. */
  contribution: number;
}

/** An owner's book before its first fill: every figure zero. */
function emptyBook(owner: string): OwnerBook {
  return {
    owner,
    fills: 0,
    realizedPnl: 0,
    fees: 0,
    funding: 0,
    unrealizedPnl: 0,
    spotPnl: 0,
    openNotional: 0,
    contribution: 0,
  };
}
export function ownerBooks(o: {
  fills: readonly FillRecord[];
  fundings: readonly FundingRecord[];
  liquidations: readonly LiquidationRecord[];
  positions: readonly { symbol: string; unrealizedPnl: number; notional: number }[];
  spotPrice: (symbol: string) => number;
  ownerOf: (symbol: string) => string;
}): OwnerBook[] {
  const books = new Map<string, OwnerBook>();
  const book = (symbol: string): OwnerBook => {
    const owner = o.ownerOf(symbol);
    let b = books.get(owner);
    if (!b) {
      b = emptyBook(owner);
      books.set(owner, b);
    }
    return b;
  };
  const liquidationLoss = new Map(o.liquidations.map((l) => [`${l.symbol}@${l.time}`, l.loss]));
  for (const f of o.fills) {
    const b = book(f.symbol);
    b.fills++;
    if (f.market === 'futures') {
      const loss = f.liquidation ? liquidationLoss.get(`${f.symbol}@${f.time}`) : undefined;
      if (loss !== undefined) b.realizedPnl += loss;
      else {
        b.realizedPnl += f.realizedPnl;
        b.fees += f.fee;
      }
      continue;
    }
    // Spot (shared/adapters/sim/ledger.ts applySpotFill): a buy pays value in USDT and its commission
    // in the coin; a sell receives value minus its fee in USDT.
    const value = f.quantity * f.price;
    const price = o.spotPrice(f.symbol);
    if (f.side === 'buy') b.spotPnl += (f.quantity - (f.commission?.amount ?? 0)) * price - value;
    else {
      b.spotPnl += value - f.quantity * price;
      b.fees += f.fee;
    }
  }
  for (const f of o.fundings) book(f.symbol).funding += f.amount;
  for (const p of o.positions) {
    const b = book(p.symbol);
    b.unrealizedPnl += p.unrealizedPnl;
    b.openNotional += p.notional;
  }
  for (const b of books.values())
    b.contribution = b.realizedPnl - b.fees + b.funding + b.unrealizedPnl + b.spotPnl;
  return [...books.values()].sort((a, b) => a.owner.localeCompare(b.owner));
}

/** A fixed-width table of the books with their sum, for the terminal summaries. */
/** The books of a running simulator: its ledger, its open positions at the mark, its spot prices. */
export function simOwnerBooks(sim: Simulator, ownerOf: (symbol: string) => string): OwnerBook[] {
  return ownerBooks({
    fills: sim.ledger.fills,
    fundings: sim.ledger.fundings,
    liquidations: sim.ledger.liquidations,
    positions: simPositions(sim).map((p) => ({
      symbol: p.symbol,
      unrealizedPnl: p.unrealizedPnl,
      notional: p.quantity * p.markPrice,
    })),
    spotPrice: (s) => sim.spotPrice(s),
    ownerOf,
  });
}

export function ownerBooksTable(books: readonly OwnerBook[], accountChange: number): string[] {
  const n = (x: number) => x.toFixed(2);
  const rows = [
    ['book', 'fills', 'realised', 'fees', 'funding', 'unrealised', 'spot', 'open notional', 'equity +/-'],
    ...books.map((b) => [
      b.owner,
      String(b.fills),
      n(b.realizedPnl),
      n(-b.fees),
      n(b.funding),
      n(b.unrealizedPnl),
      n(b.spotPnl),
      n(b.openNotional),
      n(b.contribution),
    ]),
  ];
  const sum = books.reduce((s, b) => s + b.contribution, 0);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  lines.push(
    `sum of the books ${n(sum)} USDT = the account's change ${n(accountChange)} USDT (difference ${Math.abs(sum - accountChange).toExponential(1)})`,
  );
  return lines;
}

/**
 * The book of a single-strategy backtest (every symbol is that strategy's): its fills' realised PnL,
 * fees and spot leg, the run's funding, and — what is left of the account's change — the unrealised
 * PnL of what is still open at the end (the backtest result keeps no end-of-run positions).
 */
export function backtestBook(
  strategy: string,
  r: {
    fills: readonly FillRecord[];
    liquidations: readonly LiquidationRecord[];
    metrics: { fundingPnl: number; initialEquity: number };
    equity: { value: Float64Array };
    candles: { close: Float64Array };
  },
): { books: OwnerBook[]; accountChange: number } {
  const last = r.candles.close[r.candles.close.length - 1] ?? 0;
  const [book] = ownerBooks({
    fills: r.fills,
    fundings: [],
    liquidations: r.liquidations,
    positions: [],
    spotPrice: () => last,
    ownerOf: () => strategy,
  });
  const accountChange =
    (r.equity.value[r.equity.value.length - 1] ?? r.metrics.initialEquity) - r.metrics.initialEquity;
  const b: OwnerBook = book ?? emptyBook(strategy);
  b.funding = r.metrics.fundingPnl;
  b.unrealizedPnl = accountChange - (b.realizedPnl - b.fees + b.funding + b.spotPnl);
  b.contribution = accountChange;
  return { books: [b], accountChange };
}
