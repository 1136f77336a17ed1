// TradingView Lightweight Charts (Apache-2.0), inlined into every report so the page needs no network:
// its standalone production build (a script that defines window.LightweightCharts), found through the
// installed package rather than a path into node_modules. The library's licence asks for the NOTICE
// attribution and a link to tradingview.com on the page; the report prints both (and keeps the chart's
// attribution logo, which links there too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The NOTICE of github.com/tradingview/lightweight-charts, as its licence requires. */
export const LIGHTWEIGHT_CHARTS_NOTICE =
  'TradingView Lightweight Charts™ — Copyright (c) 2026 TradingView, Inc. https://www.tradingview.com/ — Apache License 2.0';

let cached: { version: string; source: string } | undefined;

/** The library's standalone build, safe to place inside a <script> element. */
export function lightweightCharts(): { version: string; source: string } {
  if (cached) return cached;
  // The package exports only "." and "./package.json": resolve the latter and read the build beside it.
  const pkgPath = require.resolve('lightweight-charts/package.json');
  const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  const raw = readFileSync(
    join(dirname(pkgPath), 'dist', 'lightweight-charts.standalone.production.js'),
    'utf8',
  );
  // A literal "</script" would end the element early; in JavaScript "<\/script" means the same.
  cached = { version, source: raw.replace(/<\/script/gi, '<\\/script') };
  return cached;
}
