// The Telegram command registry: the ONE list that parses commands, runs them, and generates /help.
// Each command declares its usage, a description, and a zod parser for its arguments; a bad argument
// gets one line saying what is wrong and the right form, and changes nothing.
import { z } from 'zod';
import type { Config } from '../../config/env.ts';
import type { RiskLimits } from '../../domain/risk/limits.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { ExchangeReader } from '../../ports/exchange.ts';
import type { OrderQueue } from '../../ports/order-queue.ts';
import type { StateStore } from '../../ports/state-store.ts';
import { escapeHtml } from './format.ts';

export interface TelegramDeps {
  store: StateStore;
  exchange: ExchangeReader;
  queue: OrderQueue;
  clock: Clock;
  limits: RiskLimits;
  config: Config;
  /** Halted / Resumed go out as domain events when a bus is wired. */
  bus?: EventBus;
  /** Signs a single-use web dashboard sign-in link (shared/app/dashboard); absent: no dashboard. */
  dashboardLink?: (who: { chatId: number; userId?: number }, at: number) => Promise<string>;
}

export interface Reply {
  /** HTML parse mode; user- and exchange-provided text escaped. */
  text: string;
  /** Inline keyboard rows: [label, callback data]. */
  buttons?: [string, string][][];
  /** A PNG image (sent with sendPhoto, `text` as its caption). */
  photo?: Uint8Array;
  /** Ids of what the command enqueued (not shown): a redelivery of its update reports their status. */
  intentIds?: string[];
}

export interface CommandContext<A> {
  chatId: number;
  /** Who sent the command (Telegram `from.id`); in a group chat only they may press its buttons. */
  userId?: number;
  /**
   * The update's id and its message's `date` (ms): the ids of anything the command enqueues derive
   * from these — never from the clock — so a redelivered update yields the same ids.
   */
  updateId: number;
  sentAt?: number;
  /** The handler's clock: for reading state and for createdAt, never for ids. */
  at: number;
  args: A;
  deps: TelegramDeps;
}

export interface Command<A = unknown> {
  name: string;
  usage: string;
  description: string;
  /**
   * The command changes the account (places or closes orders, halts, resumes, sets leverage): with
   * TELEGRAM_ALLOWED_USER_IDS set, only those users may run it, in any allowed chat.
   */
  controlsAccount?: boolean;
  /** Parse the words after the command; throw z.ZodError or return the arguments. */
  args: (words: string[], deps: TelegramDeps) => A;
  run: (ctx: CommandContext<A>) => Promise<Reply>;
}

/** A command argument error: its message is the one line the user sees. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

export function defineCommand<A>(c: Command<A>): Command<A> {
  return c;
}

/** `/cmd@bot a b` → { name: 'cmd', words: ['a', 'b'] }; undefined if it is not a command. */
export function parseCommandText(text: string): { name: string; words: string[] } | undefined {
  const m = /^\/([a-z_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), words: (m[2] ?? '').split(/\s+/).filter(Boolean) };
}

/** The command the text names, if any (for checks that run before dispatch). */
export function commandFor(
  commands: readonly Command<unknown>[],
  text: string,
): Command<unknown> | undefined {
  const parsed = parseCommandText(text);
  return parsed ? commands.find((c) => c.name === parsed.name) : undefined;
}

export async function dispatch(
  commands: readonly Command<unknown>[],
  text: string,
  ctx: Omit<CommandContext<unknown>, 'args'>,
): Promise<Reply | undefined> {
  const parsed = parseCommandText(text);
  if (!parsed) return undefined;
  const command = commands.find((c) => c.name === parsed.name);
  if (!command) return { text: `Unknown command /${escapeHtml(parsed.name)}. Send /help for the list.` };
  let args: unknown;
  try {
    args = command.args(parsed.words, ctx.deps);
  } catch (err) {
    const why =
      err instanceof z.ZodError
        ? (err.issues[0]?.message ?? 'invalid arguments')
        : err instanceof ArgumentError
          ? err.message
          : 'invalid arguments';
    return { text: `${escapeHtml(why)}. Usage: <code>${escapeHtml(command.usage)}</code>` };
  }
  return command.run({ ...ctx, args });
}

export function helpText(commands: readonly Command<unknown>[]): string {
  return [
    '<b>AutoCoin Futures</b> — commands:',
    ...commands.map((c) => `<code>${escapeHtml(c.usage)}</code> — ${escapeHtml(c.description)}`),
  ].join('\n');
}
