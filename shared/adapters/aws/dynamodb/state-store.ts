// StateStore on DynamoDB: one table, single-item conditional writes only (no transactions: each
// entity's invariant lives in one item, which is also what dynalite supports). Standard SDK
// configuration: region, credentials and AWS_ENDPOINT_URL_DYNAMODB from the environment.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { z as zod } from 'zod';
import {
  type AlertCooldown,
  AlertCooldownSchema,
  type CommandReceipt,
  ConcurrentModification,
  type Confirmation,
  type ConfirmationPress,
  ConfirmationSchema,
  type ConsumeResult,
  type DayRecord,
  DayRecordSchema,
  type EquitySnapshot,
  EquitySnapshotSchema,
  type HaltRecord,
  HaltRecordSchema,
  type IntentRecord,
  IntentRecordSchema,
  type OrderRecord,
  OrderRecordSchema,
  type PressResult,
  type StateStore,
  type StrategyStateRecord,
  StrategyStateRecordSchema,
} from '../../../ports/state-store.ts';
import { putItem, readItem } from './items.ts';
import { type Key, keys, TTL_ATTRIBUTE } from './keys.ts';
import { TelegramItems } from './telegram-items.ts';

const TICK_TTL_S = 7 * 24 * 3600;

export class DynamoStateStore implements StateStore {
  private readonly doc: DynamoDBDocumentClient;
  /** Confirmation presses and command receipts (the Telegram webhook's items). */
  private readonly telegram: TelegramItems;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.telegram = new TelegramItems(this.doc, tableName);
  }

  /** From TABLE_NAME and the standard AWS SDK environment. */
  static fromEnv(env: Record<string, string | undefined> = process.env): DynamoStateStore {
    const table = env.TABLE_NAME;
    if (!table) throw new Error('TABLE_NAME is not set: the DynamoDB table of the product');
    return new DynamoStateStore(table);
  }

  private async get<T>(key: Key, schema: z.ZodType<T>): Promise<T | undefined> {
    const item = await readItem(this.doc, this.tableName, key);
    return item ? schema.parse(item) : undefined;
  }

  /** Put with a condition; false when the condition failed. */
  private async put<T>(
    key: Key,
    schema: z.ZodType<T>,
    value: T,
    condition?: { expr: string; values?: Record<string, unknown> },
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    const item = schema.parse(value) as Record<string, unknown>;
    return putItem(this.doc, this.tableName, key, { ...item, ...extra }, condition);
  }

  private versioned(expectedStored: number) {
    return expectedStored === 0
      ? { expr: 'attribute_not_exists(pk)' }
      : { expr: 'version = :v', values: { ':v': expectedStored } };
  }

  createIntent(record: IntentRecord): Promise<boolean> {
    return this.put(keys.intent(record.id), IntentRecordSchema, record, { expr: 'attribute_not_exists(pk)' });
  }

  getIntent(id: string): Promise<IntentRecord | undefined> {
    return this.get(keys.intent(id), IntentRecordSchema);
  }

  async updateIntent(record: IntentRecord): Promise<void> {
    if (
      !(await this.put(
        keys.intent(record.id),
        IntentRecordSchema,
        record,
        this.versioned(record.version - 1),
      ))
    ) {
      throw new ConcurrentModification(`intent ${record.id} changed since version ${record.version - 1}`);
    }
  }

  async putOrder(order: OrderRecord): Promise<void> {
    await this.put(keys.order(order.clientOrderId), OrderRecordSchema, order);
  }

  getOrder(clientOrderId: string): Promise<OrderRecord | undefined> {
    return this.get(keys.order(clientOrderId), OrderRecordSchema);
  }

  async getHalt(): Promise<HaltRecord> {
    return (
      (await this.get(keys.halt(), HaltRecordSchema)) ?? { halted: false, reason: '', since: 0, version: 0 }
    );
  }

  async setHalt(halted: boolean, reason: string, at: number, expectedVersion: number): Promise<HaltRecord> {
    const record = { halted, reason, since: at, version: expectedVersion + 1 };
    if (!(await this.put(keys.halt(), HaltRecordSchema, record, this.versioned(expectedVersion)))) {
      throw new ConcurrentModification(`halt flag changed since version ${expectedVersion}`);
    }
    return record;
  }

  getDay(date: string): Promise<DayRecord | undefined> {
    return this.get(keys.day(date), DayRecordSchema);
  }

  async createDay(record: DayRecord): Promise<DayRecord> {
    if (await this.put(keys.day(record.date), DayRecordSchema, record, { expr: 'attribute_not_exists(pk)' }))
      return record;
    const stored = await this.getDay(record.date);
    if (!stored) throw new Error(`day ${record.date} vanished after a conflicting create`);
    return stored;
  }

  getStrategyState(strategy: string, symbol: string): Promise<StrategyStateRecord | undefined> {
    return this.get(keys.strategyState(strategy, symbol), StrategyStateRecordSchema);
  }

  async putStrategyState(record: StrategyStateRecord): Promise<void> {
    const ok = await this.put(
      keys.strategyState(record.strategy, record.symbol),
      StrategyStateRecordSchema,
      record,
      this.versioned(record.version - 1),
    );
    if (!ok)
      throw new ConcurrentModification(
        `strategy state ${record.strategy}/${record.symbol} changed since version ${record.version - 1}`,
      );
  }

  claimTick(strategy: string, symbol: string, tickTime: number): Promise<boolean> {
    return this.put(
      keys.tick(strategy, symbol, tickTime),
      StrategyStateRecordSchema.pick({ strategy: true, symbol: true }),
      { strategy, symbol },
      { expr: 'attribute_not_exists(pk)' },
      { [TTL_ATTRIBUTE]: Math.floor(tickTime / 1000) + TICK_TTL_S },
    );
  }

  async createConfirmation(c: Confirmation): Promise<void> {
    await this.put(
      keys.confirmation(c.nonce),
      ConfirmationSchema,
      c,
      { expr: 'attribute_not_exists(pk)' },
      { [TTL_ATTRIBUTE]: Math.ceil(c.expiresAt / 1000) },
    );
  }

  async consumeConfirmation(nonce: string, now: number): Promise<ConsumeResult> {
    try {
      const r = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.confirmation(nonce),
          UpdateExpression: 'SET used = :t',
          ConditionExpression: 'attribute_exists(pk) AND used = :f AND expiresAt > :now',
          ExpressionAttributeValues: { ':t': true, ':f': false, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...item } = r.Attributes ?? {};
      return { status: 'ok', confirmation: ConfirmationSchema.parse(item) };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const c = await this.get(keys.confirmation(nonce), ConfirmationSchema);
      if (!c) return { status: 'unknown' };
      return { status: c.used ? 'used' : 'expired' };
    }
  }

  pressConfirmation(nonce: string, now: number, press: ConfirmationPress): Promise<PressResult> {
    return this.telegram.pressConfirmation(nonce, now, press);
  }

  createCommandReceipt(receipt: CommandReceipt): Promise<boolean> {
    return this.telegram.createCommandReceipt(receipt);
  }

  getCommandReceipt(key: string): Promise<CommandReceipt | undefined> {
    return this.telegram.getCommandReceipt(key);
  }

  updateCommandReceipt(receipt: CommandReceipt): Promise<void> {
    return this.telegram.updateCommandReceipt(receipt);
  }

  async takeCommandToken(
    chatId: number,
    windowStart: number,
    limit: number,
  ): Promise<{ allowed: boolean; count: number }> {
    const r = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rate(chatId, windowStart),
        UpdateExpression: 'ADD n :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.ceil(windowStart / 1000) + 3_600 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = Number(r.Attributes?.n ?? 1);
    return { allowed: count <= limit, count };
  }

  getAlertCooldown(key: string): Promise<AlertCooldown | undefined> {
    return this.get(keys.alert(key), AlertCooldownSchema);
  }

  async putAlertCooldown(key: string, record: AlertCooldown, ttlAt: number): Promise<void> {
    const ok = await this.put(
      keys.alert(key),
      AlertCooldownSchema,
      record,
      this.versioned(record.version - 1),
      { [TTL_ATTRIBUTE]: Math.ceil(ttlAt / 1000) },
    );
    if (!ok) throw new ConcurrentModification(`alert cooldown ${key} changed`);
  }

  async putView(name: string, value: unknown): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.view(name), value: JSON.stringify(value) },
      }),
    );
  }

  async getView(name: string): Promise<unknown> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.view(name), ConsistentRead: true }),
    );
    return typeof r.Item?.value === 'string' ? JSON.parse(r.Item.value) : undefined;
  }

  async putEquitySnapshot(snapshot: EquitySnapshot, ttlAt: number): Promise<void> {
    await this.put(keys.equity(snapshot.time), EquitySnapshotSchema, snapshot, undefined, {
      [TTL_ATTRIBUTE]: Math.ceil(ttlAt / 1000),
    });
  }

  async listEquitySnapshots(from: number, to: number): Promise<EquitySnapshot[]> {
    const out: EquitySnapshot[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.equity(0).pk,
            ':from': keys.equity(from).sk,
            ':to': keys.equity(to).sk,
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of r.Items ?? []) {
        const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...item } = raw;
        out.push(EquitySnapshotSchema.parse(item));
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async getLeveragePreference(symbol: string): Promise<number | undefined> {
    return (await this.get(keys.leverage(symbol), LeveragePreferenceSchema))?.leverage;
  }

  async setLeveragePreference(symbol: string, leverage: number): Promise<void> {
    await this.put(keys.leverage(symbol), LeveragePreferenceSchema, { leverage });
  }
}

const LeveragePreferenceSchema = zod.object({ leverage: zod.number().int().min(1).max(125) });
