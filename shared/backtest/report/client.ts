// The report page's script (plain ES2017, no build step): decodes the JSON data block, draws the
// candlesticks with trade markers, the equity with baselines and the drawdown with Lightweight Charts,
// shades in-/out-of-sample segments, and keeps the three time axes in step. It is a string because it
// runs in the browser, not in Node; window.report exposes the charts to the trader's console and tests.
export const CLIENT_SCRIPT = `(function () {
'use strict';
var LC = window.LightweightCharts;
var D = JSON.parse(document.getElementById('report-data').textContent);

function times(e) {
  var out = new Array(e.d.length), t = e.t0;
  for (var i = 0; i < e.d.length; i++) { t += e.d[i] * e.step; out[i] = t; }
  return out;
}
function values(e) {
  var out = new Array(e.d.length), s = 0, f = Math.pow(10, e.dec);
  for (var i = 0; i < e.d.length; i++) { s += e.d[i]; out[i] = s / f; }
  return out;
}
function candles(e) {
  var t = times(e.time), f = Math.pow(10, e.dec), out = new Array(t.length), prev = 0;
  for (var i = 0; i < t.length; i++) {
    var o = prev + e.o[i], c = o + e.c[i];
    var h = Math.max(o, c) + e.h[i], l = Math.min(o, c) - e.l[i];
    out[i] = { time: t[i], open: o / f, high: h / f, low: l / f, close: c / f };
    prev = c;
  }
  return out;
}

var bars1h = candles(D.candles);
var eqT = times(D.equity.time), eqV = values(D.equity.value);
var ddV = new Array(eqV.length), peak = D.initialEquity;
for (var i = 0; i < eqV.length; i++) {
  peak = Math.max(peak, eqV[i]);
  ddV[i] = peak > 0 ? -((peak - eqV[i]) / peak) * 100 : 0;
}

var common = {
  autoSize: true,
  layout: { background: { color: '#ffffff' }, textColor: '#1d2330', attributionLogo: true },
  grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
  rightPriceScale: { borderVisible: false },
  timeScale: { timeVisible: true, secondsVisible: false, borderVisible: false, minBarSpacing: 0.001 },
  crosshair: { mode: 0 },
  // The report is in English; also spares browsers whose navigator.language is no valid tag (en-US@posix).
  localization: { locale: 'en-US' }
};
function make(id) { return LC.createChart(document.getElementById(id), common); }

// Candlesticks, in the timeframe the trader picks (1h data aggregated to 4h or 1d in the page).
var price = make('price-chart');
var tick = 1 / Math.pow(10, D.candles.dec);
var candleSeries = price.addSeries(LC.CandlestickSeries, {
  upColor: '#16a34a', downColor: '#dc2626', borderVisible: false,
  wickUpColor: '#16a34a', wickDownColor: '#dc2626',
  priceFormat: { type: 'price', precision: D.candles.dec, minMove: tick }
});
var markerApi = LC.createSeriesMarkers(candleSeries, []);
var STYLE = {
  long: { shape: 'arrowUp', position: 'atPriceBottom', color: '#15803d', size: 1 },
  short: { shape: 'arrowDown', position: 'atPriceTop', color: '#b91c1c', size: 1 },
  exit: { shape: 'circle', position: 'atPriceMiddle', color: '#2563eb', size: 1 },
  target: { shape: 'circle', position: 'atPriceMiddle', color: '#0891b2', size: 1, text: 'TP' },
  stop: { shape: 'square', position: 'atPriceMiddle', color: '#ea580c', size: 1, text: 'stop' },
  liquidation: { shape: 'square', position: 'atPriceMiddle', color: '#000000', size: 2, text: 'LIQ' }
};
function aggregate(tf) {
  if (tf <= D.candles.time.step) return bars1h;
  var out = [], cur = null;
  for (var i = 0; i < bars1h.length; i++) {
    var b = bars1h[i], k = Math.floor(b.time / tf) * tf;
    if (!cur || cur.time !== k) {
      cur = { time: k, open: b.open, high: b.high, low: b.low, close: b.close };
      out.push(cur);
    } else {
      if (b.high > cur.high) cur.high = b.high;
      if (b.low < cur.low) cur.low = b.low;
      cur.close = b.close;
    }
  }
  return out;
}
function bucket(t, tf) { return tf <= D.candles.time.step ? t : Math.floor(t / tf) * tf; }
// One marker per kind per candle (a grid can fill many times in one day): stacked markers would climb
// off the chart. The count shows on stops and liquidations, where it matters.
function markersFor(tf) {
  var out = [], seen = {};
  D.markers.forEach(function (m) {
    var kind = D.markerKinds[m[1]], t = bucket(m[0], tf), key = t + ':' + kind;
    if (seen[key]) { seen[key].n++; return; }
    var s = STYLE[kind];
    seen[key] = { n: 1, mk: { id: kind + '-' + t, time: t, shape: s.shape, position: s.position, color: s.color, size: s.size, price: m[2] } };
    out.push(seen[key]);
  });
  return out.map(function (e) {
    var text = STYLE[e.mk.id.split('-')[0]].text;
    if (text) e.mk.text = e.n > 1 ? text + ' x' + e.n : text;
    return e.mk;
  });
}
// A line at a coarser timeframe: one point per bucket, reduced by 'last' (equity) or 'min' (drawdown,
// so the deepest fall of the bucket stays visible). Tens of thousands of points on screen at once are
// slow to draw and no finer than the pixels; the trader picks 1h to see every bar.
function lineAt(t, v, tf, reduce) {
  var out = [], cur = null;
  for (var i = 0; i < t.length; i++) {
    var k = bucket(t[i], tf);
    if (!cur || cur.time !== k) { cur = { time: k, value: v[i] }; out.push(cur); }
    else if (reduce === 'min') { if (v[i] < cur.value) cur.value = v[i]; }
    else cur.value = v[i];
  }
  return out;
}
var TF = { '1h': 3600, '4h': 14400, '1d': 86400 };
var currentTf = null, leader = null;
function setTimeframe(name, clamp) {
  var tf = TF[name], range = currentTf ? price.timeScale().getVisibleRange() : null;
  var bars = aggregate(tf);
  candleSeries.setData(bars);
  markerApi.setMarkers(markersFor(tf));
  equitySeries.setData(lineAt(eqT, eqV, tf, 'last'));
  baselineSeries.forEach(function (s, n) { s.setData(lineAt(baseT[n], baseV[n], tf, 'last')); });
  drawdownSeries.setData(lineAt(eqT, ddV, tf, 'min'));
  shadeTimes = equitySeries.data().map(function (p) { return p.time; });
  currentTf = name;
  var buttons = document.querySelectorAll('[data-tf]');
  for (var i = 0; i < buttons.length; i++) buttons[i].classList.toggle('on', buttons[i].getAttribute('data-tf') === name);
  leader = price;
  if (!range) price.timeScale().fitContent();
  else {
    // The same span at the new timeframe; picked by the trader (clamp), a finer timeframe over a long
    // span would put tens of thousands of bars on screen: keep its right end, MAX_VISIBLE bars.
    var t = bars.map(function (b) { return b.time; });
    var i0 = firstAtOrAfter(t, bucket(range.from, tf)), i1 = firstAtOrAfter(t, bucket(range.to, tf) + 1) - 1;
    if (clamp && i1 - i0 > MAX_VISIBLE) i0 = i1 - MAX_VISIBLE;
    price.timeScale().setVisibleLogicalRange({ from: i0, to: i1 });
  }
  requestAnimationFrame(redrawShades);
}
function pickTimeframe(name) { setTimeframe(name, true); }
// Zoomed out past MAX_VISIBLE bars, the chart steps to the next coarser timeframe by itself.
var MAX_VISIBLE = 6000, COARSER = { '1h': '4h', '4h': '1d' };
function coarsenIfCrowded() {
  // The range now, not the one the event carries: events arrive after the frame, maybe stale.
  var lr = price.timeScale().getVisibleLogicalRange();
  if (!lr || !COARSER[currentTf] || lr.to - lr.from <= MAX_VISIBLE) return;
  setTimeframe(COARSER[currentTf]);
}
// Start with the finest timeframe that shows the whole run at a readable density.
var start = '1d';
if (aggregate(TF['4h']).length <= MAX_VISIBLE) start = '4h';
if (bars1h.length <= MAX_VISIBLE) start = '1h';

// Equity with its baselines, and the drawdown below it.
var equity = make('equity-chart');
var equitySeries = equity.addSeries(LC.LineSeries, {
  color: '#2563eb', lineWidth: 2, title: 'strategy', priceFormat: { type: 'price', precision: 2, minMove: 0.01 }
});
equitySeries.createPriceLine({ price: D.initialEquity, color: '#9aa3b2', lineWidth: 1, lineStyle: 2, axisLabelVisible: true, title: 'initial' });
var baseT = [], baseV = [];
var COLORS = ['#9333ea', '#ea580c', '#0891b2', '#65a30d'];
var baselineSeries = D.baselines.map(function (b, n) {
  var s = equity.addSeries(LC.LineSeries, {
    color: COLORS[n % COLORS.length], lineWidth: 1, title: b.name, priceFormat: { type: 'price', precision: 2, minMove: 0.01 }
  });
  baseT.push(times(b.time));
  baseV.push(values(b.value));
  return s;
});
var drawdown = make('drawdown-chart');
var drawdownSeries = drawdown.addSeries(LC.BaselineSeries, {
  baseValue: { type: 'price', price: 0 },
  topLineColor: 'rgba(0,0,0,0)', topFillColor1: 'rgba(0,0,0,0)', topFillColor2: 'rgba(0,0,0,0)',
  bottomLineColor: '#dc2626', bottomFillColor1: 'rgba(220,38,38,0.08)', bottomFillColor2: 'rgba(220,38,38,0.4)',
  lineWidth: 1, priceFormat: { type: 'custom', minMove: 0.01, formatter: function (v) { return v.toFixed(1) + ' %'; } }
});

// In-sample / out-of-sample shading: one absolutely placed band per segment, from its first bar to
// its last, redrawn whenever the visible range or the size changes.
function shader(chart, layerId) {
  var layer = document.getElementById(layerId);
  if (!layer || D.segments.length === 0) return function () {};
  var bands = D.segments.map(function (s) {
    var el = document.createElement('div');
    el.className = 'shade ' + s.kind;
    el.title = s.kind;
    layer.appendChild(el);
    return el;
  });
  return function () {
    var ts = chart.timeScale(), w = ts.width();
    D.segments.forEach(function (s, n) {
      var i0 = firstAtOrAfter(shadeTimes, bucket(s.from, TF[currentTf]));
      var i1 = firstAtOrAfter(shadeTimes, bucket(s.to, TF[currentTf]) + 1) - 1;
      var a = ts.logicalToCoordinate(i0), b = ts.logicalToCoordinate(i1);
      var next = ts.logicalToCoordinate(i0 + 1), half = a !== null && next !== null ? (next - a) / 2 : 0;
      var el = bands[n];
      if (i1 < i0 || a === null || b === null) { el.style.display = 'none'; return; }
      var left = Math.max(0, a - half), right = Math.min(w, b + half);
      if (right <= left) { el.style.display = 'none'; return; }
      el.style.display = 'block';
      el.style.left = left + 'px';
      el.style.width = (right - left) + 'px';
    });
  };
}
function firstAtOrAfter(a, t) {
  var lo = 0, hi = a.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid] < t) lo = mid + 1; else hi = mid; }
  return lo;
}
var shadeTimes = [];
var shades = [shader(equity, 'equity-shades'), shader(drawdown, 'drawdown-shades')];
// Drawn at once and again on the next frame: the chart settles its coordinates (price-axis width, a
// following chart's range) a frame after the event, and a band drawn only from the event can stay stale.
var shadeFramePending = false;
function drawShades() { shades.forEach(function (f) { f(); }); }
function redrawShades() {
  drawShades();
  if (shadeFramePending) return;
  shadeFramePending = true;
  requestAnimationFrame(function () { shadeFramePending = false; drawShades(); });
}
equity.timeScale().subscribeVisibleLogicalRangeChange(redrawShades);
drawdown.timeScale().subscribeVisibleLogicalRangeChange(redrawShades);
equity.timeScale().subscribeSizeChange(redrawShades);
drawdown.timeScale().subscribeSizeChange(redrawShades);
requestAnimationFrame(redrawShades);

// One time axis for all three: the chart under the trader's hand leads, the others follow.
var charts = [['price-chart', price], ['equity-chart', equity], ['drawdown-chart', drawdown]];
charts.forEach(function (p) {
  var el = document.getElementById(p[0]);
  ['pointerdown', 'wheel', 'pointerenter', 'touchstart'].forEach(function (ev) {
    el.addEventListener(ev, function () { leader = p[1]; }, { passive: true });
  });
  p[1].timeScale().subscribeVisibleTimeRangeChange(function (r) {
    if (p[1] !== leader || !r) return;
    charts.forEach(function (q) { if (q[1] !== p[1]) q[1].timeScale().setVisibleRange(r); });
  });
});

setTimeframe(start);
price.timeScale().subscribeVisibleLogicalRangeChange(coarsenIfCrowded);

// Legend: the candle under the crosshair.
var legend = document.getElementById('price-legend');
function fmt(v) { return v.toFixed(D.candles.dec); }
price.subscribeCrosshairMove(function (p) {
  var b = p && p.seriesData ? p.seriesData.get(candleSeries) : null;
  if (!b) { legend.textContent = ''; return; }
  legend.textContent = new Date(b.time * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC  O ' +
    fmt(b.open) + '  H ' + fmt(b.high) + '  L ' + fmt(b.low) + '  C ' + fmt(b.close);
});

var tfButtons = document.querySelectorAll('[data-tf]');
for (var j = 0; j < tfButtons.length; j++) {
  tfButtons[j].addEventListener('click', function (ev) { pickTimeframe(ev.currentTarget.getAttribute('data-tf')); });
}
document.getElementById('fit').addEventListener('click', function () {
  if (currentTf !== start) setTimeframe(start);
  leader = price; price.timeScale().fitContent();
});

window.report = {
  data: D, price: price, equity: equity, drawdown: drawdown, candleSeries: candleSeries,
  equitySeries: equitySeries, baselineSeries: baselineSeries, drawdownSeries: drawdownSeries,
  markers: markerApi, setTimeframe: pickTimeframe, timeframe: function () { return currentTf; },
  candles: function () { return bars1h; }, redrawShades: redrawShades
};
document.body.setAttribute('data-ready', '1');
})();`;
