// `npm run backtest` arguments: parsed with node:util, validated with zod, one clear error for all.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SymbolSchema } from '../domain/primitives.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';
import { parseSpan } from './walk-forward-windows.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run backtest -- --strategy <name> [options]

  --strategy <name>     ${Object.keys(BACKTEST_STRATEGIES).join(' | ')}
  --symbol <SYMBOL>     default BTCUSDT (shipped data: BTCUSDT)
  --from <date>         start, UTC (2026-09-01 or ISO time); default: start of data + warm-up
  --to <date>           end (exclusive), UTC; default: end of data
  --timeframe 1h        base timeframe of the data (1h; strategies read 4h/1d resampled from it)
  --params <file.json>  strategy parameters (validated against the strategy's schema)
  --fee <pct>           taker fee, percent (default 0.05, Binance USD-M)
  --maker-fee <pct>     maker fee, percent (default 0.02)
  --slippage <pct>      adverse slippage on market and stop fills, percent (default 0.01)
  --equity <usdt>       initial futures wallet (default 10000)
  --spot-usdt <usdt>    initial spot wallet for hedge legs (default 0; funding_arbitrage: = equity)
  --data <dir>          folder with <SYMBOL>-1h.csv [and <SYMBOL>-funding-8h.csv]
  --json                print the result as JSON only (deterministic)
  --report <file>       HTML report path (default reports/backtest-<strategy>-<symbol>-<from>-<to>.html)
  --no-report           do not write the HTML report
  --sweep "p=a:b:step"  parameter sweep (repeatable); ranks combinations, then checks the best on
                        the held-back final part of the data
  --rank <metric>       sweep / walk-forward ranking metric (default sharpe): sharpe, sortino,
                        return (= returnPct), calmar, cagrPct, netPnl, maxDrawdownPct (lower is
                        better), winRatePct
  --top <n>             sweep rows to print (default 10)
  --holdout <pct>       sweep: final share of the data held back (default 30)
  --workers <n>         sweep / walk-forward worker threads (default: CPU count)
  --walk-forward        also evaluate walk-forward: each in-sample window sweeps the strategy's
                        declared ranges (shared/strategies/search-space.ts), the best set trades
                        the next out-of-sample window; rolling, stitched into one out-of-sample run
  --in-sample <span>    walk-forward in-sample window (default 6m; m = calendar months, w, d)
  --out-of-sample <span>  walk-forward out-of-sample window and step (default 1m)
`;

function dateArg(name: string) {
  return z
    .string()
    .transform((s, ctx) => {
      const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
      if (Number.isNaN(t)) {
        ctx.addIssue({ code: 'custom', message: `--${name} must be a date like 2026-09-01 (got "${s}")` });
        return z.NEVER;
      }
      return t;
    })
    .optional();
}

function pctArg(name: string, fallback: number, max: number) {
  return z
    .string()
    .default(String(fallback))
    .transform((s, ctx) => {
      const v = Number(s);
      if (!Number.isFinite(v) || v < 0 || v > max) {
        ctx.addIssue({ code: 'custom', message: `--${name} must be a number from 0 to ${max} (got "${s}")` });
        return z.NEVER;
      }
      return v;
    });
}

const SweepSchema = z.string().transform((s, ctx) => {
  const m = /^([A-Za-z][A-Za-z0-9]*)=(-?[\d.]+):(-?[\d.]+):([\d.]+)$/.exec(s.trim());
  const [a, b, step] = m ? [Number(m[2]), Number(m[3]), Number(m[4])] : [0, 0, 0];
  if (!m || !(step > 0) || b < a) {
    ctx.addIssue({
      code: 'custom',
      message: `--sweep must look like "levels=6:14:2" with from ≤ to and step > 0 (got "${s}")`,
    });
    return z.NEVER;
  }
  const values: number[] = [];
  for (let i = 0; a + i * step <= b + 1e-9; i++) values.push(Math.round((a + i * step) * 1e9) / 1e9);
  if (values.length > 1_000) {
    ctx.addIssue({ code: 'custom', message: `--sweep ${m[1]} has ${values.length} values; at most 1000` });
    return z.NEVER;
  }
  return { param: m[1]!, values };
});

export const RANK_METRICS = [
  'sharpe',
  'sortino',
  'returnPct',
  'netPnl',
  'maxDrawdownPct',
  'winRatePct',
  'calmar',
  'cagrPct',
] as const;

function spanArg(name: string, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const span = parseSpan(s);
      if (!span) {
        ctx.addIssue({ code: 'custom', message: `--${name} must look like 6m, 4w or 30d (got "${s}")` });
        return z.NEVER;
      }
      return span;
    });
}

const ArgsSchema = z.object({
  strategy: z.enum(Object.keys(BACKTEST_STRATEGIES) as [string, ...string[]], {
    error: `--strategy must be one of ${Object.keys(BACKTEST_STRATEGIES).join(', ')}`,
  }),
  symbol: SymbolSchema.default('BTCUSDT'),
  from: dateArg('from'),
  to: dateArg('to'),
  timeframe: z
    .literal('1h', { error: '--timeframe: the data is 1h; strategies read 4h/1d resampled from it' })
    .default('1h'),
  params: z.string().optional(),
  fee: pctArg('fee', 0.05, 1),
  'maker-fee': pctArg('maker-fee', 0.02, 1),
  slippage: pctArg('slippage', 0.01, 5),
  equity: pctArg('equity', 10_000, 1e9),
  'spot-usdt': z.string().optional(),
  data: z.string().optional(),
  json: z.boolean().default(false),
  report: z.string().optional(),
  'no-report': z.boolean().default(false),
  sweep: z.array(SweepSchema).default([]),
  rank: z
    .enum([...RANK_METRICS, 'return'], { error: `--rank must be one of return, ${RANK_METRICS.join(', ')}` })
    .default('sharpe')
    .transform((r) => (r === 'return' ? 'returnPct' : r)),
  top: pctArg('top', 10, 1_000),
  holdout: pctArg('holdout', 30, 90),
  workers: z.string().optional(),
  'walk-forward': z.boolean().default(false),
  'in-sample': spanArg('in-sample', '6m'),
  'out-of-sample': spanArg('out-of-sample', '1m'),
  help: z.boolean().default(false),
});
export type BacktestArgs = z.infer<typeof ArgsSchema> & { paramsJson: unknown };

export function parseBacktestArgs(argv: string[]): BacktestArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        strategy: { type: 'string' },
        symbol: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        timeframe: { type: 'string' },
        params: { type: 'string' },
        fee: { type: 'string' },
        'maker-fee': { type: 'string' },
        slippage: { type: 'string' },
        equity: { type: 'string' },
        'spot-usdt': { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean' },
        report: { type: 'string' },
        'no-report': { type: 'boolean' },
        sweep: { type: 'string', multiple: true },
        rank: { type: 'string' },
        top: { type: 'string' },
        holdout: { type: 'string' },
        workers: { type: 'string' },
        'walk-forward': { type: 'boolean' },
        'in-sample': { type: 'string' },
        'out-of-sample': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true } as BacktestArgs;
  const r = ArgsSchema.safeParse(values);
  if (!r.success) {
    throw new UsageError(
      r.error.issues
        .map((i) =>
          i.path.length && !i.message.startsWith('--') ? `--${i.path.join('.')}: ${i.message}` : i.message,
        )
        .join('\n'),
    );
  }
  if (r.data.from !== undefined && r.data.to !== undefined && r.data.to <= r.data.from) {
    throw new UsageError('--to must be after --from');
  }
  let paramsJson: unknown = {};
  if (r.data.params !== undefined) {
    try {
      paramsJson = JSON.parse(readFileSync(r.data.params, 'utf8'));
    } catch (err) {
      throw new UsageError(`--params ${r.data.params}: ${(err as Error).message}`);
    }
  }
  return { ...r.data, paramsJson };
}
