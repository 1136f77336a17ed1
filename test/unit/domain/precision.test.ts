// Rounding to the exchange's step and tick sizes: quantities never round up into more risk, minimums are
// met, and binary noise (0.30000000000000004) never reaches the exchange.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceilToStep, floorToStep, isMultipleOf, roundToTick } from '../../../shared/domain/precision.ts';

describe('floorToStep', () => {
  it('rounds a quantity down to the step, never up into more risk', () => {
    expect(floorToStep(0.0159, 0.001)).toBe(0.015);
    expect(floorToStep(0.15, 0.1)).toBe(0.1);
    expect(floorToStep(7.9, 1)).toBe(7);
  });

  it('keeps a value already on the step even when the division is a hair under the count (0.3 / 0.1)', () => {
    expect(floorToStep(0.3, 0.1)).toBe(0.3);
    expect(floorToStep(0.057, 0.001)).toBe(0.057);
    expect(floorToStep(1.2, 0.1)).toBe(1.2);
  });

  it('returns clean decimals, free of binary noise', () => {
    expect(floorToStep(0.7, 0.1)).toBe(0.7);
    expect(String(floorToStep(0.123456789, 0.001))).toBe('0.123');
  });

  it('works with steps above 1 that are not powers of ten', () => {
    expect(floorToStep(80, 25)).toBe(75);
    expect(floorToStep(149, 50)).toBe(100);
  });
});

describe('ceilToStep', () => {
  it('rounds a minimum up to the step so it is met', () => {
    expect(ceilToStep(0.0151, 0.001)).toBe(0.016);
    expect(ceilToStep(0.11, 0.1)).toBe(0.2);
    expect(ceilToStep(76, 25)).toBe(100);
  });

  it('keeps a value already on the step even when the division is a hair over the count (0.14 / 0.01)', () => {
    expect(ceilToStep(0.14, 0.01)).toBe(0.14);
    expect(ceilToStep(0.07, 0.01)).toBe(0.07);
    expect(ceilToStep(0.3, 0.1)).toBe(0.3);
  });
});

describe('roundToTick', () => {
  it('rounds a price to the nearest tick, half up', () => {
    expect(roundToTick(60_000.04, 0.1)).toBe(60_000);
    expect(roundToTick(60_000.06, 0.1)).toBe(60_000.1);
    expect(roundToTick(60_000.25, 0.5)).toBe(60_000.5);
    expect(roundToTick(1.2345, 0.01)).toBe(1.23);
  });

  it('returns clean decimals, free of binary noise', () => {
    expect(String(roundToTick(0.1 + 0.2, 0.1))).toBe('0.3');
  });
});

describe('isMultipleOf', () => {
  it('recognises values on the step despite binary noise', () => {
    expect(isMultipleOf(0.3, 0.1)).toBe(true);
    expect(isMultipleOf(0.14, 0.01)).toBe(true);
    expect(isMultipleOf(60_000.1, 0.1)).toBe(true);
  });

  it('refuses values off the step, however close to it', () => {
    expect(isMultipleOf(0.0015, 0.001)).toBe(false);
    expect(isMultipleOf(60_000.05, 0.1)).toBe(false);
    expect(isMultipleOf(0.35, 0.1)).toBe(false);
    expect(isMultipleOf(1.0000001, 1)).toBe(false);
  });

  it('scales its tolerance with the step count, so large quantities on the step pass', () => {
    // 100,000.002 / 0.001 = 100000001.99999999: off the integer by 1.5e-8, i.e. noise of 1.5e-16 relative.
    expect(isMultipleOf(100_000.002, 0.001)).toBe(true);
  });
});

// Ticks and steps whose digits are not a single 1, 2 or 5 (0.25, 0.025, 0.125): the noise strip must
// keep all of the step's decimals. Worked by hand: 100.25 is 401 ticks of 0.25, so it is already on the
// grid; 100.13 / 0.25 = 400.52 → 401 ticks = 100.25; 0.375 is 3 steps of 0.125; 100.04 / 0.025 = 4001.6
// → 4002 ticks = 100.05; 0.33 / 0.125 = 2.64 → 3 steps up = 0.375.
describe('steps with more than one significant digit', () => {
  it('rounds to the tick grid, not to the tick shortened to fewer decimals', () => {
    expect(roundToTick(100.25, 0.25)).toBe(100.25);
    expect(roundToTick(100.13, 0.25)).toBe(100.25);
    expect(roundToTick(100.04, 0.025)).toBe(100.05);
    expect(roundToTick(3.0625, 0.125)).toBe(3.125);
    expect(floorToStep(0.375, 0.125)).toBe(0.375);
    expect(ceilToStep(0.33, 0.125)).toBe(0.375);
  });

  it('always lands on the grid, within half a tick (rounding) or one step (floor, ceil)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 5, 25, 125, 75, 3),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 0.001, max: 100_000, noNaN: true }),
        (mantissa, exp, value) => {
          const step = mantissa / 10 ** exp;
          const r = roundToTick(value, step);
          const f = floorToStep(value, step);
          const c = ceilToStep(value, step);
          for (const x of [r, f, c]) expect(isMultipleOf(x, step)).toBe(true);
          expect(Math.abs(r - value)).toBeLessThanOrEqual(step / 2 + 1e-9 * value);
          expect(f).toBeLessThanOrEqual(value + 1e-9 * value);
          expect(c).toBeGreaterThanOrEqual(value - 1e-9 * value);
          expect(value - f).toBeLessThan(step + 1e-9 * value);
          expect(c - value).toBeLessThan(step + 1e-9 * value);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
