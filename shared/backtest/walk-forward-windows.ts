// Rolling walk-forward windows: in-sample [isFrom, oosFrom) is fitted, out-of-sample [oosFrom, oosTo)
// is traded with the fitted parameters; then everything moves on by the out-of-sample length, so the
// out-of-sample windows tile the span without overlap. Month spans follow the UTC calendar (a "1m"
// window is a calendar month), day and week spans are fixed lengths.

export interface Span {
  count: number;
  unit: 'm' | 'w' | 'd';
}

export interface Window {
  isFrom: number;
  oosFrom: number;
  oosTo: number;
}

const DAY = 86_400_000;

export function parseSpan(text: string): Span | undefined {
  const m = /^(\d{1,3})([mwd])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) return undefined;
  return { count: Number(m[1]), unit: m[2] as Span['unit'] };
}

export function spanText(s: Span): string {
  return `${s.count}${s.unit}`;
}

export function addSpan(t: number, s: Span, times = 1): number {
  if (s.unit === 'm') {
    const d = new Date(t);
    return Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + s.count * times,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    );
  }
  return t + s.count * times * (s.unit === 'w' ? 7 : 1) * DAY;
}

/** The first UTC month start (month spans) or day start (day/week spans) at or after t. */
export function alignUp(t: number, s: Span): number {
  const d = new Date(t);
  if (s.unit === 'm') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return start >= t ? start : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return Math.ceil(t / DAY) * DAY;
}

/**
 * Windows over data that may be used from `usableFrom` (after any warm-up) to `dataTo` (exclusive).
 * The last out-of-sample window is cut at `dataTo`; windows with no out-of-sample time are dropped.
 */
export function walkForwardWindows(
  usableFrom: number,
  dataTo: number,
  inSample: Span,
  outOfSample: Span,
): Window[] {
  const out: Window[] = [];
  const anchor = alignUp(
    usableFrom,
    outOfSample.unit === 'm' || inSample.unit === 'm' ? { count: 1, unit: 'm' } : inSample,
  );
  for (let k = 0; ; k++) {
    const isFrom = addSpan(anchor, outOfSample, k);
    const oosFrom = addSpan(isFrom, inSample);
    if (oosFrom >= dataTo) break;
    out.push({ isFrom, oosFrom, oosTo: Math.min(addSpan(oosFrom, outOfSample), dataTo) });
  }
  return out;
}
