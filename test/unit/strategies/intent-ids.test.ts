// Intent ids are a contract: SQS FIFO deduplication and the exchange's clientOrderId check rely on a
// retried producer deriving the same id, and ids already on the exchange (live) must keep matching.
// These pin the values to SHA-256 of the documented key, with digests computed outside Node by
// coreutils (`printf 'grid|BTCUSDT|1788094800000|0' | sha256sum`), so any faster way of producing them
// (crypto.hash, a prefix built once per tick) is held to the same output.
import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bracketLegId } from '../../../shared/domain/bracket.ts';
import { makeIntentId, sha256Hex } from '../../../shared/domain/order.ts';
import { IntentFactory } from '../../../shared/strategies/strategy.ts';

describe('intent ids', () => {
  it('makeIntentId is ac- and the first 32 hex digits of SHA-256("source|symbol|tickTime|sequence")', () => {
    // sha256sum: 643efa8d12499739f0dcc259b139401ec90679d4d301d25fe4b6d74a5c6c4bb5
    expect(
      makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1_788_094_800_000, sequence: 0 }),
    ).toBe('ac-643efa8d12499739f0dcc259b139401e');
    // sha256sum: 6de0d8b4757e6bb1cfd35cfd63a9c84e940ec94ae082e0f17e25d87d1c37f392
    expect(
      makeIntentId({
        source: 'long_short_switch',
        symbol: 'ETHUSDT',
        tickTime: 1_577_836_800_000,
        sequence: 12,
      }),
    ).toBe('ac-6de0d8b4757e6bb1cfd35cfd63a9c84e');
  });

  it('a bracket leg id is ac- and 32 hex digits of SHA-256("bracket|parentId|role")', () => {
    // sha256sum: b2ef2fa4bc35da1764aebc695f6ae29c1e0083d5d4ef97e94c93ccd05aa94059
    expect(bracketLegId('ac-0123456789abcdef0123456789abcdef', 'stop')).toBe(
      'ac-b2ef2fa4bc35da1764aebc695f6ae29c',
    );
  });

  it('the one-shot digest equals the Hash object it replaced (the fallback where crypto.hash is absent)', () => {
    for (const s of ['', 'grid|BTCUSDT|1|0', 'é|ünïcode|∞', 'x'.repeat(200)])
      expect(sha256Hex(s)).toBe(crypto.createHash('sha256').update(s).digest('hex'));
  });

  it("IntentFactory's ids are makeIntentId's, one sequence per tick across symbols and times", () => {
    const view = { symbol: 'BTCUSDT', time: 1_788_094_800_000 };
    const f = new IntentFactory('grid', view, { leverage: 3, marginMode: 'isolated' });
    const limit = (symbol?: string) =>
      f.add({ market: 'futures', side: 'buy', type: 'limit', quantity: 1, price: 100, symbol }).id;
    const ids = [limit(), limit('ETHUSDT'), limit()];
    // The view's time moved (the engine reuses one view object): the next id is at the new time.
    view.time += 3_600_000;
    ids.push(limit());
    expect(ids).toEqual([
      makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1_788_094_800_000, sequence: 0 }),
      makeIntentId({ source: 'grid', symbol: 'ETHUSDT', tickTime: 1_788_094_800_000, sequence: 1 }),
      makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1_788_094_800_000, sequence: 2 }),
      makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1_788_098_400_000, sequence: 3 }),
    ]);
    expect(ids[0]).toBe('ac-643efa8d12499739f0dcc259b139401e');
  });
});
