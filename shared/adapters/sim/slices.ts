// Sliced entries (TWAP and iceberg) in the backtester: a strategy's entry that asks to be sliced
// (intent.sliced) becomes the live plan (shared/domain/slicing.ts), its slices taking ids derived from
// the entry's, each placed through the engine's own risk check and execution as a normal intent — the
// first risk-checked as the whole parent, as live. The slot's decision is the live one (stepSlicePlan):
// at most one slice a slot, only after the previous executed, a refused slice stops the rest; a
// backtest has no halt. The slot is the start of each base candle (the backtester's finest clock), so
// the slices fall on successive candles — a TWAP whose interval is longer than a candle on the candles
// where they come due; an iceberg's market slice fills at once, so its next goes on the next candle.
import type { OrderIntent } from '../../domain/order.ts';
import { ceilToStep } from '../../domain/precision.ts';
import {
  requestQuantities,
  type SliceStatus,
  SlicingInvalid,
  sliceIntent,
  stepSlicePlan,
  type TwapPlan,
} from '../../domain/slicing.ts';

/** Place one intent through the engine's risk check; the reasons when refused. */
type Place = (intent: OrderIntent) => string[] | undefined;
const NO_HALT = { halted: false, reason: '' };

export class SimSlices {
  private readonly plans = new Map<string, { plan: TwapPlan; last: SliceStatus }>();

  get active(): boolean {
    return this.plans.size > 0;
  }

  /** A strategy's sliced entry: its plan, and its first slice placed now (refused: nothing is kept). */
  entry(
    intent: OrderIntent,
    at: { now: number; candleMs: number; mark: number },
    rules: { stepSize: number; minQuantity: number; minNotional: number },
    place: Place,
  ): string[] | undefined {
    const req = intent.sliced!;
    const minSlice = Math.max(rules.minQuantity, ceilToStep(rules.minNotional / at.mark, rules.stepSize));
    let quantities: number[];
    try {
      quantities = requestQuantities(req, intent.quantity, rules.stepSize, minSlice);
    } catch (err) {
      if (err instanceof SlicingInvalid) return [`${err.name}: ${err.message}`];
      throw err;
    }
    const plan: TwapPlan = {
      ...(req.kind === 'iceberg' ? { kind: 'iceberg' as const } : {}),
      parentId: intent.id,
      symbol: intent.symbol,
      strategy: intent.strategy,
      side: intent.side,
      leverage: intent.leverage,
      marginMode: intent.marginMode,
      quantities,
      startAt: at.now,
      intervalMs:
        req.kind === 'twap'
          ? Math.max(at.candleMs, Math.round((req.minutes * 60_000) / quantities.length))
          : 0,
      sent: 1,
    };
    const reasons = place(sliceIntent(plan, 0, at.now));
    if (reasons === undefined) this.plans.set(plan.parentId, { plan, last: 'done' });
    return reasons;
  }

  /** One slot at `now`: the slices due, placed; the refused ones' reasons. */
  slot(now: number, place: Place): { intentId: string; reasons: string[] }[] {
    const refused: { intentId: string; reasons: string[] }[] = [];
    for (const [id, e] of this.plans) {
      const step = stepSlicePlan(e.plan, e.last, NO_HALT, now);
      if (step.finished) {
        this.plans.delete(id);
        continue;
      }
      e.plan = step.plan;
      for (const i of step.send) {
        const slice = sliceIntent(step.plan, i, now);
        const reasons = place(slice);
        e.last = reasons ? 'refused' : 'done';
        if (reasons) refused.push({ intentId: slice.id, reasons });
      }
    }
    return refused;
  }
}
