// Per-strategy lines of /futures_status and /pnl: each book's (strategy's, or the trader's `manual`)
// equity contribution, open exposure, realised PnL, fees and funding. Realised PnL, fees and funding
// are what the performance monitor booked from the exchange's income entries; exposure and unrealised
// PnL come from the positions now, each position in the book of its symbol's owner.
import type { FuturesPosition } from '../../domain/position.ts';
import { getOwnerBooks } from '../monitors/performance-monitor.ts';
import { ownerOfSymbol } from '../ownership.ts';
import { escapeHtml, usdt } from './format.ts';
import type { TelegramDeps } from './registry.ts';

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${usdt(Math.abs(x))}`;

export async function ownerLines(
  deps: TelegramDeps,
  positions: readonly FuturesPosition[],
): Promise<string[]> {
  const books = await getOwnerBooks(deps.store);
  const open = new Map<string, { notional: number; upnl: number }>();
  for (const p of positions) {
    const owner = ownerOfSymbol(deps.config.assignment, p.symbol);
    const o = open.get(owner) ?? { notional: 0, upnl: 0 };
    o.notional += p.quantity * p.markPrice;
    o.upnl += p.unrealizedPnl;
    open.set(owner, o);
  }
  const owners = [...new Set<string>([...deps.config.strategies, ...Object.keys(books), ...open.keys()])];
  return owners.map((owner) => {
    const b = books[owner] ?? { realizedPnl: 0, fees: 0, funding: 0 };
    const o = open.get(owner) ?? { notional: 0, upnl: 0 };
    const symbols = (deps.config.assignment as Record<string, readonly string[] | undefined>)[owner];
    const contribution = b.realizedPnl - b.fees + b.funding + o.upnl;
    return (
      `<b>${escapeHtml(owner)}</b>${symbols ? ` (${symbols.map(escapeHtml).join(', ')})` : ''}: ${signed(contribution)} — ` +
      `realised ${signed(b.realizedPnl)}, fees ${signed(-b.fees)}, funding ${signed(b.funding)}, unrealised ${signed(o.upnl)}; ` +
      `exposure ${usdt(o.notional)}`
    );
  });
}
