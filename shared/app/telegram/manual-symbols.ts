// The trader's own trades and the strategies' symbols. A manual /futures_open on a symbol a strategy
// trades is REFUSED, not confirmed: Binance holds one one-way position per symbol, so the trader's
// coins would merge into the strategy's position — its exits, stops and grid would then manage them as
// its own and its book would no longer be its own (shared/app/ownership.ts). Closing a strategy's
// position from Telegram stays allowed (it is the way out in a hurry) and is booked to that strategy.
import { MANUAL, ownerOfSymbol } from '../ownership.ts';
import { escapeHtml } from './format.ts';
import type { TelegramDeps } from './registry.ts';

/** Symbols no strategy trades: where manual positions go. */
export function manualSymbols(deps: TelegramDeps): string[] {
  return deps.config.SYMBOLS.filter((s) => ownerOfSymbol(deps.config.assignment, s) === MANUAL);
}

/** The symbol a manual order uses when none is given: the first one no strategy trades. */
export function defaultManualSymbol(deps: TelegramDeps): string {
  return manualSymbols(deps)[0] ?? deps.config.SYMBOLS[0]!;
}

/** Why a manual entry on `symbol` is refused, or undefined when the symbol is the trader's. */
export function manualEntryRefusal(deps: TelegramDeps, symbol: string): string | undefined {
  const owner = ownerOfSymbol(deps.config.assignment, symbol);
  if (owner === MANUAL) return undefined;
  const free = manualSymbols(deps);
  return (
    `Refused — nothing was sent: ${escapeHtml(symbol)} is traded by the ${owner} strategy (STRATEGY_SYMBOLS). ` +
    `A position opened here would merge into ${owner}'s one-way position: ${owner} would manage it as its own ` +
    `(its exits and stops close the whole position) and its results would mix with yours.\n` +
    (free.length > 0
      ? `Open on a symbol no strategy trades: ${free.map(escapeHtml).join(', ')}.`
      : 'Every configured symbol belongs to a strategy: add one to SYMBOLS for manual trades.') +
    ` To take ${owner}'s position off, /futures_close ${escapeHtml(symbol)} (booked to ${owner}).`
  );
}

/** A line for a close of strategies' positions: whose book it lands in. */
export function closeOwnershipNote(deps: TelegramDeps, symbols: readonly string[]): string {
  const owned = symbols
    .map((s) => [s, ownerOfSymbol(deps.config.assignment, s)] as const)
    .filter(([, owner]) => owner !== MANUAL);
  if (owned.length === 0) return '';
  return `\nBooked to the strategy that owns the position (${owned.map(([s, o]) => `${escapeHtml(s)}: ${o}`).join(', ')}); it may open again on its next tick — /halt or /futures_emergency_close to stop it.`;
}
