// The dashboard page: HTML, CSS, the page script and the charting library (TradingView Lightweight
// Charts, the build the backtest report inlines), all served from the dashboard itself — no CDN, no
// third-party request. Phone first (one column at 390 px, two from 900 px), light and dark following
// the system. The page holds no data: it asks /api/dashboard, which answers only a signed-in viewer.
import { existsSync, readFileSync } from 'node:fs';
import { LIGHTWEIGHT_CHARTS_NOTICE, lightweightCharts } from '../../backtest/report/library.ts';
import { PAGE_SCRIPT } from './page-script.ts';

/**
 * In the Lambda the library's build sits beside the bundle (the dashboard construct copies it there);
 * under Node it is read from the installed package. Read once per container.
 */
let charts: string | undefined;
function chartsSource(): string {
  if (charts !== undefined) return charts;
  const beside = new URL('./lightweight-charts.js', import.meta.url);
  charts = existsSync(beside) ? readFileSync(beside, 'utf8') : lightweightCharts().source;
  return charts;
}

const CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;
--up:#16a34a;--down:#dc2626;--warn:#d97706;--accent:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#0b0f17;--card:#151b26;--fg:#e5e7eb;--muted:#9ca3af;
--line:#263041;--up:#22c55e;--down:#ef4444;--warn:#f59e0b;--accent:#60a5fa}}
[hidden]{display:none!important}*{box-sizing:border-box}html,body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-x:hidden}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 14px;gap:8px;flex-wrap:wrap}
h1{font-size:17px;margin:0}h2{font-size:15px;margin:0 0 8px}h3{font-size:14px;margin:10px 0 4px}
main{display:grid;grid-template-columns:minmax(0,1fr);gap:12px;padding:0 10px 24px}
@media (min-width:900px){main{grid-template-columns:repeat(2,minmax(0,1fr))}#chart-panel,#activity{grid-column:1/-1}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px;min-width:0}
dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:2px 10px;margin:0}
dt{color:var(--muted)}dd{margin:0;text-align:right;overflow-wrap:anywhere}
.item{border-top:1px solid var(--line);padding-top:8px;margin-top:8px}
.bad,.critical{color:var(--down)}.good{color:var(--up)}.warning{color:var(--warn)}.muted{color:var(--muted)}
.bar{height:8px;background:var(--line);border-radius:4px;overflow:hidden;margin:4px 0}
.bar>i{display:block;height:100%;background:var(--accent)}
.chart{height:240px;width:100%}#price-chart{height:320px}
ul{margin:0;padding-left:18px}li{overflow-wrap:anywhere}
button,select{font:inherit;padding:8px 12px;border-radius:8px;border:1px solid var(--line);background:var(--card);color:var(--fg)}
button.danger{background:var(--down);color:#fff;border-color:var(--down)}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
#modal{position:fixed;inset:0;background:rgba(0,0,0,.5);display:none;align-items:center;justify-content:center;padding:16px}
#modal.open{display:flex}#modal>div{background:var(--card);border-radius:12px;padding:16px;max-width:420px;width:100%}
#message{white-space:pre-wrap;padding:0 14px}
footer{padding:0 14px 20px;font-size:12px;color:var(--muted)}footer a{color:inherit}
`;

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>AutoCoin Futures</title><link rel="stylesheet" href="/app.css">
<script src="/charts.js" defer></script><script src="/app.js" defer></script></head>
<body data-ready="0">
<header><h1>AutoCoin Futures</h1><span id="as-of" class="muted"></span></header>
<p id="message" role="status"></p>
<main id="panels" hidden>
<section id="account"><h2>Account</h2><div class="body"></div><div id="equity-chart" class="chart"></div></section>
<section id="risk"><h2>Risk</h2><div class="body"></div></section>
<section id="strategies"><h2>Strategies</h2><div class="body"></div></section>
<section id="chart-panel"><h2>Trade chart <select id="symbol" aria-label="symbol"></select></h2>
<div id="price-chart" class="chart"></div><p id="chart-note" class="muted"></p></section>
<section id="activity"><h2>Activity and operations</h2><div class="body"></div></section>
</main>
<div id="modal" role="dialog" aria-modal="true"><div><p id="modal-text"></p>
<div class="actions"><button id="modal-confirm" class="danger">Confirm</button><button id="modal-cancel">Cancel</button></div></div></div>
<footer>Charts: ${LIGHTWEIGHT_CHARTS_NOTICE.replace('https://www.tradingview.com/', '<a href="https://www.tradingview.com/">tradingview.com</a>')}</footer>
</body></html>`;

export function dashboardAsset(path: string): { body: string; type: string } | undefined {
  switch (path) {
    case '/':
    case '/index.html':
      return { body: HTML, type: 'text/html; charset=utf-8' };
    case '/app.css':
      return { body: CSS, type: 'text/css; charset=utf-8' };
    case '/app.js':
      return { body: PAGE_SCRIPT, type: 'text/javascript; charset=utf-8' };
    case '/charts.js':
      return { body: chartsSource(), type: 'text/javascript; charset=utf-8' };
    default:
      return undefined;
  }
}
