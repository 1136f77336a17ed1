// The single table's keys: the ONE place that knows how entities map to pk/sk.
export interface Key {
  pk: string;
  sk: string;
}

export const keys = {
  intent: (id: string): Key => ({ pk: `INTENT#${id}`, sk: 'INTENT' }),
  order: (clientOrderId: string): Key => ({ pk: `ORDER#${clientOrderId}`, sk: 'ORDER' }),
  halt: (): Key => ({ pk: 'CONTROL#halt', sk: 'CONTROL' }),
  day: (date: string): Key => ({ pk: 'ACCOUNT#main', sk: `DAY#${date}` }),
  position: (symbol: string): Key => ({ pk: 'ACCOUNT#main', sk: `POS#${symbol}` }),
  strategyState: (strategy: string, symbol: string): Key => ({
    pk: `STRATEGY#${strategy}#${symbol}`,
    sk: 'STATE',
  }),
  confirmation: (nonce: string): Key => ({ pk: `CONFIRM#${nonce}`, sk: 'CONFIRM' }),
  /** A Telegram command update, by its own identity (chat:update_id:date). */
  commandReceipt: (key: string): Key => ({ pk: `COMMAND#${key}`, sk: 'COMMAND' }),
  rate: (chatId: number, windowStart: number): Key => ({ pk: `RATE#${chatId}`, sk: String(windowStart) }),
  alert: (key: string): Key => ({ pk: `ALERT#${key}`, sk: 'ALERT' }),
  leverage: (symbol: string): Key => ({ pk: 'ACCOUNT#main', sk: `LEVERAGE#${symbol}` }),
  view: (name: string): Key => ({ pk: `VIEW#${name}`, sk: 'VIEW' }),
  /** One partition of snapshots, sorted by time (zero-padded so string order is time order). */
  equity: (time: number): Key => ({ pk: 'EQUITY#main', sk: String(time).padStart(15, '0') }),
  tick: (strategy: string, symbol: string, tickTime: number): Key => ({
    pk: `TICK#${strategy}#${symbol}`,
    sk: String(tickTime),
  }),
};

/** Attribute holding the expiry (epoch seconds) of items DynamoDB should delete: ticks, confirmations. */
export const TTL_ATTRIBUTE = 'ttl';
