// The dashboard page's script (plain ES2017, no build step; a string because it runs in the browser):
// signs in with the Mini App's initData when Telegram opened it (the `tgWebAppData` of the URL
// fragment), else relies on the session cookie; renders the panels from /api/dashboard (every figure
// arrives formatted as the bot formats it; text is set as text, never as HTML); draws the equity
// curve and the trade chart; runs actions behind a confirmation. window.dashboard exposes state to tests.
export const PAGE_SCRIPT = `(function () {
'use strict';
var LC = window.LightweightCharts;
var initData = new URLSearchParams(location.hash.slice(1)).get('tgWebAppData');
var headers = initData ? { authorization: 'tma ' + initData } : {};
var state = { data: null, chart: null, charts: [] };
window.dashboard = state;

function $(id) { return document.getElementById(id); }
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function dl(rows) {
  var d = el('dl');
  rows.forEach(function (r) {
    if (!r) return;
    d.appendChild(el('dt', r[0]));
    d.appendChild(el('dd', r[1], r[2]));
  });
  return d;
}
function bar(pct) {
  var b = el('div', null, 'bar'), i = el('i');
  i.style.width = Math.max(0, Math.min(100, pct)) + '%';
  b.appendChild(i);
  return b;
}
function body(id, p) {
  var b = $(id).querySelector('.body');
  b.textContent = '';
  if (!p.ok) { b.appendChild(el('p', p.error, 'warning')); return null; }
  return b;
}
function plain(html) { return new DOMParser().parseFromString(html, 'text/html').body.textContent || ''; }
function colors() {
  var s = getComputedStyle(document.documentElement);
  return { fg: s.getPropertyValue('--fg').trim(), line: s.getPropertyValue('--line').trim(),
    up: s.getPropertyValue('--up').trim(), down: s.getPropertyValue('--down').trim(),
    accent: s.getPropertyValue('--accent').trim(), warn: s.getPropertyValue('--warn').trim() };
}
function newChart(container) {
  var c = colors();
  var chart = LC.createChart(container, { autoSize: true, localization: { locale: 'en-US' },
    layout: { background: { color: 'transparent' }, textColor: c.fg },
    grid: { vertLines: { color: c.line }, horzLines: { color: c.line } },
    timeScale: { timeVisible: true } });
  state.charts.push(chart);
  return chart;
}

function account(p) {
  var b = body('account', p); if (!b) return;
  var a = p.data;
  b.appendChild(dl([
    ['Equity', a.equity], ['Wallet / available', a.wallet + ' / ' + a.available],
    a.unpricedSpot ? ['Unpriced spot coins', a.unpricedSpot + ' (no USDT market: counted as 0)', 'warning'] : null,
    ['Price PnL', a.pricePnl, a.pricePnl.charAt(0) === '+' ? 'good' : 'bad'],
    ['Funding PnL', a.fundingPnl, a.fundingPnl.charAt(0) === '+' ? 'good' : 'bad'],
    ['Today', a.today + ' (limit ' + a.dailyLossLimit + ')', a.today.charAt(0) === '+' ? 'good' : 'bad'],
    ['Daily loss limit used', a.dailyLossUsed, a.dailyLossUsedPct >= 80 ? 'critical' : ''],
    ['Drawdown (7 d peak)', a.drawdown], ['Week', a.weekPnl],
    ['Trading', a.halted ? 'HALTED — ' + a.haltReason : 'active', a.halted ? 'critical' : 'good']
  ]));
  b.appendChild(bar(a.dailyLossUsedPct));
  var acts = el('div', null, 'actions');
  if (state.data.mayControl) {
    acts.appendChild(actionButton(a.halted ? 'Resume' : 'Halt', { action: a.halted ? 'resume' : 'halt' },
      a.halted ? 'Resume trading?' : 'Halt trading? New exposure is rejected; stops and closes still work.'));
    acts.appendChild(actionButton('Emergency close', { action: 'emergency_close' },
      'Emergency close: halt and close EVERY position at market?', 'danger'));
  }
  b.appendChild(acts);
  var chart = newChart($('equity-chart'));
  var seen = {}, pts = [];
  a.curve.forEach(function (x) {
    var t = Math.floor(x.time / 1000);
    if (seen[t]) return; seen[t] = 1; pts.push({ time: t, value: x.equity });
  });
  pts.sort(function (x, y) { return x.time - y.time; });
  chart.addSeries(LC.LineSeries, { color: colors().accent, lineWidth: 2 }).setData(pts);
  chart.timeScale().fitContent();
}

function risk(p) {
  var b = body('risk', p); if (!b) return;
  var r = p.data;
  b.appendChild(dl([
    ['Slots used', r.slots], ['Exposure', r.totalExposure], ['Position cap', r.exposureCap + ' of equity each'],
    ['Margin ratio', r.marginRatio + ' (warn ' + r.marginWarn + ', critical ' + r.marginCritical + ')', r.marginLevel]
  ]));
  b.appendChild(bar(r.marginRatioPct));
  if (r.positions.length === 0) b.appendChild(el('p', 'No open positions.', 'muted'));
  r.positions.forEach(function (x) {
    var item = el('div', null, 'item position');
    item.appendChild(el('h3', x.symbol + ' ' + x.side + ' ' + x.quantity + ' (' + x.owner + ')'));
    item.appendChild(dl([
      ['Entry / mark', x.entry + ' / ' + x.mark], ['Leverage', x.leverage + ' ' + x.marginMode],
      ['Unrealised', x.unrealised], ['Liquidation', x.liquidation + ' (' + x.liquidationDistance + ' away)', x.distanceLevel],
      ['Exposure', x.exposure, x.overCap ? 'critical' : ''],
      ['Stop', x.stops.length ? x.stops.join(', ') + (x.stopCovers ? ' — covers the position' : ' — does NOT cover it') :
        (r.ordersKnown ? 'NONE on the exchange' : 'unknown'), x.stopCovers ? 'good' : 'critical'],
      ['Take-profit', x.takeProfits.length ? x.takeProfits.join(', ') : 'none']
    ]));
    if (state.data.mayControl) {
      var acts = el('div', null, 'actions');
      acts.appendChild(actionButton('Close ' + x.symbol, { action: 'close', symbol: x.symbol },
        'Close the whole ' + x.symbol + ' ' + x.side + ' at market?'));
      item.appendChild(acts);
    }
    b.appendChild(item);
  });
}

function strategies(p) {
  var b = body('strategies', p); if (!b) return;
  p.data.cards.forEach(function (c) {
    var item = el('div', null, 'item strategy');
    item.appendChild(el('h3', c.strategy + ' — ' + c.status, c.paused ? 'warning' : ''));
    item.appendChild(dl([['Symbols', c.symbols], ['Exposure', c.exposure], ['Realised', c.realised],
      ['Fees', c.fees], ['Funding', c.funding], ['Win rate', c.winRate]]));
    c.grids.forEach(function (g) {
      item.appendChild(el('p', g.symbol + ' grid ' + g.range + (g.levels.length ? ': ' + g.levels.join(', ') : ''), 'muted'));
    });
    c.funding_hedges.forEach(function (h) {
      item.appendChild(dl([[h.symbol + ' funding now', h.current], ['predicted', h.predicted],
        ['hedge perp short / spot', h.perpShort + ' / ' + h.spotLong], ['drift', h.drift]]));
    });
    b.appendChild(item);
  });
}

function list(title, rows, fmt) {
  var d = el('div');
  d.appendChild(el('h3', title));
  if (!rows.length) { d.appendChild(el('p', 'none', 'muted')); return d; }
  var u = el('ul');
  rows.forEach(function (r) { u.appendChild(el('li', fmt(r), r.type === 'OrderRejected' ? 'bad' : '')); });
  d.appendChild(u);
  return d;
}
function activity(p) {
  var b = body('activity', p); if (!b) return;
  var a = p.data;
  b.appendChild(dl([['Dead-letter queue', a.deadLetterDepth, a.deadLetterDepth !== '0' ? 'warning' : 'good']]));
  b.appendChild(list('Recent orders, fills, rejections', a.recent, function (r) { return r.time + ' ' + r.text; }));
  b.appendChild(list('Open orders on the exchange', a.openOrders, function (r) { return r; }));
  b.appendChild(list('Last run of each scheduled function', a.runs, function (r) { return r.fn + ': ' + r.last + ' ' + r.ago; }));
  b.appendChild(list('Recent errors', a.errors, function (r) { return r.time + ' ' + r.text; }));
}

function drawChart(symbol) {
  return fetch('/api/chart?symbol=' + encodeURIComponent(symbol), { headers: headers, credentials: 'same-origin' })
    .then(function (r) { if (!r.ok) throw new Error('chart ' + r.status); return r.json(); })
    .then(function (d) {
      if (state.chart) { state.chart.remove(); state.charts = state.charts.filter(function (c) { return c !== state.chart; }); }
      var c = colors(), chart = newChart($('price-chart'));
      state.chart = chart;
      var s = chart.addSeries(LC.CandlestickSeries, { upColor: c.up, downColor: c.down, borderVisible: false,
        wickUpColor: c.up, wickDownColor: c.down });
      if (d.priceFormat) s.applyOptions({ priceFormat: { type: 'price', precision: d.priceFormat.precision, minMove: d.priceFormat.minMove } });
      s.setData(d.candles);
      LC.createSeriesMarkers(s, d.markers.map(function (m) {
        var buy = m.side === 'buy';
        return { time: m.time, position: buy ? 'belowBar' : 'aboveBar', color: m.exit ? c.warn : (buy ? c.up : c.down),
          shape: buy ? 'arrowUp' : 'arrowDown', text: m.exit ? 'exit' : 'entry' };
      }));
      var style = { stop: [c.down, 2], 'take-profit': [c.up, 2], entry: [c.accent, 0], grid: [c.line, 1] };
      d.lines.forEach(function (l) {
        s.createPriceLine({ price: l.price, color: style[l.kind][0], lineWidth: 1, lineStyle: style[l.kind][1], title: l.label });
      });
      chart.timeScale().fitContent();
      state.chartData = d;
      $('chart-note').textContent = d.available ? d.candles.length + ' hourly candles, ' + d.markers.length + ' fills, ' +
        d.lines.length + ' order lines' : 'No candles available here.';
    });
}

var pending = null;
function ask(question, then) {
  $('modal-text').textContent = question;
  pending = then;
  $('modal').className = 'open';
}
$('modal-cancel').onclick = function () { $('modal').className = ''; var p = pending; pending = null; if (p) p(false); };
$('modal-confirm').onclick = function () { $('modal').className = ''; var p = pending; pending = null; if (p) p(true); };
function randomHex(n) {
  var a = new Uint8Array(n); crypto.getRandomValues(a);
  return Array.prototype.map.call(a, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
}
function post(path, payload) {
  return fetch(path, { method: 'POST', credentials: 'same-origin',
    headers: Object.assign({ 'content-type': 'application/json' }, headers), body: JSON.stringify(payload) })
    .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.status); return j; }); });
}
function show(text) { $('message').textContent = text; }
function afterReply(reply) {
  show(plain(reply.html));
  if (!reply.confirm) return load();
  ask(plain(reply.html), function (yes) {
    post('/api/confirm', { data: (yes ? 'confirm:' : 'cancel:') + reply.confirm, pressId: randomHex(16) })
      .then(function (r) { show(plain(r.html)); return load(); })
      .catch(function (e) { show('Failed: ' + e.message); });
  });
}
function actionButton(label, request, question, cls) {
  var btn = el('button', label, cls);
  btn.setAttribute('data-action', request.action + (request.symbol ? ':' + request.symbol : ''));
  btn.onclick = function () {
    ask(question, function (yes) {
      if (!yes) return;
      var id = (crypto.getRandomValues(new Uint32Array(1))[0] % 2147483646) + 1;
      post('/api/action', Object.assign({ requestId: id, sentAt: Date.now() }, request))
        .then(afterReply)
        .catch(function (e) { show('Failed: ' + e.message); });
    });
  };
  return btn;
}

function load() {
  return fetch('/api/dashboard', { headers: headers, credentials: 'same-origin' }).then(function (r) {
    if (r.status === 401) {
      document.body.setAttribute('data-state', 'unauthorized');
      show('Not signed in. Send /dashboard to the bot for a sign-in link (valid 10 minutes, once), or open the dashboard from the bot\\'s menu button.');
      return;
    }
    if (!r.ok) throw new Error('dashboard ' + r.status);
    return r.json().then(function (d) {
      state.charts.forEach(function (c) { if (c !== state.chart) c.remove(); });
      state.charts = state.chart ? [state.chart] : [];
      state.data = d;
      $('as-of').textContent = new Date(d.at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
      $('panels').hidden = false;
      account(d.account); risk(d.risk); strategies(d.strategies); activity(d.activity);
      var sel = $('symbol');
      if (!sel.options.length) {
        d.symbols.forEach(function (s) { var o = el('option', s); o.value = s; sel.appendChild(o); });
        sel.onchange = function () { drawChart(sel.value); };
        return drawChart(d.symbols[0]);
      }
    });
  });
}
load().then(function () { document.body.setAttribute('data-ready', '1'); })
  .catch(function (e) { show('Failed to load: ' + e.message); document.body.setAttribute('data-ready', '1'); });
})();`;
