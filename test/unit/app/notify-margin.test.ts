// Margin moves as the trader reads them on Telegram: one line each; an unknown outcome is critical.
import { describe, expect, it } from 'vitest';
import { describe as describeEvent } from '../../../shared/app/notify.ts';
import { groupFor, groupRank, marginGroupId, protectiveGroupId } from '../../../shared/ports/order-queue.ts';

describe('notifier: margin moves', () => {
  it('one line for an add, with the new liquidation price; one for a transfer; a critical alert for an unknown outcome', () => {
    const added = describeEvent({
      type: 'MarginAdded',
      time: 0,
      intentId: 'ac-1',
      symbol: 'BTCUSDT',
      amount: 150,
      reason: 'short leg 8 % from liquidation',
      liquidationPrice: 73_207.17,
    });
    expect(added?.text).toMatch(
      /^🛡 Added 150\.00 USDT margin to BTCUSDT — liquidation now .*73.?207.* \(short leg 8 % from liquidation\) — <code>ac-1<\/code>$/,
    );
    expect(added?.text).not.toContain('\n');
    const moved = describeEvent({
      type: 'FundsTransferred',
      time: 0,
      intentId: 'ac-2',
      symbol: 'BTCUSDT',
      from: 'spot',
      to: 'futures',
      amount: 200,
      reason: 'fund the short <leg>',
      transferId: '13526853623',
    });
    expect(moved?.text).toBe(
      '🔁 Moved 200.00 USDT spot → futures for BTCUSDT (fund the short &lt;leg&gt;) — <code>ac-2</code>',
    );
    const unknown = describeEvent({
      type: 'MarginMoveOutcomeUnknown',
      time: 0,
      intentId: 'ac-3',
      symbol: 'BTCUSDT',
      move: 'add 50.00 USDT margin to BTCUSDT',
      attempts: 80,
    });
    expect(unknown).toMatchObject({ level: 2, cooldown: true });
    expect(unknown?.text).toMatch(/dead-letter queue/);
  });

  it('margin moves travel in their symbol’s own group, at protective rank, apart from its stops', () => {
    const move = {
      kind: 'add_margin' as const,
      id: 'ac-4',
      source: 'funding_arbitrage',
      symbol: 'ETHUSDT',
      amount: 10,
      reason: 'r',
      createdAt: 0,
    };
    expect(groupFor(move)).toBe(marginGroupId('ETHUSDT'));
    expect(groupFor(move)).not.toBe(protectiveGroupId('ETHUSDT'));
    expect(groupRank(groupFor(move))).toBe(1);
  });
});
