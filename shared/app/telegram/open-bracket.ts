// The bracket of a /futures_open: `sl=` and `tp=` (prices, or distances from the mark in percent) turned
// into the entry's bracket (shared/domain/bracket.ts), checked against the mark — a stop on the profit
// side or a take-profit on the loss side would trigger at once — and described for the reply.
import type { Bracket } from '../../domain/bracket.ts';
import { roundToTick } from '../../domain/precision.ts';
import type { LevelArg, OpenOptions } from './args.ts';
import { price } from './format.ts';

/** The bracket, or the sentence saying why it cannot be placed. */
export function openBracket(p: {
  side: 'long' | 'short';
  mark: number;
  options: OpenOptions;
  /** Where the stop goes without sl=. */
  defaultStopPrice: number;
  tickSize: number;
}): Bracket | string {
  const dir = p.side === 'long' ? 1 : -1;
  const at = (l: LevelArg, towards: 1 | -1) =>
    'price' in l
      ? roundToTick(l.price, p.tickSize)
      : roundToTick(p.mark * (1 + (towards * l.pct) / 100), p.tickSize);
  const stopPrice = p.options.sl ? at(p.options.sl, dir > 0 ? -1 : 1) : p.defaultStopPrice;
  // A level under half a tick rounds to 0, which no order can carry.
  if (!(stopPrice > 0)) return `the stop is under one tick (${p.tickSize})`;
  if ((p.mark - stopPrice) * dir <= 0)
    return `the stop ${price(stopPrice)} is not ${dir > 0 ? 'below' : 'above'} the mark ${price(p.mark)}`;
  const prices = (p.options.tp ?? []).map((l) => at(l, dir > 0 ? 1 : -1));
  if (prices.some((x) => !(x > 0))) return `the take-profit is under one tick (${p.tickSize})`;
  const wrong = prices.find((x) => (x - p.mark) * dir <= 0);
  if (wrong !== undefined)
    return `the take-profit ${price(wrong)} is not ${dir > 0 ? 'above' : 'below'} the mark ${price(p.mark)}`;
  if (new Set(prices).size !== prices.length) return 'two take-profits at the same price';
  // Nearest first, the position split evenly; with more than one, the stop goes to break-even after the first.
  const sorted = [...prices].sort((a, b) => (a - b) * dir);
  return {
    stopPrice,
    takeProfits: sorted.map((x) => ({ price: x, fraction: 1 / sorted.length })),
    breakEvenAfterFirst: sorted.length > 1,
  };
}

/** "stop 58,000 · take-profits 61,000 (50 %), 64,000 (50 %) · stop to break-even after the first". */
export function describeBracket(b: Bracket): string {
  const tps = b.takeProfits.map((t) => `${price(t.price)} (${Math.round(t.fraction * 1000) / 10} %)`);
  return [
    `stop ${price(b.stopPrice)}`,
    ...(tps.length > 0 ? [`take-profit${tps.length > 1 ? 's' : ''} ${tps.join(', ')}`] : []),
    ...(b.breakEvenAfterFirst ? ['stop to break-even after the first'] : []),
  ].join(' · ');
}
