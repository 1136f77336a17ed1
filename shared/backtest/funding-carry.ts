// What a funding hedge can earn, as a baseline for funding_arbitrage: the plain carry (the funding a
// constant short of one unit of notional receives, summed) per calendar year, and the share of equity
// the risk limits let spot-perp hedges deploy. Published evidence to compare with: Schmeling, Schrimpf
// and Todorov, "Crypto carry", BIS Working Paper 1087 (2023): BTC/ETH perpetual carry above 10 % a year
// on average, strongly time-varying.
import type { FundingSeries } from '../market-data/csv.ts';

export interface CarryYear {
  year: number;
  settlements: number;
  /** Sum of the year's funding rates, percent of notional: what a constant short received. */
  carryPct: number;
}

/** Plain carry per calendar year (UTC) of a constant short: the sum of the settled rates. */
export function plainCarryByYear(funding: FundingSeries): CarryYear[] {
  const out: CarryYear[] = [];
  for (let i = 0; i < funding.time.length; i++) {
    const year = new Date(funding.time[i]!).getUTCFullYear();
    let row = out[out.length - 1];
    if (!row || row.year !== year) {
      row = { year, settlements: 0, carryPct: 0 };
      out.push(row);
    }
    row.settlements++;
    row.carryPct += funding.rate[i]! * 100;
  }
  return out;
}

/** Mean carry a year over the whole series: the total over the years its settlements span (1,095 a year). */
export function meanAnnualCarryPct(funding: FundingSeries): number {
  let sum = 0;
  for (let i = 0; i < funding.rate.length; i++) sum += funding.rate[i]!;
  return funding.rate.length === 0 ? 0 : (sum * 100 * 1_095) / funding.rate.length;
}

export interface Deployment {
  /** Hedges held at once: the symbols, at most the position limit. */
  hedges: number;
  /** Notional per leg of each hedge, percent of equity. */
  perHedgePct: number;
  /** All hedges' notional (per leg), percent of equity: the share of equity that earns the carry. */
  deployedPct: number;
  /** Capital the hedges tie up (spot notional + the shorts' margin), percent of equity. */
  capitalPct: number;
}

/**
 * The deployment the limits allow: each hedge's perp notional at most `positionSizeLimitPct` of equity,
 * at most `maxPositions` hedges, and the capital — spot notional plus the short's margin, notional ×
 * (1 + 1/leverage) — within equity.
 */
export function hedgeDeployment(p: {
  symbols: number;
  maxPositions: number;
  positionSizeLimitPct: number;
  leverage: number;
}): Deployment {
  const hedges = Math.min(p.symbols, p.maxPositions);
  const perUnit = 1 + 1 / p.leverage;
  const perHedgePct = hedges === 0 ? 0 : Math.min(p.positionSizeLimitPct, 100 / (hedges * perUnit));
  const deployedPct = hedges * perHedgePct;
  return { hedges, perHedgePct, deployedPct, capitalPct: deployedPct * perUnit };
}
