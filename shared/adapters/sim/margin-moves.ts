// Margin moves on the simulator's books, Binance-style: adding margin to an isolated position (its own
// wallet grows, the futures wallet's available USDT falls; the wallet balance, which includes isolated
// wallets, does not change) and USDT transfers between the spot and the futures wallet. Each is booked
// in a history the Exchange port reads back, as Binance's positionMargin/history and asset/transfer
// history are: the executor reconciles a move whose answer it never got from there.
import type { Wallet } from '../../domain/margin-move.ts';
import { InsufficientBalance, InvalidOrder, NoIsolatedPosition } from '../../ports/exchange-errors.ts';
import type { Ledger } from './ledger.ts';

export interface MarginAdjustmentRecord {
  time: number;
  symbol: string;
  /** USDT added (> 0). */
  amount: number;
}

export interface TransferRecord {
  id: string;
  time: number;
  from: Wallet;
  to: Wallet;
  amount: number;
}

/** Equal enough for USDT: a millionth of a cent is float noise. */
const USDT_EPS = 1e-8;

function checkAmount(amount: number): void {
  if (!Number.isFinite(amount) || amount <= 0) throw new InvalidOrder('Amount must be positive.');
}

/** Binance POST /fapi/v1/positionMargin type 1 on the simulator's books. */
export function addIsolatedMargin(
  ledger: Ledger,
  o: { symbol: string; amount: number; time: number; priceOf: (symbol: string) => number },
): MarginAdjustmentRecord {
  checkAmount(o.amount);
  const pos = ledger.positions.get(o.symbol);
  if (!pos) throw new NoIsolatedPosition(`Cannot add position margin: position is 0. (${o.symbol})`);
  if (pos.marginMode !== 'isolated')
    throw new NoIsolatedPosition(`Add margin only support for isolated position. (${o.symbol})`);
  const available = ledger.available(o.priceOf);
  if (o.amount > available + USDT_EPS)
    throw new InsufficientBalance(
      `Cross balance insufficient: ${o.amount} USDT asked, ${available.toFixed(2)} USDT available`,
    );
  pos.isolatedMargin += o.amount;
  const record = { time: o.time, symbol: o.symbol, amount: o.amount };
  ledger.marginAdjustments.push(record);
  return record;
}

/** Binance universal transfer MAIN_UMFUTURE / UMFUTURE_MAIN on the simulator's books. */
export function transferUsdt(
  ledger: Ledger,
  o: { from: Wallet; to: Wallet; amount: number; time: number; priceOf: (symbol: string) => number },
): TransferRecord {
  checkAmount(o.amount);
  if (o.from === o.to) throw new InvalidOrder(`a transfer from ${o.from} to itself`);
  const spotUsdt = ledger.spot.get('USDT') ?? 0;
  // Out of futures: at most what is available (Binance refuses what backs positions or orders).
  const free = o.from === 'spot' ? spotUsdt : ledger.available(o.priceOf);
  if (o.amount > free + USDT_EPS)
    throw new InsufficientBalance(
      `Asset transfer failed: insufficient balance (${o.amount} USDT asked, ${Math.max(0, free).toFixed(2)} USDT free in ${o.from})`,
    );
  if (o.from === 'spot') {
    ledger.spot.set('USDT', Math.max(0, spotUsdt - o.amount));
    ledger.walletBalance += o.amount;
  } else {
    ledger.walletBalance -= o.amount;
    ledger.spot.set('USDT', spotUsdt + o.amount);
  }
  const record: TransferRecord = {
    id: `sim-transfer-${ledger.transfers.length + 1}`,
    time: o.time,
    from: o.from,
    to: o.to,
    amount: o.amount,
  };
  ledger.transfers.push(record);
  return record;
}
