// The report's stylesheet.
export const REPORT_CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1400px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px}p.sub{color:#5b6475;margin:0 0 16px}
table{border-collapse:collapse;margin:0 24px 16px 0;display:inline-table;vertical-align:top}
th,td{padding:3px 10px;border-bottom:1px solid #e3e6ec;text-align:left}td{text-align:right;font-variant-numeric:tabular-nums}
.data-notes{border:2px solid #d97706;background:#fffbeb;padding:8px 12px;margin:0 0 16px;border-radius:4px}
.data-notes ul{margin:4px 0 0 18px;padding:0}
.chart-wrap{position:relative}.chart{height:260px;width:100%}.chart.tall{height:480px}
.shades{position:absolute;inset:0;pointer-events:none;overflow:hidden;z-index:3}
.shade{position:absolute;top:0;bottom:0;display:none}
.shade.in-sample,.key.in-sample{background:rgba(100,116,139,0.18)}
.shade.out-of-sample,.key.out-of-sample{background:rgba(37,99,235,0.10)}
.shade{box-sizing:border-box;border-left:1px dashed rgba(30,41,59,0.35)}
.key{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;border:1px solid #cbd5e1}
.toolbar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:4px}
.toolbar button{font:inherit;padding:2px 10px;border:1px solid #cbd5e1;background:#fff;border-radius:4px;cursor:pointer}
.toolbar button.on{background:#1d2330;color:#fff;border-color:#1d2330}
.keys{margin-left:12px;color:#5b6475}.k{margin-right:10px}.k.long{color:#15803d}.k.short{color:#b91c1c}
.k.exit{color:#2563eb}.k.stop{color:#ea580c}.k.liquidation{color:#000;font-weight:600}
.legend-line{min-height:18px;color:#5b6475;font-variant-numeric:tabular-nums;white-space:pre}
.hint{color:#5b6475;font-size:12px;margin:2px 0}
table.heat td{min-width:58px;text-align:center}table.heat td.none{background:#fafafa}
table.heat td.y{font-weight:600;border-left:2px solid #fff}
td.ret.pos{color:#15803d}td.ret.neg{color:#b91c1c}
pre{background:#f6f7f9;padding:8px;overflow:auto}footer{color:#5b6475;font-size:12px;margin-top:24px}
`;
