// Formatting replies for Telegram's HTML parse mode: escape everything that came from a user or an
// exchange, keep numbers readable, and split long replies under Telegram's 4,096-character limit.
import { decimalsOf } from '../../domain/precision.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function usdt(x: number): string {
  return `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;
}

export function pct(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)} %` : '∞';
}

/**
 * A price at its market's tick precision, as Binance shows it (tick 0.10 → 60,010.5; 0.0000001 →
 * 0.0123457). Without the market's rules: at least 6 significant digits, 2 to 8 decimals, trailing
 * zeros dropped — never the float's full expansion (an average entry of 60,012.345678912).
 */
export function price(x: number, tickSize?: number): string {
  if (tickSize !== undefined && tickSize > 0) return fixed(x, decimalsOf(tickSize));
  const digits = Math.min(8, Math.max(2, 6 - Math.ceil(Math.log10(Math.abs(x) || 1))));
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A base-asset quantity at its market's step precision (step 0.001 → 0.050); without it, up to 8 decimals. */
export function quantity(x: number, stepSize?: number): string {
  if (stepSize !== undefined && stepSize > 0) return fixed(x, decimalsOf(stepSize));
  return x.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

const fixed = (x: number, d: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

/** "7 XYZ, 120.5 LDXYZ": spot coins no USDT market prices, with the amounts held. */
export function unpricedCoins(assets: readonly string[], spot: Readonly<Record<string, number>>): string {
  return assets.map((a) => `${quantity(spot[a] ?? 0)} ${a}`).join(', ');
}

/** Telegram's limit is 4,096 characters; split on line breaks below it. */
export const TELEGRAM_LIMIT = 4_096;

export function splitMessage(text: string, limit = TELEGRAM_LIMIT - 96): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const pieces = line.length > limit ? (line.match(new RegExp(`.{1,${limit}}`, 'gs')) ?? []) : [line];
    for (const piece of pieces) {
      if (current.length + piece.length + 1 > limit) {
        parts.push(current);
        current = '';
      }
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
