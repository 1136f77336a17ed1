// Brackets in the backtester: the same one-cancels-the-other decision the live position monitor takes
// (shared/domain/bracket-plan.ts), taken at the first slot after a fill — in an hourly backtest, the end
// of the candle the fill happened in (the simulator has no finer clock; the strategy's next tick is
// the same instant). The engine registers a bracketed entry when it has filled; `settle` runs from
// Simulator.advance() only while a bracket is watched. The simulator's own reduce-only cancel on close
// (on by default) already removes full-close orphans; what this adds is the stop resized to what is
// left after a partial take-profit, moved to break-even where the bracket says so.
import {
  type BracketTrack,
  knowsEveryStop,
  newBracketTrack,
  noteCloseStops,
  type PlanPosition,
  planBracket,
  positionAsSeen,
} from '../../domain/bracket-plan.ts';
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import type { Markets, OrderRequest } from '../../ports/exchange.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';
import type { SimPosition } from './ledger.ts';

/** The part of the simulator a bracket needs (its public face). */
export interface BracketHost {
  readonly markets: Markets;
  readonly ledger: { readonly positions: ReadonlyMap<string, SimPosition> };
  now(): number;
  price(symbol: string): number;
  /** The symbol's resting orders, frozen; read, never edited (./order-book.ts). */
  frozenOpenOrders(symbol: string): readonly FuturesOrder[];
  /** Changes whenever the resting orders change (./order-book.ts: OrderBook.version). */
  readonly openOrdersVersion: number;
  cancelOrder(symbol: string, clientOrderId: string): FuturesOrder;
  createOrder(req: OrderRequest): FuturesOrder;
}

/**
 * One watched bracket, and the book its last look saw: `version` of the book, `steady` when the track
 * knew every close-side stop on it (bracket-plan.ts: knowsEveryStop).
 */
interface Watch {
  track: BracketTrack;
  version: number;
  steady: boolean;
}

export class SimBrackets {
  private readonly watches = new Map<string, Watch>();
  /** Legs cancelled because their position was gone. */
  orphansCancelled = 0;
  /** Stops resized (and moved to break-even) after a take-profit. */
  stopsResized = 0;
  /** Slots a bracket was not planned again: its position as last seen (bracket-plan.ts: positionAsSeen). */
  plansSkipped = 0;
  /**
   * Plan every bracket at every slot, as the live monitor does, instead of the shortcut for a position
   * as last seen: the reference the shortcut is tested against (test/unit/sim/brackets-skip.property.test.ts).
   */
  replanEverySlot = false;

  get active(): boolean {
    return this.watches.size > 0;
  }

  /** The brackets watched now, by entry id. */
  tracks(): BracketTrack[] {
    return [...this.watches.values()].map((w) => w.track);
  }

  /** An order the engine placed: a bracketed entry that filled starts being watched. */
  placed(intent: OrderIntent, order: FuturesOrder, now: number): void {
    const t = newBracketTrack(intent, order.filledQuantity, now);
    if (t) this.watches.set(t.parentId, { track: t, version: -1, steady: false });
  }

  /** The position as a plan reads it, one object reused (planBracket keeps none of it). */
  private readonly view: PlanPosition = {
    side: 'long',
    quantity: 0,
    entryPrice: 0,
    markPrice: 0,
    openedAt: 0,
  };

  private seen(pos: SimPosition, markPrice: number): PlanPosition {
    const v = this.view;
    v.side = pos.side;
    v.quantity = pos.quantity;
    v.entryPrice = pos.entryPrice;
    v.markPrice = markPrice;
    v.openedAt = pos.openedAt;
    return v;
  }

  /** One slot: cancel the legs of closed positions, resize stops after take-profits. */
  settle(sim: BracketHost): void {
    for (const w of this.watches.values()) {
      const track = w.track;
      const pos = sim.ledger.positions.get(track.symbol);
      const version = sim.openOrdersVersion;
      // The position as the last plan saw it: a plan would only note new stops (positionAsSeen) —
      // none when the book is the one it saw and the track knew every stop on it. Noted in place: the
      // track is this watch's own.
      if (pos !== undefined && !this.replanEverySlot && positionAsSeen(track, pos)) {
        this.plansSkipped++;
        if (version === w.version && w.steady) continue;
        const open = sim.frozenOpenOrders(track.symbol);
        noteCloseStops(track, open);
        w.version = version;
        w.steady = knowsEveryStop(track, open);
        continue;
      }
      const rules = sim.markets.futures[track.symbol];
      const open = sim.frozenOpenOrders(track.symbol);
      const plan = planBracket({
        track,
        position: pos && this.seen(pos, sim.price(track.symbol)),
        open,
        legsSettled: true, // the engine places every leg in the tick that emits it
        stepSize: rules?.stepSize ?? 0.001,
        tickSize: rules?.tickSize ?? 0.01,
        slotTime: sim.now(),
      });
      // What this plan saw (before its own cancels and resize change the book).
      w.track = plan.track;
      w.version = version;
      w.steady = knowsEveryStop(plan.track, open);
      for (const c of plan.cancels) {
        sim.cancelOrder(track.symbol, c);
        this.orphansCancelled++;
      }
      const r = plan.resize;
      if (r) {
        try {
          // The new stop first, then the old one's cancel: the position is never bare.
          sim.createOrder({
            clientOrderId: r.id,
            symbol: track.symbol,
            market: 'futures',
            side: track.side === 'long' ? 'sell' : 'buy',
            type: 'stop_market',
            quantity: r.quantity,
            stopPrice: r.stopPrice,
            reduceOnly: true,
          });
          sim.cancelOrder(track.symbol, r.fromId);
          this.stopsResized++;
        } catch (err) {
          if (!(err instanceof ExchangeError)) throw err; // refused: the old stop stays
        }
      }
      // Closed: its open legs were just cancelled, synchronously — nothing of it is left to watch.
      if (plan.done || plan.track.closedAt !== undefined) this.watches.delete(track.parentId);
    }
  }
}
