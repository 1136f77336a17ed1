// Dashboard actions — halt, resume, close a position, emergency close — run as the Telegram commands
// they are: the same command registry, update record, rate limit, intent ids, risk pre-checks and
// confirmation buttons (shared/app/telegram), with the signed-in chat and user. No second path.
import { z } from 'zod';
import { COMMANDS } from '../telegram/commands.ts';
import { onConfirmation } from '../telegram/confirmations.ts';
import type { Reply } from '../telegram/registry.ts';
import { handleCommandUpdate } from '../telegram/updates.ts';
import type { Viewer } from './auth.ts';
import type { DashboardDeps } from './deps.ts';

/** The bot's default per-chat limit (shared/adapters/telegram/bot.ts): the page shares the chat's budget. */
const RATE_LIMIT_PER_MINUTE = 20;
/** A request's own time may differ from the server's by this much (it becomes part of the intent ids). */
const MAX_SKEW_MS = 10 * 60_000;

export const ActionRequestSchema = z.object({
  action: z.enum(['halt', 'resume', 'close', 'emergency_close']),
  symbol: z
    .string()
    .regex(/^[A-Z0-9]{2,20}$/)
    .optional(),
  /**
   * The page's id for this press (random, kept across its retries) and when it was made: they play
   * the update_id and message date of a Telegram update, so a retried request is the same command.
   */
  requestId: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  sentAt: z.number().int().positive(),
});
export type ActionRequest = z.infer<typeof ActionRequestSchema>;

export const ConfirmRequestSchema = z.object({
  data: z.string().regex(/^(confirm|cancel):[0-9a-f]{32}$/),
  pressId: z.string().regex(/^[0-9a-f]{16,64}$/),
});

/** An action refused before it ran (a viewer who may not act, a request out of time). */
export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
}

export interface ActionReply {
  /** Telegram HTML (user text escaped), as the bot would send it. */
  html: string;
  /** A confirmation the page must ask for: its question is `html`; press it with `confirm:<nonce>`. */
  confirm?: string;
}

export function commandText(r: ActionRequest): string {
  switch (r.action) {
    case 'halt':
      return '/halt';
    case 'resume':
      return '/resume';
    case 'emergency_close':
      return '/futures_emergency_close';
    case 'close':
      if (!r.symbol) throw new ActionRefused('close needs a symbol');
      return `/futures_close ${r.symbol}`;
  }
}

function toActionReply(reply: Reply | undefined): ActionReply {
  if (!reply) return { html: 'Nothing was run (rate limit): try again in a minute.' };
  const confirm = reply.buttons?.flat().find(([label]) => label === 'Confirm')?.[1];
  return { html: reply.text, ...(confirm ? { confirm: confirm.slice('confirm:'.length) } : {}) };
}

/** `requestClockNow`: the time the request's own `sentAt` is checked against (a person's clock). */
export async function runAction(
  deps: DashboardDeps,
  viewer: Viewer,
  request: ActionRequest,
  requestClockNow = deps.clock.now(),
) {
  if (!viewer.mayControl)
    throw new ActionRefused('only the account’s owners may do that (TELEGRAM_ALLOWED_USER_IDS)');
  const at = deps.clock.now();
  if (Math.abs(request.sentAt - requestClockNow) > MAX_SKEW_MS)
    throw new ActionRefused('request time out of range');
  const reply = await handleCommandUpdate(
    COMMANDS,
    commandText(request),
    {
      chatId: viewer.chatId,
      ...(viewer.userId !== undefined ? { userId: viewer.userId } : {}),
      updateId: request.requestId,
      sentAt: request.sentAt,
      at,
      deps,
    },
    RATE_LIMIT_PER_MINUTE,
  );
  return toActionReply(reply);
}

/** A Confirm or Cancel pressed on the page: the bot's button handler, pressed by the signed-in chat. */
export async function pressConfirmation(
  deps: DashboardDeps,
  viewer: Viewer,
  request: z.infer<typeof ConfirmRequestSchema>,
): Promise<ActionReply> {
  if (!viewer.mayControl)
    throw new ActionRefused('only the account’s owners may do that (TELEGRAM_ALLOWED_USER_IDS)');
  const reply = await onConfirmation(
    request.data,
    // A confirmation asked without a user (a link of a chat) binds to the chat; the id then is unused.
    { chatId: viewer.chatId, userId: viewer.userId ?? 0, pressId: `dashboard:${request.pressId}` },
    deps.clock.now(),
    deps,
  );
  return toActionReply(reply);
}
