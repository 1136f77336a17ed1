// A self-contained HTML report: inline SVG charts (equity, drawdown, price with trade markers) and the
// metrics table. No scripts, fonts or network: it opens the same in any browser, offline.
import type { BacktestResult } from './engine.ts';
import type { Metrics } from './metrics.ts';

export interface ReportMeta {
  title: string;
  strategy: string;
  symbol: string;
  params: unknown;
  settings: Record<string, unknown>;
}

const W = 960;
const H = 260;
const PAD = { left: 70, right: 16, top: 16, bottom: 28 };

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

interface Scale {
  x: (t: number) => number;
  y: (v: number) => number;
  min: number;
  max: number;
  t0: number;
  t1: number;
}

function scale(times: ArrayLike<number>, values: ArrayLike<number>, extra: number[] = []): Scale {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  for (const v of extra) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (!Number.isFinite(min)) {
    min = 0;
    max = 1;
  }
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const t0 = times[0] ?? 0;
  const t1 = times[times.length - 1] ?? 1;
  const span = t1 - t0 || 1;
  return {
    x: (t) => PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right),
    y: (v) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom),
    min,
    max,
    t0,
    t1,
  };
}

function polyline(times: ArrayLike<number>, values: ArrayLike<number>, s: Scale): string {
  // At most ~2 points per horizontal pixel: a long run stays a small file.
  const step = Math.max(1, Math.floor(values.length / (2 * W)));
  const pts: string[] = [];
  for (let i = 0; i < values.length; i += step)
    pts.push(`${s.x(times[i]!).toFixed(1)},${s.y(values[i]!).toFixed(1)}`);
  const last = values.length - 1;
  if (last >= 0 && last % step !== 0)
    pts.push(`${s.x(times[last]!).toFixed(1)},${s.y(values[last]!).toFixed(1)}`);
  return pts.join(' ');
}

function axes(s: Scale, format: (v: number) => string): string {
  const ticks = [s.min, (s.min + s.max) / 2, s.max];
  const y = ticks
    .map(
      (v) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${s.y(v).toFixed(1)}" y2="${s.y(v).toFixed(1)}" class="grid"/>` +
        `<text x="${PAD.left - 6}" y="${(s.y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    )
    .join('');
  const x = [s.t0, s.t1]
    .map(
      (t, i) =>
        `<text x="${s.x(t).toFixed(1)}" y="${H - 8}" text-anchor="${i === 0 ? 'start' : 'end'}">${iso(t)}</text>`,
    )
    .join('');
  return y + x;
}

function chart(id: string, title: string, body: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg id="${id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">${body}</svg></figure>`;
}

const METRIC_LABELS: [keyof Metrics, string, (v: number) => string][] = [
  ['initialEquity', 'Initial equity (USDT)', (v) => v.toFixed(2)],
  ['finalEquity', 'Final equity (USDT)', (v) => v.toFixed(2)],
  ['netPnl', 'Net PnL (USDT)', (v) => v.toFixed(2)],
  ['returnPct', 'Return', (v) => `${v.toFixed(2)} %`],
  ['maxDrawdownPct', 'Max drawdown', (v) => `${v.toFixed(2)} %`],
  ['sharpe', 'Sharpe (annualised)', (v) => v.toFixed(2)],
  ['sortino', 'Sortino (annualised)', (v) => v.toFixed(2)],
  ['winRatePct', 'Win rate', (v) => `${v.toFixed(1)} %`],
  ['trades', 'Trades', (v) => String(v)],
  ['fees', 'Fees (USDT)', (v) => v.toFixed(2)],
  ['fundingPnl', 'Funding PnL (USDT)', (v) => v.toFixed(2)],
  ['liquidations', 'Liquidations', (v) => String(v)],
  ['exposurePct', 'Exposure time', (v) => `${v.toFixed(1)} %`],
  ['bars', 'Bars', (v) => String(v)],
];

export function metricRows(m: Metrics): [string, string][] {
  return METRIC_LABELS.map(([key, label, fmt]) => [label, fmt(m[key])]);
}

export function renderReport(r: BacktestResult, meta: ReportMeta): string {
  const eqT = r.equity.time;
  const eqV = r.equity.value;
  const eqScale = scale(eqT, eqV, [r.metrics.initialEquity]);
  const equitySvg =
    axes(eqScale, (v) => v.toFixed(0)) +
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${eqScale.y(r.metrics.initialEquity).toFixed(1)}" y2="${eqScale.y(r.metrics.initialEquity).toFixed(1)}" class="base"/>` +
    `<polyline class="equity" points="${polyline(eqT, eqV, eqScale)}"/>`;

  const dd = new Float64Array(eqV.length);
  let peak = r.metrics.initialEquity;
  for (let i = 0; i < eqV.length; i++) {
    peak = Math.max(peak, eqV[i]!);
    dd[i] = peak > 0 ? -((peak - eqV[i]!) / peak) * 100 : 0;
  }
  const ddScale = scale(eqT, dd, [0]);
  const ddSvg =
    axes(ddScale, (v) => `${v.toFixed(1)} %`) +
    `<polyline class="drawdown" points="${polyline(eqT, dd, ddScale)}"/>`;

  const c = r.candles;
  const pxScale = scale(c.time, c.close);
  const markers = r.fills
    .filter((f) => f.market === 'futures' && f.time >= pxScale.t0 && f.time <= pxScale.t1 + 3_600_000)
    .map((f) => {
      const x = pxScale.x(Math.min(f.time, pxScale.t1)).toFixed(1);
      const y = pxScale.y(Math.min(Math.max(f.price, pxScale.min), pxScale.max)).toFixed(1);
      const cls = f.liquidation ? 'liq' : f.side;
      return `<circle class="${cls}" cx="${x}" cy="${y}" r="4"><title>${escapeHtml(`${iso(f.time)} ${f.liquidation ? 'LIQUIDATION ' : ''}${f.side} ${f.quantity} @ ${f.price.toFixed(2)}`)}</title></circle>`;
    })
    .join('');
  const priceSvg =
    axes(pxScale, (v) => v.toFixed(0)) +
    `<polyline class="price" points="${polyline(c.time, c.close, pxScale)}"/>${markers}`;

  const rows = metricRows(r.metrics)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const settings = Object.entries(meta.settings)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px;margin:0 0 4px}p.sub{color:#5b6475;margin:0 0 16px}
table{border-collapse:collapse;margin:0 24px 16px 0;display:inline-table;vertical-align:top}
th,td{padding:3px 10px;border-bottom:1px solid #e3e6ec;text-align:left}td{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#5b6475}.grid{stroke:#eef0f4}.base{stroke:#9aa3b2;stroke-dasharray:4 3}
polyline{fill:none;stroke-width:1.5}.equity{stroke:#2563eb}.drawdown{stroke:#dc2626}.price{stroke:#374151}
circle.buy{fill:#16a34a}circle.sell{fill:#dc2626}circle.liq{fill:#000}
pre{background:#f6f7f9;padding:8px;overflow:auto}
</style></head><body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="sub">${escapeHtml(meta.strategy)} on ${escapeHtml(meta.symbol)}, ${iso(r.from)} → ${iso(r.to)} UTC</p>
<table id="metrics">${rows}</table><table id="settings">${settings}</table>
${chart('equity-chart', 'Equity (USDT)', equitySvg)}
${chart('drawdown-chart', 'Drawdown', ddSvg)}
${chart('price-chart', 'Price with fills (green buy, red sell, black liquidation)', priceSvg)}
<h2>Parameters</h2><pre>${escapeHtml(JSON.stringify(meta.params, null, 2))}</pre>
</body></html>
`;
}
