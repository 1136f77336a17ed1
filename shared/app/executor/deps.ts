// What the executor needs and what it answers, per queue message.
import type { FuturesOrder } from '../../domain/order.ts';
import type { RiskLimits } from '../../domain/risk/limits.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { StateStore } from '../../ports/state-store.ts';
import type { OwnerAssignment } from '../ownership.ts';

export interface ExecutorDeps {
  store: StateStore;
  exchange: Exchange;
  bus: EventBus;
  clock: Clock;
  limits: RiskLimits;
  /** Deliveries after which an unresolved IN_FLIGHT intent is declared UNKNOWN (it then dead-letters). */
  maxAttempts?: number;
  /**
   * Pause between fetches of a market order the exchange acknowledged but has not reported final yet
   * (default: a real timer). Tests pass one that moves their clock instead of sleeping.
   */
  wait?: (ms: number) => Promise<void>;
  /**
   * How long after its create was sent an IN_FLIGHT intent the exchange cannot find may be sent again
   * (default 30 s): Binance refuses a repeated clientOrderId only among OPEN orders, and its lookup can
   * lag a create, so a miss right after a timeout does not prove the order was never placed.
   */
  resubmitAfterMs?: number;
  /** strategy → symbols (Config['assignment']): whose book each order is in (shared/app/ownership.ts). */
  assignment?: OwnerAssignment;
  /** Wakes the guardian's fast loop right after an entry (never throws; absent: the next minute's run). */
  wakeGuardian?: (at: number) => Promise<void>;
}

export type ExecutionOutcome =
  | { kind: 'placed' | 'reconciled'; id: string; order: FuturesOrder }
  | { kind: 'rejected'; id: string; reasons: string[] }
  | { kind: 'duplicate'; id: string; status: string }
  | { kind: 'cancelled'; id: string }
  | { kind: 'closed_all'; id: string; closed: string[]; cancelled?: string[] }
  /** A margin move done (reconciled: found in the exchange's history after a lost answer). */
  | { kind: 'margin_moved'; id: string; reconciled: boolean };

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_RESUBMIT_AFTER_MS = 30_000;
