// /futures_status lines for the brackets the position monitor is watching (../bracket-book.ts).
import { bracketTracks } from '../bracket-book.ts';
import { escapeHtml } from './format.ts';
import { describeBracket } from './open-bracket.ts';
import type { TelegramDeps } from './registry.ts';

export async function bracketStatusLines(deps: Pick<TelegramDeps, 'store' | 'config'>): Promise<string[]> {
  const lines: string[] = [];
  for (const symbol of deps.config.SYMBOLS) {
    for (const t of await bracketTracks(deps.store, symbol)) {
      const bracket = (await deps.store.getIntent(t.parentId))?.intent?.bracket;
      const state =
        t.closedAt !== undefined
          ? 'position closed, cancelling what is left'
          : `${t.quantity} open${t.resizes > 0 ? `, stop resized ${t.resizes}×` : ''}${t.breakEvenDone ? ' (break-even)' : ''}`;
      lines.push(
        `<b>Bracket</b> ${escapeHtml(symbol)} ${t.side} (${escapeHtml(t.strategy)}, <code>${t.parentId}</code>): ${bracket ? describeBracket(bracket) : 'legs'} — ${state}`,
      );
    }
  }
  return lines;
}
