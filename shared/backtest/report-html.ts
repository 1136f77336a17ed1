// A self-contained HTML report a trader can read offline: zoomable candlesticks with entries, exits,
// stops and liquidations; equity (with baselines) and drawdown with in-/out-of-sample shading; the
// monthly-returns heat map; the per-year table; metrics, settings and parameters. One file: the chart
// library (TradingView Lightweight Charts, Apache-2.0) and the data are inlined, nothing is fetched.
import type { BacktestResult } from './engine.ts';
import type { Metrics } from './metrics.ts';
import { periodReturns } from './periods.ts';
import { CLIENT_SCRIPT } from './report/client.ts';
import { jsonForScript } from './report/encode.ts';
import { escapeHtml, isoMinute } from './report/html.ts';
import { LIGHTWEIGHT_CHARTS_NOTICE, lightweightCharts } from './report/library.ts';
import { buildPayload, type Segment } from './report/payload.ts';
import { type BaselineSeries, baselineYears, monthlyHeatMap, yearTable } from './report/periods-html.ts';
import { REPORT_CSS } from './report/style.ts';

export type { Segment as ReportSegment } from './report/payload.ts';

export interface ReportMeta {
  title: string;
  strategy: string;
  symbol: string;
  params: unknown;
  settings: Record<string, unknown>;
  /** In-sample / out-of-sample windows (ms UTC), shaded on the equity and drawdown charts. Absent: none. */
  segments?: Segment[];
  /** Reference equity curves drawn beside the strategy's (same starting capital), e.g. unlevered hold. */
  baselines?: { name: string; time: Float64Array; value: Float64Array }[];
  /** Where the data fell short (missing series and what stood in): shown at the top of the page. */
  dataNotes?: string[];
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

function dataNotesOf(r: BacktestResult, meta: ReportMeta): string[] {
  const fromResult = (r as { dataNotes?: string[] }).dataNotes ?? [];
  return [...new Set([...fromResult, ...(meta.dataNotes ?? [])])];
}

function rowsHtml(rows: [string, string][]): string {
  return rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
}

function chartBlock(id: string, title: string, shaded: boolean): string {
  const layer = shaded ? `<div class="shades" id="${id.replace('-chart', '-shades')}"></div>` : '';
  return `<section class="chart-block"><h2>${escapeHtml(title)}</h2><div class="chart-wrap"><div class="chart" id="${id}"></div>${layer}</div></section>`;
}

export function renderReport(r: BacktestResult, meta: ReportMeta): string {
  const baselines: BaselineSeries[] = meta.baselines ?? [];
  const segments = meta.segments ?? [];
  const payload = buildPayload(r, { segments, baselines });
  const { initialEquity } = r.metrics;
  const months = periodReturns(r.equity.time, r.equity.value, initialEquity, 'month');
  const years = periodReturns(r.equity.time, r.equity.value, initialEquity, 'year');
  const baseYears = baselines.map((b) => ({ name: b.name, years: baselineYears(b, initialEquity) }));
  const notes = dataNotesOf(r, meta);
  const notesHtml =
    notes.length === 0
      ? ''
      : `<div class="data-notes" id="data-notes" role="note"><strong>Data notes — read before trusting these figures:</strong><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></div>`;
  const shadeLegend =
    segments.length === 0
      ? ''
      : '<p class="legend"><span class="key in-sample"></span> in-sample (parameters fitted here) <span class="key out-of-sample"></span> out-of-sample (traded with parameters fitted before it)</p>';
  const settings = Object.entries(meta.settings).map(([k, v]): [string, string] => [k, String(v)]);
  const lib = lightweightCharts();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="sub">${escapeHtml(meta.strategy)} on ${escapeHtml(meta.symbol)}, ${isoMinute(r.from)} → ${isoMinute(r.to)} UTC</p>
${notesHtml}
<table id="metrics">${rowsHtml(metricRows(r.metrics))}</table><table id="settings">${rowsHtml(settings)}</table>
<section class="chart-block"><h2>Price (UTC) with trades</h2>
<div class="toolbar"><span>Candles:</span><button type="button" data-tf="1h">1h</button><button type="button" data-tf="4h">4h</button><button type="button" data-tf="1d">1d</button><button type="button" id="fit">Whole run</button>
<span class="keys"><span class="k long">▲ long entry</span><span class="k short">▼ short entry</span><span class="k exit">● exit</span><span class="k stop">■ stop</span><span class="k liquidation">■ liquidation</span></span></div>
<div class="legend-line" id="price-legend"></div>
<div class="chart-wrap"><div class="chart tall" id="price-chart"></div></div>
<p class="hint">Scroll to zoom, drag to pan; the equity and drawdown charts follow.</p></section>
${chartBlock('equity-chart', 'Equity (USDT)', true)}
${chartBlock('drawdown-chart', 'Drawdown (%)', true)}
${shadeLegend}
<h2>Monthly returns</h2>
${monthlyHeatMap(months, years)}
<h2>Per year</h2>
${yearTable(years, baseYears)}
<h2>Parameters</h2><pre>${escapeHtml(JSON.stringify(meta.params, null, 2))}</pre>
<footer><p>Charts: ${escapeHtml(LIGHTWEIGHT_CHARTS_NOTICE)} (v${escapeHtml(lib.version)}, <a href="https://www.tradingview.com/">tradingview.com</a>), inlined in this file.</p></footer>
<script type="application/json" id="report-data">${jsonForScript(payload)}</script>
<script>${lib.source}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
