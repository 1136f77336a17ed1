// The liquidation-distance warning's exemption: a position whose own exchange stops cover it and fire
// while liquidation is still LIQUIDATION_DISTANCE_MIN_PCT away is not in danger.
import { describe, expect, it } from 'vitest';
import { stopFiresBeforeDanger } from '../../../shared/app/monitors/position-monitor.ts';

const config = { LIQUIDATION_DISTANCE_MIN_PCT: 5 };

describe('stopFiresBeforeDanger', () => {
  // Short 1 with liquidation at 110. A stop at 104: at 104 liquidation is (110 − 104) / 104 = 5.77 % away
  // (≥ 5); a stop at 106: (110 − 106) / 106 = 3.77 % (< 5).
  const short = { side: 'short' as const, quantity: 1, liquidationPrice: 110 };

  it('a short covered by a stop that fires 5.77 % before liquidation is exempt', () => {
    expect(stopFiresBeforeDanger(short, [{ quantity: 1, stopPrice: 104 }], config)).toBe(true);
  });

  it('a stop only 3.77 % before liquidation does not exempt it', () => {
    expect(stopFiresBeforeDanger(short, [{ quantity: 1, stopPrice: 106 }], config)).toBe(false);
  });

  it('half the position covered is not covered; two halves are', () => {
    expect(stopFiresBeforeDanger(short, [{ quantity: 0.5, stopPrice: 104 }], config)).toBe(false);
    expect(
      stopFiresBeforeDanger(
        short,
        [
          { quantity: 0.5, stopPrice: 104 },
          { quantity: 0.5, stopPrice: 103 },
        ],
        config,
      ),
    ).toBe(true);
  });

  it('a long: a stop at 95 with liquidation at 90 is (95 − 90) / 95 = 5.26 % away: exempt; no stop: not', () => {
    const long = { side: 'long' as const, quantity: 2, liquidationPrice: 90 };
    expect(stopFiresBeforeDanger(long, [{ quantity: 2, stopPrice: 95 }], config)).toBe(true);
    expect(stopFiresBeforeDanger(long, [], config)).toBe(false);
    expect(stopFiresBeforeDanger(long, [{ quantity: 2 }], config)).toBe(false); // no trigger price known
  });
});
