// Brackets in the backtester: the same one-cancels-the-other decision the live position monitor takes
// (shared/domain/bracket-plan.ts), taken at the first slot after a fill — in an hourly backtest, the end
// of the candle the fill happened in (the simulator has no finer clock; the strategy's next tick is
// the same instant). The engine registers a bracketed entry when it has filled; `settle` runs from
// Simulator.advance() only while a bracket is watched. The simulator's own reduce-only cancel on close
// (on by default) already removes full-close orphans; what this adds is the stop resized to what is
// left after a partial take-profit, moved to break-even where the bracket says so.
import { type BracketTrack, newBracketTrack, planBracket } from '../../domain/bracket-plan.ts';
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
  openOrders(symbol?: string): FuturesOrder[];
  cancelOrder(symbol: string, clientOrderId: string): FuturesOrder;
  createOrder(req: OrderRequest): FuturesOrder;
}

export class SimBrackets {
  private readonly tracks = new Map<string, BracketTrack>();
  /** Legs cancelled because their position was gone. */
  orphansCancelled = 0;
  /** Stops resized (and moved to break-even) after a take-profit. */
  stopsResized = 0;

  get active(): boolean {
    return this.tracks.size > 0;
  }

  /** An order the engine placed: a bracketed entry that filled starts being watched. */
  placed(intent: OrderIntent, order: FuturesOrder, now: number): void {
    const t = newBracketTrack(intent, order.filledQuantity, now);
    if (t) this.tracks.set(t.parentId, t);
  }

  /** One slot: cancel the legs of closed positions, resize stops after take-profits. */
  settle(sim: BracketHost): void {
    for (const [id, track] of this.tracks) {
      const pos = sim.ledger.positions.get(track.symbol);
      const rules = sim.markets.futures[track.symbol];
      const plan = planBracket({
        track,
        position: pos && { ...pos, markPrice: sim.price(track.symbol) },
        open: sim.openOrders(track.symbol),
        legsSettled: true, // the engine places every leg in the tick that emits it
        stepSize: rules?.stepSize ?? 0.001,
        tickSize: rules?.tickSize ?? 0.01,
        slotTime: sim.now(),
      });
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
      if (plan.done || plan.track.closedAt !== undefined) this.tracks.delete(id);
      else this.tracks.set(id, plan.track);
    }
  }
}
