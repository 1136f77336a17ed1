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
