// The simulated exchange made as durable as a real one for `--persist`: its state is saved the moment
// it accepts or cancels an order (or changes leverage, adds margin, moves USDT). A real exchange keeps an order it accepted even
// if our process dies before writing it down — the case the executor's reconciliation exists for — so
// the local runtime's exchange must too, or a restart could not show it.
import type { Exchange } from '../../shared/ports/exchange.ts';

const MUTATIONS = new Set<string | symbol>([
  'createOrder',
  'cancelOrder',
  'setLeverage',
  'setMarginMode',
  'addMargin',
  'transfer',
]);

/** `inner` with `save()` after every call that changes the exchange; reads pass straight through. */
export function persistingExchange(inner: Exchange, save: () => void): Exchange {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!MUTATIONS.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        save();
        return result;
      };
    },
  });
}
