// Pre-checking one tick's margin actions, in order, against what the account holds: the strategy tick
// and the backtester both run this, so a move the live system would refuse is refused in a backtest too.
// - amount: finite, > 0, at least a cent (rounded down to whole cents, never up);
// - add_margin: only onto an ISOLATED position open on the symbol, and never more than the futures
//   wallet's available USDT (Binance takes it from there);
// - transfer: never more than the source wallet's free USDT (spot: USDT held; futures: available);
// - halt: add_margin passes (it only moves a liquidation price away); a transfer INTO futures passes
//   (it only adds to what backs positions); a transfer OUT of futures is refused — it takes margin away
//   from open positions while trading is stopped for a human to look.
// Amounts add up in order: a transfer spot → futures then an add_margin may use the transferred USDT.
import {
  AddMarginMoveSchema,
  describeMove,
  floorCents,
  type MarginMove,
  marginMoveId,
  TransferMoveSchema,
} from '../margin-move.ts';
import type { FuturesPosition } from '../position.ts';

/** A strategy's margin action (StrategyOutput.marginActions), as it may come: unchecked. */
export type MarginActionInput =
  | { kind: 'add_margin'; amount: number; reason: string }
  | { kind: 'transfer'; from: 'spot' | 'futures'; to: 'spot' | 'futures'; amount: number; reason: string };

/** USDT compared with this tolerance (a thousandth of a cent). */
const CENT_NOISE = 1e-5;

export interface MarginPrecheckContext {
  strategy: string;
  symbol: string;
  tickTime: number;
  halted: boolean;
  /** This symbol's futures position before the tick. */
  position: Pick<FuturesPosition, 'marginMode'> | undefined;
  /** Futures wallet USDT available for margin (Binance availableBalance). */
  futuresAvailable: number;
  /** Spot wallet USDT. */
  spotUsdt: number;
}

/** A refused margin action, as recorded: amounts as text (a NaN has no JSON form). */
export interface RefusedMarginMove {
  id: string;
  kind: 'add_margin' | 'transfer';
  source: string;
  symbol: string;
  /** What was asked, in words. */
  asked: string;
  reasons: string[];
}

export interface MarginPrecheck {
  accepted: MarginMove[];
  refused: RefusedMarginMove[];
}

export function precheckMarginActions(
  actions: readonly MarginActionInput[],
  ctx: MarginPrecheckContext,
): MarginPrecheck {
  const out: MarginPrecheck = { accepted: [], refused: [] };
  const free = { futures: Math.max(0, ctx.futuresAvailable), spot: Math.max(0, ctx.spotUsdt) };
  /** True when accepted. */
  const checkOne = (action: MarginActionInput, sequence: number): boolean => {
    const id = marginMoveId({ strategy: ctx.strategy, symbol: ctx.symbol, tickTime: ctx.tickTime, sequence });
    const kind = action.kind === 'transfer' ? 'transfer' : 'add_margin';
    const asked = describeMove({ ...action, kind, symbol: ctx.symbol });
    const refuse = (reason: string): false => {
      out.refused.push({ id, kind, source: ctx.strategy, symbol: ctx.symbol, asked, reasons: [reason] });
      return false;
    };
    if (action.kind !== 'add_margin' && action.kind !== 'transfer')
      return refuse(`unknown margin action ${String((action as { kind: unknown }).kind)}`);
    if (typeof action.amount !== 'number' || !Number.isFinite(action.amount) || action.amount <= 0)
      return refuse(`${asked} refused: the amount must be a finite number of USDT above 0`);
    const amount = floorCents(action.amount);
    if (amount <= 0) return refuse(`${asked} refused: less than one cent of USDT`);
    const base = {
      id,
      source: ctx.strategy,
      symbol: ctx.symbol,
      amount,
      reason: (action.reason || 'margin action').slice(0, 200),
      createdAt: ctx.tickTime,
    };
    if (action.kind === 'add_margin') {
      if (!ctx.position) return refuse(`${asked} refused: no position open on ${ctx.symbol}`);
      if (ctx.position.marginMode !== 'isolated')
        return refuse(
          `${asked} refused: the ${ctx.symbol} position is cross margin (only isolated takes added margin)`,
        );
      if (amount > free.futures + CENT_NOISE)
        return refuse(
          `${asked} refused: the futures wallet has only ${free.futures.toFixed(2)} USDT available`,
        );
      const parsed = AddMarginMoveSchema.safeParse({ kind: 'add_margin', ...base });
      if (!parsed.success) return refuse(`${asked} refused: ${parsed.error.issues[0]?.message}`);
      free.futures -= amount;
      out.accepted.push(parsed.data);
      return true;
    }
    const { from, to } = action;
    if ((from !== 'spot' && from !== 'futures') || (to !== 'spot' && to !== 'futures') || from === to)
      return refuse(`${asked} refused: a transfer moves between the spot and the futures wallet`);
    if (ctx.halted && from === 'futures')
      return refuse(`${asked} refused: trading is halted (margin is not taken out of futures during a halt)`);
    if (amount > free[from] + CENT_NOISE)
      return refuse(`${asked} refused: the ${from} wallet has only ${free[from].toFixed(2)} USDT free`);
    const parsed = TransferMoveSchema.safeParse({ kind: 'transfer', from, to, ...base });
    if (!parsed.success) return refuse(`${asked} refused: ${parsed.error.issues[0]?.message}`);
    free[from] -= amount;
    free[to] += amount;
    out.accepted.push(parsed.data);
    return true;
  };
  actions.forEach((action, sequence) => {
    checkOne(action, sequence);
  });
  return out;
}
