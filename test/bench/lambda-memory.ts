// Peak memory (RSS) of the Lambda bundles under a representative run, for the memory sizes in
// infra/aws/constructs/functions.ts: each handler is bundled as it ships (infra/build/bundle.ts) and run
// in a fresh Node process against loopback stand-ins — dynalite for DynamoDB, the Binance REST stub with
// exchangeInfo padded to Binance's real size (the markets parse is what weighs: ~550 USD-M and ~3,300
// spot symbols, each spot symbol with a long permission list as Binance sends them) — for a minute's
// work: 12 guardian checks with a position and its stop, one funding / performance run. Prints
// { fn: { peakRssMb, exchangeInfoKb } }. Run: `npx tsx test/bench/lambda-memory.ts`.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../../infra/build/bundle.ts';
import { startDynalite } from '../../infra/local/dynalite.ts';
import { recorded, startBinanceStub } from '../support/binance-stub.ts';

const dir = join(process.cwd(), '.local', 'memory');
mkdirSync(dir, { recursive: true });
// The Lambda runtime ships @aws-sdk/client-ssm (the bundles leave the SDK out); it is not installed here
// and the runs read the keys from the environment, so an empty stand-in lets the bundles load (the real
// client adds ~2-3 MB once a SecureString is read, like the Secrets Manager client did before).
const ssm = join(dir, 'node_modules', '@aws-sdk', 'client-ssm');
mkdirSync(ssm, { recursive: true });
writeFileSync(
  join(ssm, 'package.json'),
  JSON.stringify({ name: '@aws-sdk/client-ssm', type: 'module', main: 'index.js' }),
);
writeFileSync(
  join(ssm, 'index.js'),
  ['SSMClient', 'GetParameterCommand', 'GetParametersCommand', 'ParameterNotFound', 'PutParameterCommand']
    .map((c) => `export class ${c} {}`)
    .concat('export function paginateGetParametersByPath() {}')
    .join('\n'),
);
// undici is left out of the bundles and absent in Lambda (ccxt then uses Node's fetch); installed here
// as a dependency of other tools, so a stand-in that fails to load keeps the run as in Lambda.
const undici = join(dir, 'node_modules', 'undici');
mkdirSync(undici, { recursive: true });
writeFileSync(
  join(undici, 'package.json'),
  JSON.stringify({ name: 'undici', type: 'module', main: 'index.js' }),
);
writeFileSync(join(undici, 'index.js'), "throw new Error('undici is not in the Lambda runtime');");
const stub = await startBinanceStub(() => Date.now());

// Real sizes as of 2026: /fapi/v1/exchangeInfo lists ~550 symbols, /api/v3/exchangeInfo ~3,300.
const FUTURES_SYMBOLS = 550;
const SPOT_SYMBOLS = 3_300;
const base = (await (await fetch(`${stub.origin}/fapi/v1/exchangeInfo`)).json()) as { symbols: object[] };
const spotBase = (await (await fetch(`${stub.origin}/api/v3/exchangeInfo`)).json()) as { symbols: object[] };
const name = (i: number) => `C${i.toString(36).toUpperCase()}`;
const futures = {
  ...base,
  symbols: [
    ...base.symbols,
    ...Array.from({ length: FUTURES_SYMBOLS }, (_, i) => ({
      ...base.symbols[0],
      symbol: `${name(i)}USDT`,
      pair: `${name(i)}USDT`,
      baseAsset: name(i),
    })),
  ],
};
const groups = Array.from({ length: 40 }, (_, i) => `TRD_GRP_${String(i + 2).padStart(3, '0')}`);
const spot = {
  ...spotBase,
  symbols: [
    ...spotBase.symbols,
    ...Array.from({ length: SPOT_SYMBOLS }, (_, i) => ({
      ...spotBase.symbols[0],
      symbol: `${name(i)}USDT`,
      baseAsset: name(i),
      permissionSets: [['SPOT', 'MARGIN', ...groups]],
    })),
  ],
};
stub.replay('GET /fapi/v1/exchangeInfo', { body: futures });
// As Binance does: `symbols=["BTCUSDT",…]` answers those markets only (the adapter asks so since issue 17).
stub.replay('GET /api/v3/exchangeInfo', (p) => {
  const wanted: string[] | undefined = p.symbols ? JSON.parse(p.symbols) : undefined;
  return {
    body: wanted
      ? { ...spot, symbols: (spot.symbols as { symbol: string }[]).filter((s) => wanted.includes(s.symbol)) }
      : spot,
  };
});
// The funding monitor's history read (GET /fapi/v1/fundingRate): the last three 8-h settlements.
stub.replay('GET /fapi/v1/fundingRate', () => ({
  body: [3, 2, 1].map((k) => ({
    symbol: 'BTCUSDT',
    fundingTime: Math.floor(Date.now() / 28_800_000 - k + 1) * 28_800_000,
    fundingRate: '0.00010000',
    markPrice: '60000.00000000',
  })),
}));
// A position (BTCUSDT long, ETHUSDT short) with its stops and resting orders, as recorded from Binance's docs.
stub.replay('GET /fapi/v1/openOrders', { body: recorded('fapi-v1-openOrders.json') });
stub.replay('GET /fapi/v1/openAlgoOrders', { body: recorded('fapi-v1-openAlgoOrders.json') });
stub.replay('GET /api/v3/openOrders', { body: recorded('api-v3-openOrders.json') });
stub.replay('GET /fapi/v3/positionRisk', { body: recorded('fapi-v3-positionRisk.json') });
const exchangeInfoKb = Math.round((JSON.stringify(futures).length + JSON.stringify(spot).length) / 1024);

