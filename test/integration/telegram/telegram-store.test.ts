// The state the Telegram webhook keeps, on both StateStore adapters (in-memory, and DynamoDB through
// dynalite): confirmations bound to the chat and user that asked, and the record of command updates
// that makes a redelivered update recognisable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import {
  type CommandReceipt,
  ConcurrentModification,
  type StateStore,
} from '../../../shared/ports/state-store.ts';
import { startDynamo } from '../../support/dynalite.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-store');
});
afterAll(async () => {
  await dynamo.stop();
});

let n = 0;
const adapters: [string, () => Promise<StateStore>][] = [
  ['memory', async () => new MemoryStateStore()],
  ['dynamodb', async () => new DynamoStateStore(await dynamo.newTable(`store-${++n}`), dynamo.client)],
];

const NONCE = 'ab'.repeat(16);
const T0 = 1_788_094_800_000;

describe.each(adapters)('%s: confirmation presses (defect 11)', (_name, make) => {
  const asked = { nonce: NONCE, action: 'emergency_close' as const, chatId: 1, userId: 11, used: false };

  it('defect 11: a press from another chat or another user consumes nothing; the owner’s press then works', async () => {
    const store = await make();
    await store.createConfirmation({ ...asked, expiresAt: T0 + 60_000 });
    expect(await store.pressConfirmation(NONCE, T0, { chatId: 2, userId: 11, pressId: 'p1' })).toEqual({
      status: 'foreign',
    });
    expect(await store.pressConfirmation(NONCE, T0, { chatId: 1, userId: 99, pressId: 'p2' })).toEqual({
      status: 'foreign',
    });
    const ok = await store.pressConfirmation(NONCE, T0, { chatId: 1, userId: 11, pressId: 'p3' });
    expect(ok).toMatchObject({ status: 'ok', repeat: false, confirmation: { used: true, usedBy: 'p3' } });
  });

  it('the same press again is a repeat (even after expiry); another press is refused as used', async () => {
    const store = await make();
    await store.createConfirmation({ ...asked, expiresAt: T0 + 60_000 });
    const press = { chatId: 1, userId: 11, pressId: 'cbq-1' };
    expect(await store.pressConfirmation(NONCE, T0, press)).toMatchObject({ status: 'ok', repeat: false });
    expect(await store.pressConfirmation(NONCE, T0 + 120_000, press)).toMatchObject({
      status: 'ok',
      repeat: true,
      confirmation: { action: 'emergency_close', chatId: 1 },
    });
    expect(await store.pressConfirmation(NONCE, T0, { ...press, pressId: 'cbq-2' })).toEqual({
      status: 'used',
    });
  });

  it('expired and unknown nonces; a confirmation naming no user accepts anyone in its chat', async () => {
    const store = await make();
    await store.createConfirmation({ ...asked, userId: undefined, expiresAt: T0 + 60_000 });
    expect(await store.pressConfirmation(NONCE, T0 + 60_000, { chatId: 1, userId: 5, pressId: 'a' })).toEqual(
      {
        status: 'expired',
      },
    );
    expect(
      await store.pressConfirmation('cd'.repeat(16), T0, { chatId: 1, userId: 5, pressId: 'a' }),
    ).toEqual({
      status: 'unknown',
    });
    expect(await store.pressConfirmation(NONCE, T0, { chatId: 1, userId: 5, pressId: 'b' })).toMatchObject({
      status: 'ok',
    });
  });
});

describe.each(adapters)('%s: command receipts (defects 6, 21)', (_name, make) => {
  const receipt: CommandReceipt = {
    key: '1:10000:1788094800',
    chatId: 1,
    text: '/futures_open long 200',
    status: 'RECEIVED',
    intentIds: [],
    receivedAt: T0,
    version: 1,
  };

  it('defect 6: an update is recorded once; its redelivery finds the record', async () => {
    const store = await make();
    expect(await store.createCommandReceipt(receipt)).toBe(true);
    expect(await store.createCommandReceipt({ ...receipt, text: 'other' })).toBe(false);
    expect(await store.getCommandReceipt(receipt.key)).toEqual(receipt);
    expect(await store.getCommandReceipt('1:10001:1788094800')).toBeUndefined();
  });

  it('updates are optimistic: a stale version is a ConcurrentModification', async () => {
    const store = await make();
    await store.createCommandReceipt(receipt);
    const done = { ...receipt, status: 'DONE' as const, intentIds: ['ac-1'], note: 'queued', version: 2 };
    await store.updateCommandReceipt(done);
    expect(await store.getCommandReceipt(receipt.key)).toEqual(done);
    await expect(store.updateCommandReceipt({ ...done, note: 'again' })).rejects.toBeInstanceOf(
      ConcurrentModification,
    );
  });
});
