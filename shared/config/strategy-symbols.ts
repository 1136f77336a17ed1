// Which strategy trades which symbols: the ONE assignment the schedule table, the CDK stack, the local
// runtime, the cost model and the ownership of orders follow. A Binance USD-M position is one-way per
// symbol, so two strategies on one symbol would trade one shared position (each one's exits meeting
// the other's entries): a configuration that would do that is refused.
import { z } from 'zod';
import { type StrategyName, StrategyNameSchema, SymbolSchema } from '../domain/primitives.ts';

export type Assignment = Readonly<Partial<Record<StrategyName, readonly string[]>>>;

/**
 * `STRATEGY_SYMBOLS`: `strategy=SYMBOL[,SYMBOL…]` entries separated by `;`, e.g.
 * `funding_arbitrage=BTCUSDT,ETHUSDT;grid=SOLUSDT`.
 */
export const StrategySymbolsSchema = z
  .string({ error: 'strategy=SYMBOL,SYMBOL entries separated by ";"' })
  .transform((s, ctx) => {
    const out: Partial<Record<StrategyName, string[]>> = {};
    for (const entry of s
      .split(';')
      .map((e) => e.trim())
      .filter((e) => e.length > 0)) {
      const eq = entry.indexOf('=');
      const name = StrategyNameSchema.safeParse(eq < 0 ? entry : entry.slice(0, eq).trim());
      if (eq < 0 || !name.success) {
        ctx.addIssue({
          code: 'custom',
          message: `strategy=SYMBOL,SYMBOL entries separated by ";" with a strategy of ${StrategyNameSchema.options.join(', ')} ("${entry}" is not one)`,
        });
        continue;
      }
      if (out[name.data]) {
        ctx.addIssue({ code: 'custom', message: `each strategy once ("${name.data}" appears twice)` });
        continue;
      }
      const symbols = entry
        .slice(eq + 1)
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      const bad = symbols.filter((p) => !SymbolSchema.safeParse(p).success);
      if (symbols.length === 0 || bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `USDT-quoted symbols such as BTCUSDT after "${name.data}=" (${bad.length > 0 ? `"${bad.join(', ')}" is not one` : 'none given'})`,
        });
        continue;
      }
      out[name.data] = [...new Set(symbols)];
    }
    return out;
  });

export interface AssignmentProblem {
  variable: string;
  expected: string;
}

/**
 * The assignment of the enabled strategies. A strategy named in STRATEGY_SYMBOLS (or, failing that,
 * given `symbols` in the strategy file) trades those; every other one trades the SYMBOLS no strategy
 * claimed by name. Refused: a symbol two strategies would trade, and a strategy the configuration
 * names that would trade nothing. The implicit default strategy (DEFAULT_FUTURES_STRATEGY left unset)
 * left without a symbol is idle instead: naming the others' symbols is how a trader runs without it.
 */
export function assignSymbols(o: {
  strategies: readonly StrategyName[];
  symbols: readonly string[];
  fromEnv: Partial<Record<StrategyName, readonly string[]>>;
  fromFile: Partial<Record<StrategyName, readonly string[]>>;
  /** Strategies the trader named (ENABLED_STRATEGIES, an explicit DEFAULT_FUTURES_STRATEGY). */
  named: ReadonlySet<StrategyName>;
}): { assignment: Assignment; idle: StrategyName[]; problems: AssignmentProblem[] } {
  const explicit: Partial<Record<StrategyName, readonly string[]>> = {};
  for (const s of o.strategies) {
    const own = o.fromEnv[s] ?? o.fromFile[s];
    if (own) explicit[s] = own;
  }
  const claimed = new Set(Object.values(explicit).flat());
  const rest = o.symbols.filter((s) => !claimed.has(s));
  const assignment: Partial<Record<StrategyName, readonly string[]>> = {};
  const idle: StrategyName[] = [];
  const problems: AssignmentProblem[] = [];
  for (const s of o.strategies) {
    const symbols = explicit[s] ?? rest;
    if (symbols.length > 0) assignment[s] = symbols;
    else if (o.named.has(s))
      problems.push({
        variable: 'STRATEGY_SYMBOLS',
        expected: `a symbol for every enabled strategy: ${s} has none (every symbol of SYMBOLS is assigned to another strategy); name it in STRATEGY_SYMBOLS, e.g. ${s}=XRPUSDT`,
      });
    else idle.push(s);
  }
  const traders = new Map<string, StrategyName[]>();
  for (const [s, symbols] of Object.entries(assignment) as [StrategyName, string[]][])
    for (const symbol of symbols) traders.set(symbol, [...(traders.get(symbol) ?? []), s]);
  for (const [symbol, strategies] of traders) {
    if (strategies.length < 2) continue;
    problems.push({
      variable: 'STRATEGY_SYMBOLS',
      expected: `one strategy per symbol, but ${listOf(strategies)} would ${strategies.length === 2 ? 'both' : 'all'} trade ${symbol} (one-way position: each would trade the others' position). Give each its own symbols, e.g. STRATEGY_SYMBOLS=${strategies.map((s, i) => `${s}=${i === 0 ? symbol : `SYMBOL${i + 1}`}`).join(';')}`,
    });
  }
  return { assignment, idle, problems };
}

/**
 * `symbols` of each strategy in the strategy file (`{"grid": {"symbols": ["SOLUSDT"], …}}`). A file that
 * cannot be read or parsed is left to the parameter loader, which names that problem.
 */
export function symbolsInStrategyFile(json: unknown): {
  symbols: Partial<Record<StrategyName, string[]>>;
  problems: AssignmentProblem[];
} {
  const symbols: Partial<Record<StrategyName, string[]>> = {};
  const problems: AssignmentProblem[] = [];
  if (typeof json !== 'object' || json === null) return { symbols, problems };
  for (const [name, entry] of Object.entries(json)) {
    const strategy = StrategyNameSchema.safeParse(name);
    if (!strategy.success || typeof entry !== 'object' || entry === null || !('symbols' in entry)) continue;
    const r = StrategyFileSymbolsSchema.safeParse(entry.symbols);
    if (r.success) symbols[strategy.data] = [...new Set(r.data)];
    else
      problems.push({
        variable: `STRATEGY_CONFIG_FILE: ${name}.symbols`,
        expected: 'a non-empty list of USDT-quoted symbols such as ["BTCUSDT"]',
      });
  }
  return { symbols, problems };
}

/** The `symbols` key a strategy's entry in the strategy file may carry. */
export const StrategyFileSymbolsSchema = z.array(SymbolSchema).min(1);

function listOf(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Every (strategy, symbol) pair of the assignment: the strategy ticks to schedule. */
export function strategySymbolPairs(a: Assignment): { strategy: StrategyName; symbol: string }[] {
  return (Object.entries(a) as [StrategyName, readonly string[]][]).flatMap(([strategy, symbols]) =>
    symbols.map((symbol) => ({ strategy, symbol })),
  );
}

/** One line for start-up banners: `grid → BTCUSDT; volatility_breakout → ETHUSDT`. */
export function describeAssignment(a: Assignment, idle: readonly string[] = []): string {
  const pairs = (Object.entries(a) as [string, readonly string[]][]).map(
    ([s, symbols]) => `${s} → ${symbols.join(', ')}`,
  );
  return `${pairs.join('; ') || 'no strategy trades'}${idle.length > 0 ? ` (idle, no symbol left: ${idle.join(', ')})` : ''}`;
}
