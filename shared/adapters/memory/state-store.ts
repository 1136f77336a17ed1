// StateStore in memory, with the same semantics as the DynamoDB adapter (conditional creates,
// optimistic versions, zod on the way in and out). For property tests that run thousands of
// sequences and for the backtester's pipeline parity; the local runtime uses DynamoDB via dynalite.
import type { z } from 'zod';
import {
  type AlertCooldown,
  AlertCooldownSchema,
  type CommandReceipt,
  CommandReceiptSchema,
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
} from '../../ports/state-store.ts';

export class MemoryStateStore implements StateStore {
  private readonly items = new Map<string, unknown>();

  private get<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const v = this.items.get(key);
    return v === undefined ? undefined : schema.parse(structuredClone(v));
  }
  private set<T>(key: string, schema: z.ZodType<T>, value: T): void {
    this.items.set(key, structuredClone(schema.parse(value)));
  }
  private version(key: string): number {
    return (this.items.get(key) as { version?: number } | undefined)?.version ?? 0;
  }

  async createIntent(record: IntentRecord): Promise<boolean> {
    const key = `intent:${record.id}`;
    if (this.items.has(key)) return false;
    this.set(key, IntentRecordSchema, record);
    return true;
  }
  async getIntent(id: string): Promise<IntentRecord | undefined> {
    return this.get(`intent:${id}`, IntentRecordSchema);
  }
  async updateIntent(record: IntentRecord): Promise<void> {
    const key = `intent:${record.id}`;
    if (this.version(key) !== record.version - 1)
      throw new ConcurrentModification(`intent ${record.id} changed`);
    this.set(key, IntentRecordSchema, record);
  }
  async putOrder(order: OrderRecord): Promise<void> {
    this.set(`order:${order.clientOrderId}`, OrderRecordSchema, order);
  }
  async getOrder(clientOrderId: string): Promise<OrderRecord | undefined> {
    return this.get(`order:${clientOrderId}`, OrderRecordSchema);
  }
  async getHalt(): Promise<HaltRecord> {
    return this.get('halt', HaltRecordSchema) ?? { halted: false, reason: '', since: 0, version: 0 };
  }
  async setHalt(halted: boolean, reason: string, at: number, expectedVersion: number): Promise<HaltRecord> {
    if (this.version('halt') !== expectedVersion) throw new ConcurrentModification('halt flag changed');
    const record = { halted, reason, since: at, version: expectedVersion + 1 };
    this.set('halt', HaltRecordSchema, record);
    return record;
  }
  async getDay(date: string): Promise<DayRecord | undefined> {
    return this.get(`day:${date}`, DayRecordSchema);
  }
  async createDay(record: DayRecord): Promise<DayRecord> {
    const existing = await this.getDay(record.date);
    if (existing) return existing;
    this.set(`day:${record.date}`, DayRecordSchema, record);
    return record;
  }
  async getStrategyState(strategy: string, symbol: string): Promise<StrategyStateRecord | undefined> {
    return this.get(`strategy:${strategy}:${symbol}`, StrategyStateRecordSchema);
  }
  async putStrategyState(record: StrategyStateRecord): Promise<void> {
    const key = `strategy:${record.strategy}:${record.symbol}`;
    if (this.version(key) !== record.version - 1)
      throw new ConcurrentModification(`strategy state ${record.strategy}/${record.symbol} changed`);
    this.set(key, StrategyStateRecordSchema, record);
  }
  async claimTick(strategy: string, symbol: string, tickTime: number): Promise<boolean> {
    const key = `tick:${strategy}:${symbol}:${tickTime}`;
    if (this.items.has(key)) return false;
    this.items.set(key, true);
    return true;
  }
  async createConfirmation(c: Confirmation): Promise<void> {
    const key = `confirm:${c.nonce}`;
    if (!this.items.has(key)) this.set(key, ConfirmationSchema, c);
  }
  async consumeConfirmation(nonce: string, now: number): Promise<ConsumeResult> {
    const c = this.get(`confirm:${nonce}`, ConfirmationSchema);
    if (!c) return { status: 'unknown' };
    if (c.used) return { status: 'used' };
    if (c.expiresAt <= now) return { status: 'expired' };
    const used = { ...c, used: true };
    this.set(`confirm:${nonce}`, ConfirmationSchema, used);
    return { status: 'ok', confirmation: used };
  }
  async pressConfirmation(nonce: string, now: number, press: ConfirmationPress): Promise<PressResult> {
    const c = this.get(`confirm:${nonce}`, ConfirmationSchema);
    if (!c) return { status: 'unknown' };
    if (c.chatId !== press.chatId || (c.userId !== undefined && c.userId !== press.userId))
      return { status: 'foreign' };
    if (c.used) {
      return c.usedBy === press.pressId
        ? { status: 'ok', confirmation: c, repeat: true }
        : { status: 'used' };
    }
    if (c.expiresAt <= now) return { status: 'expired' };
    const used = { ...c, used: true, usedBy: press.pressId };
    this.set(`confirm:${nonce}`, ConfirmationSchema, used);
    return { status: 'ok', confirmation: used, repeat: false };
  }
  async createCommandReceipt(receipt: CommandReceipt): Promise<boolean> {
    const key = `command:${receipt.key}`;
    if (this.items.has(key)) return false;
    this.set(key, CommandReceiptSchema, receipt);
    return true;
  }
  async getCommandReceipt(key: string): Promise<CommandReceipt | undefined> {
    return this.get(`command:${key}`, CommandReceiptSchema);
  }
  async updateCommandReceipt(receipt: CommandReceipt): Promise<void> {
    const key = `command:${receipt.key}`;
    if (this.version(key) !== receipt.version - 1)
      throw new ConcurrentModification(`command receipt ${receipt.key} changed`);
    this.set(key, CommandReceiptSchema, receipt);
  }
  async takeCommandToken(
    chatId: number,
    windowStart: number,
    limit: number,
  ): Promise<{ allowed: boolean; count: number }> {
    const key = `rate:${chatId}:${windowStart}`;
    const count = ((this.items.get(key) as number | undefined) ?? 0) + 1;
    this.items.set(key, count);
    return { allowed: count <= limit, count };
  }
  async getAlertCooldown(key: string): Promise<AlertCooldown | undefined> {
    return this.get(`alert:${key}`, AlertCooldownSchema);
  }
  async putAlertCooldown(key: string, record: AlertCooldown): Promise<void> {
    if (this.version(`alert:${key}`) !== record.version - 1)
      throw new ConcurrentModification(`alert cooldown ${key} changed`);
    this.set(`alert:${key}`, AlertCooldownSchema, record);
  }
  async putView(name: string, value: unknown): Promise<void> {
    this.items.set(`view:${name}`, structuredClone(value));
  }
  async getView(name: string): Promise<unknown> {
    const v = this.items.get(`view:${name}`);
    return v === undefined ? undefined : structuredClone(v);
  }
  private readonly equity = new Map<number, EquitySnapshot>();
  async putEquitySnapshot(snapshot: EquitySnapshot): Promise<void> {
    this.equity.set(snapshot.time, EquitySnapshotSchema.parse(snapshot));
  }
  async listEquitySnapshots(from: number, to: number): Promise<EquitySnapshot[]> {
    return [...this.equity.values()]
      .filter((e) => e.time >= from && e.time <= to)
      .sort((a, b) => a.time - b.time)
      .map((e) => ({ ...e }));
  }
  async getLeveragePreference(symbol: string): Promise<number | undefined> {
    return this.items.get(`leverage:${symbol}`) as number | undefined;
  }
  async setLeveragePreference(symbol: string, leverage: number): Promise<void> {
    this.items.set(`leverage:${symbol}`, leverage);
  }
}
