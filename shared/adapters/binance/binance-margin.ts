// Margin moves on Binance through ccxt: add isolated margin (`binanceusdm.addMargin` →
// POST /fapi/v1/positionMargin type 1; history `fetchMarginAdjustmentHistory` →
// GET /fapi/v1/positionMargin/history) and USDT transfers between the spot and the USD-M futures
// wallet (`binance.transfer` → POST /sapi/v1/asset/transfer MAIN_UMFUTURE / UMFUTURE_MAIN; history
// `fetchTransfers` → GET /sapi/v1/asset/transfer). Neither request takes a client id at Binance, so the
// executor reconciles an unanswered one from these histories (shared/app/executor/margin-move.ts).
import type ccxt from 'ccxt';
import type { Wallet } from '../../domain/margin-move.ts';
import type { MarginAdjustment, WalletTransfer } from '../../ports/exchange.ts';
import { ExchangeUnavailable, InvalidOrder } from '../../ports/exchange-errors.ts';

type Usdm = InstanceType<typeof ccxt.binanceusdm>;
type Spot = InstanceType<typeof ccxt.binance>;
type Call = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/** Binance's universal transfer types for our two wallets (wallet/asset/user-universal-transfer). */
export const TRANSFER_TYPE: Record<`${Wallet}>${Wallet}`, string> = {
  'spot>futures': 'MAIN_UMFUTURE',
  'futures>spot': 'UMFUTURE_MAIN',
  'spot>spot': '',
  'futures>futures': '',
};

/** The amount as ccxt will put it on the wire; a move is never sent as another amount than recorded. */
function exactly(amount: number, onWire: string, what: string): number {
  const sent = Number(onWire);
  if (!(Math.abs(sent - amount) <= 1e-9))
    throw new InvalidOrder(`${what} of ${amount} USDT would be sent as ${onWire} at this market's precision`);
  return sent;
}

export async function addMarginOn(
  usdm: Usdm,
  call: Call,
  p: { symbol: string; market: string; amount: number },
): Promise<{ symbol: string; amount: number }> {
  // ccxt rounds the USDT amount with the contract's quantity precision (amountToPrecision): harmless
  // for BTC/ETH (0.001), but a coarser step would cut the amount — refused here instead.
  exactly(p.amount, usdm.amountToPrecision(p.market, p.amount) ?? '', 'add margin');
  const r = await call('addMargin', () => usdm.addMargin(p.market, p.amount));
  // Binance answers {"amount":100.0,"code":200,"msg":"Successfully modify position margin.","type":1};
  // ccxt maps another code to status 'failed'. Not an answer we know: the outcome is unknown.
  if (r.status !== 'ok')
    throw new ExchangeUnavailable(`addMargin: unexpected answer ${JSON.stringify(r.info).slice(0, 200)}`);
  return { symbol: p.symbol, amount: Number(r.amount ?? p.amount) };
}

export async function fetchMarginAdjustmentsOn(
  usdm: Usdm,
  call: Call,
  p: { symbol: string; market: string; since: number },
): Promise<MarginAdjustment[]> {
  const rows = await call('fetchMarginAdjustmentHistory', () =>
    usdm.fetchMarginAdjustmentHistory(p.market, 'add', p.since, 500),
  );
  return rows
    .filter((r) => (r.info as Record<string, unknown>)?.deltaType === 'USER_ADJUST')
    .map((r) => ({
      symbol: p.symbol,
      type: r.type === 'reduce' ? ('reduce' as const) : ('add' as const),
      amount: Number(r.amount),
      time: Number(r.timestamp),
    }))
    .sort((a, b) => a.time - b.time);
}

export async function transferOn(
  spot: Spot,
  call: Call,
  now: number,
  r: { from: Wallet; to: Wallet; amount: number },
): Promise<WalletTransfer> {
  const type = TRANSFER_TYPE[`${r.from}>${r.to}`];
  if (!type) throw new InvalidOrder(`no transfer from ${r.from} to ${r.to}`);
  await call('loadMarkets(spot)', () => spot.loadMarkets());
  const amount = exactly(
    r.amount,
    spot.currencyToPrecision('USDT', r.amount) ?? String(r.amount),
    'transfer',
  );
  const t = await call('transfer', () => spot.transfer('USDT', amount, r.from, 'future', { type }));
  // Binance answers {"tranId": 13526853623} and nothing else: an id means the transfer was booked.
  if (t.id === undefined || t.id === null || t.id === '')
    throw new ExchangeUnavailable(
      `transfer: answer without a tranId ${JSON.stringify(t.info).slice(0, 200)}`,
    );
  return { id: String(t.id), from: r.from, to: r.to, amount, status: 'confirmed', time: now };
}

const STATUS: Record<string, WalletTransfer['status']> = {
  ok: 'confirmed',
  CONFIRMED: 'confirmed',
  PENDING: 'pending',
  FAILED: 'failed',
};

export async function fetchTransfersOn(
  spot: Spot,
  call: Call,
  p: { from: Wallet; to: Wallet; since: number },
): Promise<WalletTransfer[]> {
  const type = TRANSFER_TYPE[`${p.from}>${p.to}`];
  if (!type) throw new InvalidOrder(`no transfer from ${p.from} to ${p.to}`);
  // size 100 is Binance's maximum page; the executor asks for minutes, not days.
  const rows = await call('fetchTransfers', () => spot.fetchTransfers('USDT', p.since, 100, { type }));
  return rows
    .filter((t) => (t.currency ?? (t.info as Record<string, unknown>)?.asset) === 'USDT')
    .map((t) => ({
      id: String(t.id),
      from: p.from,
      to: p.to,
      amount: Number(t.amount),
      // Unknown statuses count as pending: never read as done, never as failed.
      status: STATUS[String(t.status)] ?? 'pending',
      time: Number(t.timestamp),
    }))
    .sort((a, b) => a.time - b.time);
}
