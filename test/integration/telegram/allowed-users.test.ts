// Issue 13, finding 9: in an allowed group chat every member could trade. With
// TELEGRAM_ALLOWED_USER_IDS set, only those users run account-changing commands and press buttons;
// anyone in the chat may still read (/futures_status). Real webhook handler, dynalite, loopback Bot API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { callbackUpdate, textUpdate } from '../../../infra/local/telegram-updates.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, OTHER_CHAT, setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo();
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

const OWNER = CHAT; // the local update builder sends as a user whose id is the chat's
const MEMBER = 777001;

/** The same update, sent by another user in the group chat. */
function from<T extends { message?: { from: { id: number } }; callback_query?: { from: { id: number } } }>(
  user: number,
  update: T,
): T {
  if (update.message) update.message.from.id = user;
  if (update.callback_query) update.callback_query.from.id = user;
  return update;
}
const inGroup = (text: string, user: number) => {
  const u = textUpdate(OTHER_CHAT, text);
  return from(user, u);
};

describe('TELEGRAM_ALLOWED_USER_IDS', () => {
  it('a group member who is not an owner cannot open a position; the owner can; both can read', async () => {
    const h = await setupWebhook({ dynamo, api }, { allowedUserIds: [OWNER] });
    await h.refresh();
    expect(await h.deliver(inGroup('/futures_open long 200', MEMBER))).toMatch(/Only the account’s owners/);
    expect(h.memoryQueue.depth).toBe(0);
    expect(h.logs.some((l) => String(l.message).includes('not in TELEGRAM_ALLOWED_USER_IDS'))).toBe(true);
    expect(await h.deliver(inGroup('/futures_status', MEMBER))).toMatch(/Equity/i);
    expect(await h.deliver(inGroup('/futures_open long 200', OWNER))).toMatch(/Queued/);
    expect(h.memoryQueue.depth).toBeGreaterThan(0);
  });

  it("a member's press of the owner's confirmation button does nothing and leaves it usable", async () => {
    const h = await setupWebhook({ dynamo, api }, { allowedUserIds: [OWNER] });
    await h.refresh();
    await h.deliver(inGroup('/futures_emergency_close', OWNER));
    const confirm = h.buttons().Confirm!;
    const refused = await h.deliver(from(MEMBER, callbackUpdate(OTHER_CHAT, confirm)));
    expect(refused).not.toMatch(/Halted/);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
    expect(await h.deliver(from(OWNER, callbackUpdate(OTHER_CHAT, confirm)))).toMatch(/Halted/);
    expect((await h.deps.store.getHalt()).halted).toBe(true);
  });

  it('unset: anyone in an allowed chat may trade, as before', async () => {
    const h = await setupWebhook({ dynamo, api });
    await h.refresh();
    expect(await h.deliver(inGroup('/futures_open long 200', MEMBER))).toMatch(/Queued/);
  });
});
