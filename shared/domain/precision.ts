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
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - EPS)));
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
