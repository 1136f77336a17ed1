// Rounding to the exchange's step and tick sizes: quantities never round up into more risk, minimums are
// met, and binary noise (0.30000000000000004) never reaches the exchange.
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
