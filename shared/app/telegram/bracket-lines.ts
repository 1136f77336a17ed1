// /futures_status lines for the advanced orders the position monitor is driving: brackets
// (../bracket-book.ts) and sliced entries with their progress (../monitors/slices-monitor.ts).
import { sliceKindLabel } from '../../domain/slicing.ts';
import { advancedOrders } from '../bracket-book.ts';
import { breakEvenState } from '../monitors/bracket-retries.ts';
import { escapeHtml } from './format.ts';
import type { MarketFormat } from './market-format.ts';
import { describeBracket } from './open-bracket.ts';
import type { TelegramDeps } from './registry.ts';

const BREAK_EVEN_NOTE = {
  none: '',
  moving: ' (stop moving to break-even)',
  done: ' (break-even)',
  refused: ' (break-even refused: stop left where it was)',
} as const;

export async function advancedOrderLines(
  deps: Pick<TelegramDeps, 'store' | 'config'>,
  fmt: Pick<MarketFormat, 'quantity'>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const symbol of deps.config.SYMBOLS) {
    const book = await advancedOrders(deps.store, symbol);
    for (const t of book.brackets) {
      const bracket = (await deps.store.getIntent(t.parentId))?.intent?.bracket;
      const state =
        t.closedAt !== undefined
          ? 'position closed, cancelling what is left'
          : `${fmt.quantity(symbol, t.quantity)} open${t.resizes > 0 ? `, stop resized ${t.resizes}×` : ''}${BREAK_EVEN_NOTE[breakEvenState(t)]}`;
      lines.push(
        `<b>Bracket</b> ${escapeHtml(symbol)} ${t.side} (${escapeHtml(t.strategy)}, <code>${t.parentId}</code>): ${bracket ? describeBracket(bracket) : 'legs'} — ${state}`,
      );
    }
    for (const p of book.plans) {
      const done = p.quantities.slice(0, p.sent).reduce((a, b) => a + b, 0);
      const total = p.quantities.reduce((a, b) => a + b, 0);
      const next = p.startAt + p.sent * p.intervalMs;
      const state = p.stopped
        ? `stopped — ${escapeHtml(p.stopped.reason)}`
        : p.sent >= p.quantities.length
          ? 'all sent'
          : p.kind === 'iceberg'
            ? `next when slice ${p.sent} has filled`
            : `next at ${new Date(next).toISOString().slice(11, 19)} UTC`;
      lines.push(
        `<b>${sliceKindLabel(p)}</b> ${escapeHtml(symbol)} ${p.side} (${escapeHtml(p.strategy)}, <code>${p.parentId}</code>): ${p.sent}/${p.quantities.length} slices sent (${fmt.quantity(symbol, done)} of ${fmt.quantity(symbol, total)}), ${state}`,
      );
    }
  }
  return lines;
}
