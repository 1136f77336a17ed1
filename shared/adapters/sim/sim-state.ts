// The simulator's persisted state as plain JSON (the local runtime's `--persist` writes it after every
// step). The shape is stable: a run.json written before a refactor must still load after it.
import type { MarginMode } from '../../domain/primitives.ts';
import type { FillRecord, FundingRecord, Ledger, LiquidationRecord, SimPosition } from './ledger.ts';
import type { MarginAdjustmentRecord, TransferRecord } from './margin-moves.ts';
import type { SimOrder } from './order-book.ts';

export interface LedgerState {
  walletBalance: number;
  positions: SimPosition[];
  spot: [string, number][];
  fills: FillRecord[];
  fundings: FundingRecord[];
  liquidations: LiquidationRecord[];
  /** Absent in a state saved before margin moves existed. */
  marginAdjustments?: MarginAdjustmentRecord[];
  transfers?: TransferRecord[];
  feesPaid: number;
  clearanceFees: number;
  fundingPnl: number;
}

export interface SimState {
  k: number;
  fundingCursor: number[];
  nextFundingAt: number | null;
  leverage: [string, number][];
  marginMode: [string, MarginMode][];
  orders: SimOrder[];
  open: string[];
  seq: number;
  ledger: LedgerState;
}

export function saveLedger(l: Ledger): LedgerState {
  return {
    walletBalance: l.walletBalance,
    positions: [...l.positions.values()].map(({ lpMemo: _memo, ...p }) => ({ ...p })),
    spot: [...l.spot],
    fills: l.fills.map((f) => ({ ...f })),
    fundings: l.fundings.map((f) => ({ ...f })),
    liquidations: l.liquidations.map((x) => ({ ...x })),
    marginAdjustments: l.marginAdjustments.map((x) => ({ ...x })),
    transfers: l.transfers.map((x) => ({ ...x })),
    feesPaid: l.feesPaid,
    clearanceFees: l.clearanceFees,
    fundingPnl: l.fundingPnl,
  };
}

export function loadLedger(l: Ledger, s: LedgerState): void {
  l.walletBalance = s.walletBalance;
  l.positions.clear();
  for (const p of s.positions) l.positions.set(p.symbol, { ...p });
  l.spot.clear();
  for (const [k, v] of s.spot) l.spot.set(k, v);
  l.fills.splice(0, l.fills.length, ...s.fills);
  l.fundings.splice(0, l.fundings.length, ...s.fundings);
  l.liquidations.splice(0, l.liquidations.length, ...s.liquidations);
  l.marginAdjustments.splice(0, l.marginAdjustments.length, ...(s.marginAdjustments ?? []));
  l.transfers.splice(0, l.transfers.length, ...(s.transfers ?? []));
  l.feesPaid = s.feesPaid;
  l.clearanceFees = s.clearanceFees;
  l.fundingPnl = s.fundingPnl;
}
