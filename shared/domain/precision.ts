// Rounding to an exchange's step and tick sizes. Done with integer step counts, never toFixed.

/** Tolerance for "is a multiple of step": float noise is ~1e-12 relative; one part in 1e9 is safe. */
const EPS = 1e-9;

/** Largest multiple of `step` not above `value` (quantities: never round up into more risk). */
export function floorToStep(value: number, step: number): number {
  const n = Math.floor(value / step + EPS);
  return roundNoise(n * step, step);
}

/** Smallest multiple of `step` not below `value` (a minimum that must be met). */
export function ceilToStep(value: number, step: number): number {
  const n = Math.ceil(value / step - EPS);
  return roundNoise(n * step, step);
}

/** Nearest multiple of `tick` (prices). */
export function roundToTick(value: number, tick: number): number {
  return roundNoise(Math.round(value / tick) * tick, tick);
}

export function isMultipleOf(value: number, step: number): boolean {
  const n = value / step;
  return Math.abs(n - Math.round(n)) < EPS * Math.max(1, Math.abs(n));
}

/** Strip binary noise (0.30000000000000004) by rounding to the step's decimal places. */
function roundNoise(value: number, step: number): number {
  const f = 10 ** decimalsOf(step);
  return Math.round(value * f) / f;
}

/**
 * The decimal places a step is written with (0.1 → 1, 0.25 → 2, 0.125 → 3, 7.5 → 1, 10 → 0), at most 12:
 * the fewest d with step × 10^d a whole number. −log10(step) alone counts a single digit (0.25 → 1), and
 * rounding a multiple of 0.25 to one decimal takes it off the grid (100.25 → 100.3, a price Binance
 * refuses). The search starts at that count, so a 1/2/5 step (every tick and step of BTC and ETH) is
 * answered in one try. Also the decimals a price or quantity is shown with (app/telegram/format.ts).
 */
export function decimalsOf(step: number): number {
  for (let d = Math.max(0, Math.ceil(-Math.log10(step) - EPS)); d < 12; d++) {
    const x = step * 10 ** d;
    if (Math.abs(x - Math.round(x)) < EPS * Math.max(1, x)) return d;
  }
  return 12;
}
