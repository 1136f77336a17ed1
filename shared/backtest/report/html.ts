// Small HTML helpers of the report.

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** A signed percentage, two decimals: "+1.23 %", "−0.50 %" (a real minus sign). */
export function signedPct(v: number): string {
  const s = Math.abs(v).toFixed(2);
  if (s === '0.00') return '0.00 %';
  return `${v > 0 ? '+' : '−'}${s} %`;
}
