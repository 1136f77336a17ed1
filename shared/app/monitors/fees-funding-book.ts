// The performance book's fees and funding per owner: the exchange's COMMISSION and FUNDING_FEE entries
// since a cursor, each counted once (as the realised-PnL entries are), booked to the owner of its
// symbol at its time (shared/app/ownership.ts). Read by /futures_status and /pnl.
import type { Exchange } from '../../ports/exchange.ts';
import type { StateStore } from '../../ports/state-store.ts';
import { type OwnerAssignment, ownersOf } from '../ownership.ts';

export interface Cursor {
  /** Entries at or after this time are fetched again; ids already counted at it are skipped. */
  since: number;
  seenAtSince: string[];
}

/** Entries not counted yet, and the cursor after them. */
export function unseen<E extends { id: string; time: number }>(
  entries: readonly E[],
  cursor: Cursor,
): { fresh: E[]; next: Cursor } {
  const fresh = entries.filter((e) => !(e.time === cursor.since && cursor.seenAtSince.includes(e.id)));
  const newest = fresh.reduce((a, e) => Math.max(a, e.time), cursor.since);
  return {
    fresh,
    next: {
      since: newest,
      seenAtSince: [
        ...(newest === cursor.since ? cursor.seenAtSince : []),
        ...fresh.filter((e) => e.time === newest).map((e) => e.id),
      ],
    },
  };
}

export interface FeesFundingBook {
  feeCursor?: Cursor;
  fundingCursor?: Cursor;
  /** owner → USDT paid in fees (positive) and received in funding (signed). */
  owners?: Record<string, { fees: number; funding: number }>;
}

/** Adds what the exchange reported since the cursors to `book` (mutated; the caller saves it). */
export async function bookFeesAndFunding(
  deps: { exchange: Exchange; store: StateStore; config: { assignment: OwnerAssignment } },
  book: FeesFundingBook,
  slotTime: number,
): Promise<void> {
  const start: Cursor = { since: slotTime - 86_400_000, seenAtSince: [] };
  book.owners ??= {};
  const owners = book.owners;
  const ownerAt = new Map<string, (t: number) => string>();
  const add = async (symbol: string, time: number, field: 'fees' | 'funding', amount: number) => {
    if (!ownerAt.has(symbol)) ownerAt.set(symbol, await ownersOf(deps.store, symbol, deps.config.assignment));
    const owner = ownerAt.get(symbol)!(time);
    owners[owner] ??= { fees: 0, funding: 0 };
    owners[owner][field] += amount;
  };
  if (deps.exchange.fetchCommissions) {
    const cursor = book.feeCursor ?? start;
    const r = unseen(await deps.exchange.fetchCommissions(cursor.since), cursor);
    for (const e of r.fresh) await add(e.symbol, e.time, 'fees', -e.amount);
    book.feeCursor = r.next;
  }
  const cursor = book.fundingCursor ?? start;
  const payments = (await deps.exchange.fetchFundingPayments(cursor.since)).map((p) => ({
    ...p,
    // Binance's FUNDING_FEE rows carry no id through ccxt's unified shape: one settlement per symbol per time.
    id: `${p.symbol}@${p.time}`,
  }));
  const r = unseen(payments, cursor);
  for (const p of r.fresh) await add(p.symbol, p.time, 'funding', p.amount);
  book.fundingCursor = r.next;
}