const db = await startDynalite('autocoin-memory');
const env = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'ap-northeast-1',
  AWS_ACCESS_KEY_ID: 'AKIDLOCALONLY',
  AWS_SECRET_ACCESS_KEY: 'local-only-not-a-secret',
  AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: db.tableName,
  QUEUE_URL: 'http://127.0.0.1:9/000000000000/orders.fifo',
  EVENT_BUS_NAME: 'autocoin-memory',
  BINANCE_API_KEY: 'local-stub-key-0000',
  BINANCE_API_SECRET: 'local-stub-secret-0000',
  SYMBOLS: 'BTCUSDT',
  POWERTOOLS_METRICS_DISABLED: 'false',
  // V8 flags for the children, e.g. MEMORY_NODE_OPTIONS=--max-semi-space-size=1: how much of the peak is
  // the young generation's slack rather than live data.
  ...(process.env.MEMORY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.MEMORY_NODE_OPTIONS } : {}),
};

/** One child process: the bundle imported, the handler run `runs` times, its peak RSS reported. */
async function measure(fn: string, events: unknown[]): Promise<number> {
  const file = join(dir, `${fn}.mjs`);
  const runner = join(dir, `${fn}.run.mjs`);
  writeFileSync(
    runner,
    `// The Binance hosts answered by the loopback stub (ccxt uses the global fetch in the bundles).
const origin = ${JSON.stringify(stub.origin)};
const real = globalThis.fetch;
globalThis.fetch = (url, init) => real(String(url).replace(/^https:\\/\\/[a-z]+\\.binance\\.com/, origin), init);
process.stdout.write = () => true; // the handlers' log lines
const { handler } = await import(${JSON.stringify(file)});
for (const e of ${JSON.stringify(events)}) await handler(e, {});
process.stderr.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\\n');
`,
  );
  // Asynchronously: the stand-ins answer from this process's event loop.
  const child = spawn(process.execPath, [runner], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-20_000);
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stderr.trim().split('\n').at(-1) ?? '';
  if (status !== 0 || !line.startsWith('{')) throw new Error(`${fn}: exit ${status} ${stderr.slice(-2000)}`);
  return Math.round((JSON.parse(line).maxRssKb / 1024) * 10) / 10;
}

const minute = (k: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + k * 5_000).toISOString();
const results: Record<string, { peakRssMb: number; exchangeInfoKb: number }> = {};
const runs: Record<string, unknown[]> = {
  guardian: Array.from({ length: 12 }, (_, k) => ({ time: minute(k), once: true })),
  'funding-monitor': [{ time: minute(0) }],
  'performance-monitor': [{ time: minute(0) }],
};
try {
  for (const [fn, events] of Object.entries(runs)) {
    await bundle(fn, join(dir, `${fn}.mjs`));
    results[fn] = { peakRssMb: await measure(fn, events), exchangeInfoKb };
    process.stderr.write(`${fn}: ${JSON.stringify(results[fn])}\n`);
  }
} finally {
  await db.stop();
  await stub.stop();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
