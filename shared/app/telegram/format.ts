// Formatting replies for Telegram's HTML parse mode: escape everything that came from a user or an
// exchange, keep numbers readable, and split long replies under Telegram's 4,096-character limit.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function usdt(x: number): string {
  return `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;
}

export function pct(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)} %` : '∞';
}

export function price(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: 8 });
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
