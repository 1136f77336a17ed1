// Sliced (TWAP and iceberg) entries, driven from the position monitor's slot: each plan
// (shared/domain/slicing.ts: stepSlicePlan, the backtester's rule too) sends the slice that has come due
// through the queue, each with its id derived from the parent's
// and its index. The plan's `sent` is written after the sends: a crash in between sends the same ids
// again next slot, which the queue and the executor drop — a slice is never placed twice. A halt stops
// the rest (the executor would refuse them anyway); so does a slice the executor refused.
import { sliceId, sliceIntent, stepSlicePlan, type TwapPlan } from '../../domain/slicing.ts';
import type { StateStore } from '../../ports/state-store.ts';
import { changeTwapPlans, twapPlans } from '../bracket-book.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';

export { changeTwapPlans, twapPlans } from '../bracket-book.ts';

/** Start watching a plan; false when one with its id exists (a redelivered command). */
export function startTwap(store: StateStore, plan: TwapPlan, at: number): Promise<boolean> {
  return changeTwapPlans(store, plan.symbol, at, (plans) =>
    plans[plan.parentId] ? undefined : { ...plans, [plan.parentId]: plan },
  );
}

/** Why the plan was stopped (halt, /futures_close, a refused slice); undefined while it runs or is gone. */
export async function twapStopped(
  store: StateStore,
  symbol: string,
  parentId: string,
): Promise<string | undefined> {
  return (await twapPlans(store, symbol)).find((p) => p.parentId === parentId)?.stopped?.reason;
}

/** Stop every running plan on these symbols (a close must not be undone by the next slice). */
export async function stopTwaps(
  store: StateStore,
  symbols: readonly string[],
  at: number,
  reason: string,
): Promise<TwapPlan[]> {
  const stopped: TwapPlan[] = [];
  for (const symbol of symbols) {
    const running = (await twapPlans(store, symbol)).filter((p) => !p.stopped);
    if (running.length === 0) continue;
    await changeTwapPlans(store, symbol, at, (plans) => {
      for (const p of running)
        if (plans[p.parentId] && !plans[p.parentId]!.stopped)
          plans[p.parentId] = { ...plans[p.parentId]!, stopped: { at, reason } };
      return plans;
    });
    stopped.push(...running);
  }
  return stopped;
}

/** `read`: the symbol's plans when the caller has read them already (one read per slot). */
export async function sendDueSlices(
  deps: MonitorDeps,
  slotTime: number,
  read?: ReadonlyMap<string, TwapPlan[]>,
): Promise<{ sent: string[]; stopped: string[] }> {
  const out = { sent: [] as string[], stopped: [] as string[] };
  let halt: { halted: boolean; reason: string } | undefined;
  for (const symbol of deps.config.SYMBOLS) {
    const plans = read?.get(symbol) ?? (await twapPlans(deps.store, symbol));
    if (plans.length === 0) continue;
    halt ??= await deps.store.getHalt();
    const next = new Map<string, TwapPlan | undefined>();
    for (const plan of plans) {
      const last = plan.sent > 0 ? await pendingStatus(deps, sliceId(plan.parentId, plan.sent - 1)) : 'done';
      const step = stepSlicePlan(plan, last, halt, slotTime);
      const p = step.plan;
      if (p.stopped && !plan.stopped) out.stopped.push(p.parentId);
      for (const i of step.send) {
        const intent = sliceIntent(p, i, slotTime);
        await deps.queue.send({ kind: 'intent', intent });
        out.sent.push(intent.id);
      }
      // Finished (all sent, or stopped) and its last slice executed or refused: nothing left to show.
      const t = step.finished ? undefined : p;
      if (JSON.stringify(t) !== JSON.stringify(plan)) next.set(p.parentId, t);
    }
    if (next.size === 0) continue; // nothing changed: no write (and no second read)
    await changeTwapPlans(deps.store, symbol, slotTime, (all) => {
      let changed = false;
      for (const [id, mine] of next) {
        const stored = all[id];
        if (!stored) continue;
        // A stop written meanwhile (/futures_close, a halt) stays: the slot's copy was read before it.
        const p = mine && {
          ...mine,
          sent: Math.max(mine.sent, stored.sent),
          ...(stored.stopped && !mine.stopped ? { stopped: stored.stopped } : {}),
        };
        if (p === undefined) delete all[id];
        else if (JSON.stringify(p) === JSON.stringify(stored)) continue;
        else all[id] = p;
        changed = true;
      }
      return changed ? all : undefined;
    });
  }
  return out;
}
