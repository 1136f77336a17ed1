// Pre-checking one tick's intents together: an entry and the protective orders placed with it stand or
// fall together. When an intent that adds exposure is rejected, the reduce-only stop and target orders
// of the same symbol in that tick are rejected with it — they would protect nothing — and so is a spot
// buy of that symbol: the hedge leg of a refused futures short would be a naked long.
import type { OrderIntent } from '../order.ts';
import type { RiskDecision } from './check-intent.ts';

export interface BatchDecision {
  accepted: OrderIntent[];
  rejected: { intent: OrderIntent; reasons: string[] }[];
}

export function precheckBatch(
  intents: readonly OrderIntent[],
  check: (i: OrderIntent) => RiskDecision,
): BatchDecision {
  const out: BatchDecision = { accepted: [], rejected: [] };
  // Made at the first refused entry: most batches (a backtest's tens of thousands) have none.
  let failedEntry: Map<string, string> | undefined;
  for (const intent of intents) {
    const triggered = intent.type === 'stop_market' || intent.type === 'take_profit_market';
    const protective = intent.reduceOnly && triggered;
    const hedgeLeg = intent.market === 'spot' && intent.side === 'buy';
    const orphanOf = (protective || hedgeLeg) && failedEntry ? failedEntry.get(intent.symbol) : undefined;
    if (orphanOf) {
      out.rejected.push({ intent, reasons: [`its entry ${orphanOf} was rejected`] });
      continue;
    }
    const d = check(intent);
    if (d.accepted) out.accepted.push(intent);
    else {
      out.rejected.push({ intent, reasons: d.reasons });
      if (!intent.reduceOnly && intent.market === 'futures') {
        failedEntry ??= new Map();
        failedEntry.set(intent.symbol, intent.id);
      }
    }
  }
  return out;
}
