// Margin moves: a strategy's `marginActions` as they travel to the executor — add USDT to an isolated
// position's margin, or move USDT between the spot and USD-M futures wallets. Never an order: no
// position, no exposure changes. Ids are deterministic from (strategy, symbol, tick time, sequence),
// as intents' are, so a repeated tick yields the same ids and the queue and the executor drop the copy.
import { z } from 'zod';
import { ClientOrderIdSchema, IntentSourceSchema, makeIntentId } from './order.ts';
import { EpochMsSchema, SymbolSchema } from './primitives.ts';

/** The two USDT wallets a transfer moves between (Binance MAIN and UMFUTURE). */
export const WalletSchema = z.enum(['spot', 'futures']);
export type Wallet = z.infer<typeof WalletSchema>;

/**
 * A USDT amount a margin move carries: finite, > 0, whole cents (Binance takes DECIMAL amounts; a cent
 * is far below what matters for a margin and keeps the amount the executor records equal to the one
 * the exchange books, which is how a redelivery finds it in the exchange's history). At most 10^9.
 */
export const UsdtAmountSchema = z
  .number()
  .positive()
  .max(1e9)
  .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, { error: 'must be whole cents of USDT' });

const common = {
  id: ClientOrderIdSchema,
  /** The strategy that asked for it. */
  source: IntentSourceSchema,
  /** The symbol whose position or hedge the move serves (its queue group, its reports). */
  symbol: SymbolSchema,
  amount: UsdtAmountSchema,
  reason: z.string().min(1).max(200),
  createdAt: EpochMsSchema,
};

export const AddMarginMoveSchema = z.object({ kind: z.literal('add_margin'), ...common });
export const TransferMoveSchema = z
  .object({ kind: z.literal('transfer'), from: WalletSchema, to: WalletSchema, ...common })
  .refine((m) => m.from !== m.to, { error: 'a transfer moves between two different wallets' });
export type AddMarginMove = z.infer<typeof AddMarginMoveSchema>;
export type TransferMove = z.infer<typeof TransferMoveSchema>;
export type MarginMove = AddMarginMove | TransferMove;

/** Round a USDT amount down to whole cents: a move never carries more than was asked. */
export function floorCents(amount: number): number {
  return Math.floor(amount * 100 + 1e-9) / 100;
}

/** The deterministic id of the `sequence`-th margin action of a tick. */
export function marginMoveId(p: { strategy: string; symbol: string; tickTime: number; sequence: number }) {
  return makeIntentId({
    source: `${p.strategy}:margin`,
    symbol: p.symbol,
    tickTime: p.tickTime,
    sequence: p.sequence,
  });
}

/** One line for logs, records and messages: "add 50.00 USDT margin to BTCUSDT". */
export function describeMove(m: {
  kind: 'add_margin' | 'transfer';
  amount: number;
  symbol: string;
  from?: Wallet;
  to?: Wallet;
}): string {
  const amount = Number.isFinite(m.amount) ? m.amount.toFixed(2) : String(m.amount);
  return m.kind === 'add_margin'
    ? `add ${amount} USDT margin to ${m.symbol}`
    : `transfer ${amount} USDT ${m.from} → ${m.to} (for ${m.symbol})`;
}
