// The Telegram webhook's items in the single table: confirmation presses bound to the chat and user
// that asked, and the record of each command update (the key to recognising a redelivery). Used by
// DynamoStateStore; single-item conditional writes, as everywhere in the table.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CommandReceipt,
  CommandReceiptSchema,
  ConcurrentModification,
  type ConfirmationPress,
  ConfirmationSchema,
  type PressResult,
} from '../../../ports/state-store.ts';
import { type PutCondition, putItem, readItem } from './items.ts';
import { type Key, keys, TTL_ATTRIBUTE } from './keys.ts';

/** Telegram stops redelivering an update after a day; a week is plenty. */
const COMMAND_TTL_S = 7 * 24 * 3600;

export class TelegramItems {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(key: Key): Promise<Record<string, unknown> | undefined> {
    return readItem(this.doc, this.tableName, key);
  }

  async pressConfirmation(nonce: string, now: number, press: ConfirmationPress): Promise<PressResult> {
    try {
      const r = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.confirmation(nonce),
          UpdateExpression: 'SET used = :t, usedBy = :press',
          ConditionExpression:
            'attribute_exists(pk) AND chatId = :chat AND (attribute_not_exists(userId) OR userId = :user) ' +
            'AND ((used = :f AND expiresAt > :now) OR usedBy = :press)',
          ExpressionAttributeValues: {
            ':t': true,
            ':f': false,
            ':now': now,
            ':chat': press.chatId,
            ':user': press.userId,
            ':press': press.pressId,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...old } = r.Attributes ?? {};
      const before = ConfirmationSchema.parse(old);
      return {
        status: 'ok',
        confirmation: { ...before, used: true, usedBy: press.pressId },
        repeat: before.used,
      };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const raw = await this.item(keys.confirmation(nonce));
      if (!raw) return { status: 'unknown' };
      const c = ConfirmationSchema.parse(raw);
      if (c.chatId !== press.chatId || (c.userId !== undefined && c.userId !== press.userId))
        return { status: 'foreign' };
      return { status: c.used ? 'used' : 'expired' };
    }
  }

  /** Put the receipt under `condition`; false when the condition failed. */
  private putReceipt(receipt: CommandReceipt, condition: PutCondition): Promise<boolean> {
    return putItem(
      this.doc,
      this.tableName,
      keys.commandReceipt(receipt.key),
      {
        ...CommandReceiptSchema.parse(receipt),
        [TTL_ATTRIBUTE]: Math.ceil(receipt.receivedAt / 1000) + COMMAND_TTL_S,
      },
      condition,
    );
  }

  createCommandReceipt(receipt: CommandReceipt): Promise<boolean> {
    return this.putReceipt(receipt, { expr: 'attribute_not_exists(pk)' });
  }

  async getCommandReceipt(key: string): Promise<CommandReceipt | undefined> {
    const raw = await this.item(keys.commandReceipt(key));
    return raw ? CommandReceiptSchema.parse(raw) : undefined;
  }

  async updateCommandReceipt(receipt: CommandReceipt): Promise<void> {
    const ok = await this.putReceipt(
      receipt,
      receipt.version === 1
        ? { expr: 'attribute_not_exists(pk)' }
        : { expr: 'version = :v', values: { ':v': receipt.version - 1 } },
    );
    if (!ok) throw new ConcurrentModification(`command receipt ${receipt.key} changed`);
  }
}
