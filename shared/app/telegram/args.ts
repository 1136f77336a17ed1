// Argument parsers shared by the Telegram commands: one line of explanation for each mistake.
import { z } from 'zod';
import type { TelegramDeps } from './registry.ts';

export const sideArg = z.enum(['long', 'short'], { error: 'side must be long or short' });

export const usdtArg = z
  .string({ error: 'missing amount (USDT)' })
  .regex(/^\d+(\.\d+)?$/, { error: 'amount must be a positive number of USDT' })
  .transform(Number)
  .refine((x) => x >= 5 && x <= 10_000_000, { error: 'amount must be between 5 and 10,000,000 USDT' });

export function symbolArg(deps: TelegramDeps) {
  const known = deps.config.SYMBOLS;
  return z
    .string()
    .transform((s) => s.toUpperCase())
    .refine((s) => known.includes(s), { error: `unknown symbol (configured: ${known.join(', ')})` });
}

export function leverageArg(deps: TelegramDeps) {
  const max = deps.config.MAX_LEVERAGE;
  return z
    .string({ error: 'missing leverage' })
    .regex(/^\d+$/, { error: 'leverage must be a whole number' })
    .transform(Number)
    .refine((x) => x >= 1 && x <= max, { error: `leverage must be from 1 to ${max}` });
}

export const percentArg = z
  .string()
  .regex(/^\d+(\.\d+)?%?$/, { error: 'percent must be a number from 1 to 100' })
  .transform((s) => Number(s.replace('%', '')))
  .refine((x) => x > 0 && x <= 100, { error: 'percent must be a number from 1 to 100' });

export function noArgs(words: string[]): Record<string, never> {
  if (words.length > 0)
    throw new z.ZodError([
      { code: 'custom', message: 'this command takes no arguments', path: [], input: words },
    ]);
  return {};
}

export function tooMany(words: string[], max: number): void {
  if (words.length > max) {
    throw new z.ZodError([
      { code: 'custom', message: `too many arguments (at most ${max})`, path: [], input: words },
    ]);
  }
}

/** A price level given as an absolute price (`58000`) or as a distance from the mark (`2%`). */
export type LevelArg = { price: number } | { pct: number };

const levelArg = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?%?$/, { error: `${name} must be a price (58000) or a distance from the mark (2%)` })
    .transform((s): LevelArg => (s.endsWith('%') ? { pct: Number(s.slice(0, -1)) } : { price: Number(s) }))
    .refine((l) => ('pct' in l ? l.pct > 0 && l.pct < 100 : l.price > 0), {
      error: `${name} must be above 0 (a distance under 100 %)`,
    });

/**
 * The key=value options of /futures_open: `sl=<price|%>`, `tp=<price|%>[,…]`, `twap=<minutes>`,
 * `iceberg=<visible usdt>`.
 */
export interface OpenOptions {
  sl?: LevelArg;
  tp?: LevelArg[];
  twapMinutes?: number;
  /** The visible slice of an iceberg entry, in USDT of notional. */
  icebergUsdt?: number;
}

/**
 * Split the words into the positional ones and the key=value options; every option at most once, each
 * checked. A bad option is an error (nothing is placed), never ignored.
 */
export function openOptions(words: string[]): { positional: string[]; options: OpenOptions } {
  const positional: string[] = [];
  const options: OpenOptions = {};
  const seen = new Set<string>();
  const fail = (message: string): never => {
    throw new z.ZodError([{ code: 'custom', message, path: [], input: words }]);
  };
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) {
      positional.push(w);
      continue;
    }
    const key = w.slice(0, eq).toLowerCase();
    const value = w.slice(eq + 1);
    if (seen.has(key)) fail(`${key}= given twice`);
    seen.add(key);
    if (key === 'sl') options.sl = levelArg('sl').parse(value);
    else if (key === 'tp') {
      const parts = value.split(',');
      if (parts.length > 4) fail('at most 4 take-profits');
      options.tp = parts.map((p, i) => levelArg(`take-profit ${i + 1}`).parse(p));
    } else if (key === 'twap')
      options.twapMinutes = z
        .string()
        .regex(/^\d+$/, { error: 'twap must be a whole number of minutes' })
        .transform(Number)
        .refine((m) => m >= 1 && m <= 1_440, { error: 'twap must be from 1 to 1440 minutes' })
        .parse(value);
    else if (key === 'iceberg')
      options.icebergUsdt = z
        .string()
        .regex(/^\d+(\.\d+)?$/, { error: 'iceberg must be the visible slice in USDT' })
        .transform(Number)
        .refine((u) => u > 0, { error: 'iceberg must be above 0 USDT' })
        .parse(value);
    else fail(`unknown option ${key}= (use sl=, tp=, twap= or iceberg=)`);
  }
  return { positional, options };
}
