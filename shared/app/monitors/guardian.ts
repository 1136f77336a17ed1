// guardian (one Lambda, every minute): the position and risk monitors merged, watching as closely as the
// risk requires. Flat — no futures position, no open order, no spot hedge leg a strategy booked — it runs
// one check per invocation: every position has its stop on the exchange, so a flat account has nothing a
// faster loop could protect. Exposed, it loops for the rest of the minute: the per-slot steps every
// POSITION_MONITOR_INTERVAL_SECONDS, the risk step every RISK_MONITOR_INTERVAL_SECONDS, and both every
// DANGER_INTERVAL_MS while a position is under the liquidation warning distance. The executor wakes it
// right after it places an entry (ports/guardian-wake.ts), so the fast loop starts then, not a minute later.

import { strategySymbolPairs } from '../../config/strategy-symbols.ts';
import { STRATEGIES } from '../../strategies/registry.ts';
import type { MonitorDeps } from './monitor-deps.ts';
import { positionMonitorOnce } from './position-monitor.ts';
import { riskMonitorOnce } from './risk-monitor.ts';

/**
 * The tightest cadence, while a position is under LIQUIDATION_DISTANCE_WARN_PCT. A slot costs about 50 of
 * Binance's 2,400 request weight a minute (positions 5, all open orders 40, balances 5: Binance USD-M
 * "GET /fapi/v2/positionRisk", "GET /fapi/v1/openOrders" without a symbol, "GET /fapi/v2/balance"), so
 * 2 s (30 slots: ~1,500) leaves the executor and the ticks their share.
 */
export const DANGER_INTERVAL_MS = 2_000;

export interface GuardianCheck {
  /** Anything at risk: a futures position, an open order or a spot hedge leg. */
  exposed: boolean;
  /** A position under the liquidation warning distance: the tightest cadence. */
  danger: boolean;
  /** Steps that threw in this slot (the error itself is returned by the loop). */
  failed: ('positions' | 'risk')[];
}

/**
 * One slot of the guardian: the steps in order. Each step stands alone — one failing never keeps the
 * other from running (as when they were two functions) — and a failed step is retired for the rest of
 * the invocation (the next minute's starts afresh), so a failing exchange is not hammered every slot.
 */
export async function guardianSlot(
  deps: MonitorDeps,
  slotTime: number,
  due: { positions: boolean; risk: boolean },
  onError: (step: 'positions' | 'risk', err: unknown) => void,
  /** The account view last written in this invocation (written again only on change). */
  view: { writtenFor?: string } = {},
): Promise<GuardianCheck> {
  const failed: GuardianCheck['failed'] = [];
  // Risk first: the daily loss halt and de-risking do not wait for the stop work.
  if (due.risk) {
    try {
      await riskMonitorOnce(deps, slotTime);
    } catch (err) {
      failed.push('risk');
      onError('risk', err);
    }
  }
  // The per-slot steps (stops restored, trailed and resized; liquidation distance; the read model; entry
  // cancels while halted; resting fills announced) are positionMonitorOnce's list, in its order.
  let exposed = true; // unknown (a step failed or was retired): assume exposed
  let danger = false;
  if (due.positions) {
    try {
      const r = await positionMonitorOnce(
        deps,
        slotTime,
        view.writtenFor !== undefined ? { viewWrittenFor: view.writtenFor } : {},
      );
      view.writtenFor = r.view;
      exposed = r.exposure.positions > 0 || r.exposure.openOrders > 0 || (await hedgeLegHeld(deps));
      danger = r.exposure.minLiquidationDistancePct < deps.config.LIQUIDATION_DISTANCE_WARN_PCT;
    } catch (err) {
      failed.push('positions');
      onError('positions', err);
    }
  }
  return { exposed, danger, failed };
}

/**
 * Whether a strategy holds spot coins it bought (the hedge leg of funding arbitrage), from its own ledger
 * in its state: the wallet balance cannot tell the hedge from the trader's own coins, which are not ours
 * to watch (shared/strategies/spot-holding.ts).
 */
export async function hedgeLegHeld(deps: Pick<MonitorDeps, 'store' | 'config'>): Promise<boolean> {
  for (const { strategy, symbol } of strategySymbolPairs(deps.config.assignment)) {
    const holding = STRATEGIES[strategy].spotHolding;
    if (!holding) continue;
    const stored = await deps.store.getStrategyState(strategy, symbol);
    if (stored && holding(stored.state) > 0) return true;
  }
  return false;
}

export interface GuardianRun {
  /** Checks made (slots run). */
  checks: number;
  /** Slots wholly past when the loop got to them (a slow iteration or a late start). */
  skippedSlots: number;
  /** Slot times of the checks (ms). */
  starts: number[];
  /** Longest check (ms). */
  longestCheckMs: number;
  /** Whether the last check found the account exposed. */
  exposed: boolean;
  /** The first error a step threw, if any (the invocation reports it after the loop). */
  error?: unknown;
}

/**
 * The guardian's loop from `from` until `until`: the first check always runs; the loop goes on only
 * while the account is exposed, on a grid of slots from `from`, never starting a check it cannot finish
 * before `until` (the next invocation's minute). A late start skips the slots already past.
 */
export async function runGuardian(
  deps: {
    clock: MonitorDeps['clock'];
    config: Pick<
      MonitorDeps['config'],
      'POSITION_MONITOR_INTERVAL_SECONDS' | 'RISK_MONITOR_INTERVAL_SECONDS'
    >;
  },
  p: { from: number; until: number },
  sleep: (ms: number) => Promise<void>,
  /** One slot's steps: guardianSlot over the ports (the cost model times the loop with a stand-in). */
  slotSteps: (
    slotTime: number,
    due: { positions: boolean; risk: boolean },
    onError: (step: 'positions' | 'risk', err: unknown) => void,
  ) => Promise<GuardianCheck>,
): Promise<GuardianRun> {
  const positionMs = deps.config.POSITION_MONITOR_INTERVAL_SECONDS * 1_000;
  const riskMs = deps.config.RISK_MONITOR_INTERVAL_SECONDS * 1_000;
  const run: GuardianRun = { checks: 0, skippedSlots: 0, starts: [], longestCheckMs: 0, exposed: false };
  const live = { positions: true, risk: true };
  let slot = p.from;
  let interval = positionMs;
  let nextRisk = p.from;
  let danger = false;
  for (;;) {
    const now = deps.clock.now();
    if (run.checks > 0) {
      if (now + run.longestCheckMs >= p.until) break;
      while (slot + interval <= now) {
        slot += interval;
        run.skippedSlots++;
      }
      if (slot + run.longestCheckMs >= p.until) break;
      if (now < slot) await sleep(slot - now);
    }
    const started = deps.clock.now();
    const riskDue = live.risk && (slot >= nextRisk || danger);
    const check = await slotSteps(slot, { positions: live.positions, risk: riskDue }, (_, err) => {
      run.error ??= err;
    });
    for (const step of check.failed) live[step] = false;
    if (riskDue) nextRisk = slot + riskMs;
    run.checks++;
    run.starts.push(slot);
    run.longestCheckMs = Math.max(run.longestCheckMs, deps.clock.now() - started);
    run.exposed = check.exposed;
    if (!check.exposed || (!live.positions && !live.risk)) break;
    danger = check.danger;
    // With the per-slot steps retired, only the risk step is left: its own cadence.
    interval = !live.positions ? riskMs : danger ? Math.min(DANGER_INTERVAL_MS, positionMs) : positionMs;
    slot += interval;
  }
  return run;
}
