// The Telegram webhook under test: real Update JSON through the Lambda handler, telegraf, the command
// registry, dynalite state, the in-process queue and the simulated exchange; every Bot API call goes to
// a loopback server that records it. Shared by the webhook tests.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { expect } from 'vitest';
import { makeWebhookHandler } from '../../../functions/telegram-webhook/handler.ts';
import type { startBotApi } from '../../../infra/local/bot-api.ts';
import { textUpdate } from '../../../infra/local/telegram-updates.ts';
import { DynamoStateStore } from '../../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { createBot } from '../../../shared/adapters/telegram/bot.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { ReadModelExchange, writeAccountView, writeFundingView } from '../../../shared/app/read-model.ts';
import type { TelegramDeps } from '../../../shared/app/telegram/registry.ts';
import { VIEW_MAX_AGE_MS } from '../../../shared/app/telegram/view-age.ts';
import { type Config, loadConfig } from '../../../shared/config/env.ts';
import { riskLimitsFrom } from '../../../shared/domain/risk/limits.ts';
import type { OrderQueue } from '../../../shared/ports/order-queue.ts';
import type { StateStore } from '../../../shared/ports/state-store.ts';
import type { startDynamo } from '../../support/dynalite.ts';
import { monthDataset } from '../../support/month-data.ts';

export const CHAT = 424242;
/** A second allowed chat (a group, say): allowed to command, not to press another chat's buttons. */
export const OTHER_CHAT = 515151;
export const SECRET = 'webhook-secret-for-tests';

let tableN = 0;

export async function setupWebhook(
  env: { dynamo: Awaited<ReturnType<typeof startDynamo>>; api: Awaited<ReturnType<typeof startBotApi>> },
  opts: {
    rateLimit?: number;
    /** Wrap the real store (e.g. to race a concurrent writer into it). */
    wrapStore?: (s: StateStore) => StateStore;
    /** Wrap the real queue (e.g. to fail a send). */
    wrapQueue?: (q: OrderQueue) => OrderQueue;
    /** TELEGRAM_ALLOWED_USER_IDS. */
    allowedUserIds?: number[];
    /**
     * strategy → symbols. Default: none, BTCUSDT is the trader's own (these tests trade by hand; a
     * strategy's symbol refuses a manual /futures_open).
     */
    assignment?: Config['assignment'];
  } = {},
) {
  const { dynamo, api } = env;
  const ds = monthDataset();
  const sim = new Simulator({
    data: { BTCUSDT: { candles: ds.candles, funding: ds.funding } },
    startIndex: 300,
  });
  let offset = 0;
  const clock = { now: () => sim.now() + offset };
  const config: Config = { ...loadConfig({}), assignment: opts.assignment ?? {} };
  const exchange = new SimulatedExchange(sim);
  const realStore = new DynamoStateStore(await dynamo.newTable(`tg-${++tableN}`), dynamo.client);
  const store = opts.wrapStore ? opts.wrapStore(realStore) : realStore;
  const memoryQueue = new MemoryOrderQueue({ clock });
  const queue = opts.wrapQueue ? opts.wrapQueue(memoryQueue) : memoryQueue;
  // As in AWS: the webhook reads the account from the read model the monitors write, never the exchange.
  const deps: TelegramDeps = {
    store,
    exchange: new ReadModelExchange(store, clock, VIEW_MAX_AGE_MS),
    queue,
    clock,
    limits: riskLimitsFrom(config),
    config,
  };
  /** What the position and funding monitors write every few seconds / hourly. */
  const refresh = async () => {
    await writeAccountView({ exchange, store: realStore, config }, clock.now());
    await writeFundingView({ exchange, store: realStore, config }, clock.now(), {
      BTCUSDT: await exchange.fetchFundingRate('BTCUSDT'),
    });
  };
  /** The executor's dependencies: the same state and queue, the exchange itself. */
  const exec = { ...deps, store: realStore, exchange };
  const drain = () => drainOnce(memoryQueue, { ...exec, bus: new MemoryEventBus() });
  const logs: Record<string, unknown>[] = [];
  const bot = createBot(
    {
      token: '123456:TEST-TOKEN',
      allowedChatIds: [CHAT, OTHER_CHAT],
      ...(opts.allowedUserIds ? { allowedUserIds: opts.allowedUserIds } : {}),
      apiRoot: api.apiRoot,
      rateLimitPerMinute: opts.rateLimit ?? 20,
      log: (e) => logs.push(e),
    },
    async () => deps,
  );
  const handler = makeWebhookHandler(async () => ({ secret: SECRET, bot, log: (e) => logs.push(e) }));
  const post = (update: unknown, secret: string | null = SECRET, raw?: string) =>
    handler(
      {
        headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
        body: raw ?? JSON.stringify(update),
        isBase64Encoded: false,
        requestContext: { http: { sourceIp: '203.0.113.7' } },
      } as unknown as APIGatewayProxyEventV2,
      {} as Context,
    );
  /** Post an update and return what the bot sent (all texts, joined). */
  const deliver = async (update: unknown) => {
    api.clear();
    expect((await post(update)).statusCode).toBe(200);
    return api.texts().join('\n');
  };
  const say = async (text: string, o: { refresh?: boolean } = {}) => {
    if (o.refresh ?? true) await refresh();
    return deliver(textUpdate(CHAT, text));
  };
  const post2 = async (update: unknown) => {
    await refresh();
    return post(update);
  };
  /** The inline buttons of the last message that had some: label → callback data. */
  const buttons = () => {
    const call = [...api.calls].reverse().find((c) => c.method === 'sendMessage' && c.payload.reply_markup);
    if (!call) throw new Error('no message with buttons was sent');
    const keyboard = (
      call.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard;
    return Object.fromEntries(keyboard[0]!.map((b) => [b.text, b.callback_data]));
  };
  return {
    sim,
    deps,
    exec,
    exchange,
    realStore,
    memoryQueue,
    logs,
    post,
    postFresh: post2,
    deliver,
    say,
    refresh,
    drain,
    buttons,
    advanceClock: (ms: number) => (offset += ms),
  };
}
