// The product's configuration from the environment: ONE zod schema, the single source for defaults,
// validation, `.env.example` and the README's configuration reference.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  MarginModeSchema,
  STRATEGY_NAMES,
  type StrategyName,
  StrategyNameSchema,
  SymbolSchema,
} from '../domain/primitives.ts';
import {
  type Assignment,
  assignSymbols,
  StrategySymbolsSchema,
  symbolsInStrategyFile,
} from './strategy-symbols.ts';

/** Hard ceiling of the product: no configuration can allow more than 20x. */
export const PRODUCT_MAX_LEVERAGE = 20;

function intVar(min: number, max: number, fallback: number) {
  const msg = `an integer from ${min} to ${max}`;
  return z
    .preprocess(
      (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
      z.number({ error: msg }).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg }),
    )
    .default(fallback);
}

function numberVar(min: number, max: number, fallback: number, opts: { exclusiveMin?: boolean } = {}) {
  const msg = `a number ${opts.exclusiveMin ? 'above' : 'from'} ${min}${opts.exclusiveMin ? ' and up' : ''} to ${max}`;
  const base = z.number({ error: msg });
  const lower = opts.exclusiveMin ? base.gt(min, { error: msg }) : base.min(min, { error: msg });
  return z
    .preprocess(
      (v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : v),
      lower.max(max, { error: msg }),
    )
    .default(fallback);
}

function boolVar(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(fallback);
}

function listVar<T extends z.ZodType<string>>(item: T, what: string) {
  return z.string({ error: `a comma-separated list of ${what}` }).transform((s, ctx) => {
    const parts = s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const out: z.infer<T>[] = [];
    for (const part of parts) {
      const r = item.safeParse(part);
      if (r.success) out.push(r.data);
      else
        ctx.addIssue({ code: 'custom', message: `a comma-separated list of ${what} ("${part}" is not one)` });
    }
    if (parts.length === 0) ctx.addIssue({ code: 'custom', message: `a comma-separated list of ${what}` });
    return [...new Set(out)];
  });
}

/**
 * Every variable: its schema and one line of documentation. Order = order in `.env.example` and README.
 * Later parts of the product (DynamoDB, SQS, Telegram, exchange) add their variables here.
 */
export const ENV_VARIABLES = {
  ENABLE_FUTURES: {
    schema: boolVar(true),
    doc: 'Master switch: when false, no futures strategy ticks or opens positions.',
  },
  DEFAULT_LEVERAGE: {
    schema: intVar(1, PRODUCT_MAX_LEVERAGE, 5),
    doc: 'Leverage for new positions unless a strategy or command sets one.',
  },
  MAX_LEVERAGE: {
    schema: intVar(1, PRODUCT_MAX_LEVERAGE, 20),
    doc: 'Highest leverage any order may use (never above 20; also capped by the symbol bracket).',
  },
  MAX_POSITIONS_FUTURES: { schema: intVar(1, 20, 3), doc: 'Most futures positions open at once.' },
  POSITION_SIZE_LIMIT_PCT: {
    schema: numberVar(0, 100, 30, { exclusiveMin: true }),
    doc: 'Largest position notional, percent of account equity.',
  },
  DAILY_LOSS_LIMIT: {
    schema: numberVar(0, 100, 5, { exclusiveMin: true }),
    doc: 'Daily loss limit, percent of start-of-day (00:00 UTC) equity; reaching it halts new exposure.',
  },
  DEFAULT_FUTURES_STRATEGY: {
    schema: StrategyNameSchema.default('funding_arbitrage'),
    doc: `Strategy run by default: one of ${STRATEGY_NAMES.join(', ')}.`,
  },
  ENABLED_STRATEGIES: {
    schema: listVar(StrategyNameSchema, 'strategy names').optional(),
    doc: 'Strategies to run besides the default (comma-separated); empty = the default only.',
  },
  MARGIN_MODE: {
    schema: MarginModeSchema.default('isolated'),
    doc: 'Margin mode for new positions: isolated or cross.',
  },
  SYMBOLS: {
    schema: listVar(SymbolSchema, 'USDT-quoted symbols such as BTCUSDT').default(['BTCUSDT']),
    doc: 'Symbols the strategies not named in STRATEGY_SYMBOLS trade, and manual trades use (comma-separated).',
  },
  STRATEGY_SYMBOLS: {
    schema: StrategySymbolsSchema.optional(),
    doc: 'Which strategy trades which symbols, e.g. funding_arbitrage=BTCUSDT,ETHUSDT;grid=SOLUSDT (others trade the rest of SYMBOLS). Two strategies on one symbol are refused.',
  },
  LIQUIDATION_DISTANCE_WARN_PCT: {
    schema: numberVar(0, 100, 15, { exclusiveMin: true }),
    doc: 'Warn when the mark price is this close (percent) to a liquidation price.',
  },
  LIQUIDATION_DISTANCE_CRITICAL_PCT: {
    schema: numberVar(0, 100, 8, { exclusiveMin: true }),
    doc: 'Critical alert (bypasses cooldown) at this liquidation distance, percent.',
  },
  LIQUIDATION_DISTANCE_MIN_PCT: {
    schema: numberVar(0, 100, 5, { exclusiveMin: true }),
    doc: 'The risk engine rejects orders whose resulting liquidation distance is below this, percent.',
  },
  MARGIN_RATIO_WARN_PCT: {
    schema: numberVar(0, 100, 50, { exclusiveMin: true }),
    doc: 'Warn when the margin ratio (maintenance / margin balance) reaches this, percent.',
  },
  MARGIN_RATIO_CRITICAL_PCT: {
    schema: numberVar(0, 100, 80, { exclusiveMin: true }),
    doc: 'At this margin ratio, percent, the guardian de-risks automatically; new orders must stay below it.',
  },
  POSITION_MONITOR_INTERVAL_SECONDS: {
    schema: intVar(1, 60, 5),
    doc: "Guardian's position-check interval while exposed (stops, trailing stops, liquidation distance); one check a minute while flat.",
  },
  RISK_MONITOR_INTERVAL_SECONDS: {
    schema: intVar(1, 300, 30),
    doc: "Guardian's risk-check interval while exposed (margin ratio, daily loss); one check a minute while flat.",
  },
  FUNDING_MONITOR_INTERVAL_SECONDS: {
    schema: intVar(60, 86_400, 3_600),
    doc: 'Funding monitor interval (rates, settlements).',
  },
  PERFORMANCE_INTERVAL_SECONDS: {
    schema: intVar(60, 86_400, 300),
    doc: 'Performance snapshot interval (equity, drawdown, win rate).',
  },
  PERFORMANCE_MAX_LOSS_STREAK: {
    schema: intVar(1, 100, 5),
    doc: 'A strategy whose last this-many closed trades all lost is degraded (alert; pause if enabled).',
  },
  PERFORMANCE_MAX_DRAWDOWN_PCT: {
    schema: numberVar(0, 100, 10, { exclusiveMin: true }),
    doc: 'A strategy whose realised PnL fell this far (percent of equity) from its best is degraded.',
  },
  PERFORMANCE_AUTO_PAUSE: {
    schema: boolVar(true),
    doc: 'Pause a degraded strategy (exits and stops still run) until the trader resumes it (/strategy_resume).',
  },
  FUNDING_ALERT_RATE_PCT: {
    schema: numberVar(0, 10, 0.1, { exclusiveMin: true }),
    doc: 'Alert when a funding rate per interval reaches this size (percent, either sign).',
  },
  STRATEGY_CONFIG_FILE: {
    schema: z.string().min(1).optional(),
    doc: 'Optional JSON file of per-strategy parameters (see shared/config/strategies.example.json).',
  },
  TABLE_NAME: {
    schema: z.string().min(3).max(255).optional(),
    doc: 'DynamoDB table of the product state (set by the CDK stack; the local runtime makes its own).',
  },
  QUEUE_URL: {
    schema: z.url({ error: 'a URL' }).optional(),
    doc: 'SQS FIFO order queue URL (set by the CDK stack; the local runtime makes its own).',
  },
  EVENT_BUS_NAME: {
    schema: z.string().min(1).optional(),
    doc: 'EventBridge bus for domain events (set by the CDK stack).',
  },
  BINANCE_TESTNET: {
    schema: boolVar(false),
    doc: "Use Binance's demo-trading environment instead of the live exchange.",
  },
  BINANCE_SECRET_ID: {
    schema: z.string().min(1).optional(),
    doc: 'SSM Parameter Store SecureString (parameter name; a Secrets Manager ARN also works) holding {"apiKey","secret"} (AWS deployments).',
  },
  BINANCE_API_KEY: {
    schema: z.string().min(8, { error: 'at least 8 characters' }).optional(),
    doc: 'Binance API key, local runs only (never commit it; in AWS use BINANCE_SECRET_ID).',
    secret: true,
  },
  BINANCE_API_SECRET: {
    schema: z.string().min(8, { error: 'at least 8 characters' }).optional(),
    doc: 'Binance API secret, local runs only (never commit it; in AWS use BINANCE_SECRET_ID).',
    secret: true,
  },
  TELEGRAM_BOT_TOKEN: {
    schema: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { error: 'a bot token from BotFather (digits:letters)' })
      .optional(),
    doc: 'Telegram bot token, local runs only (in AWS: TELEGRAM_BOT_TOKEN_SECRET_ID).',
    secret: true,
  },
  TELEGRAM_BOT_TOKEN_SECRET_ID: {
    schema: z.string().min(1).optional(),
    doc: 'SSM Parameter Store SecureString (parameter name; a Secrets Manager ARN also works) holding the bot token (AWS deployments).',
  },
  TELEGRAM_WEBHOOK_SECRET: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, {
        error: "16–256 characters of A-Z a-z 0-9 _ - (Telegram's secret_token rule)",
      })
      .optional(),
    doc: 'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token; local runs only (in AWS: TELEGRAM_WEBHOOK_SECRET_SECRET_ID).',
    secret: true,
  },
  TELEGRAM_WEBHOOK_SECRET_SECRET_ID: {
    schema: z.string().min(1).optional(),
    doc: 'SSM Parameter Store SecureString (parameter name; a Secrets Manager ARN also works) holding the webhook secret (AWS deployments).',
  },
  TELEGRAM_ALLOWED_CHAT_IDS: {
    schema: z
      .string()
      .regex(/^\s*-?\d+(\s*,\s*-?\d+)*\s*$/, { error: 'comma-separated chat ids' })
      .optional(),
    doc: 'Chats allowed to command the bot (comma-separated ids); others are ignored and logged.',
  },
  TELEGRAM_ALLOWED_USER_IDS: {
    schema: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, { error: 'comma-separated user ids' })
      .optional(),
    doc: 'Users who may run account-changing commands and press their buttons (comma-separated ids); unset: anyone in an allowed chat. Set it for a group chat.',
  },
  TELEGRAM_API_ROOT: {
    schema: z.url({ error: 'a URL' }).optional(),
    doc: "Bot API base URL; default Telegram's. Tests and the local runtime point it at loopback.",
  },
  DASHBOARD_URL: {
    schema: z.url({ error: 'a URL' }).optional(),
    doc: 'Base URL of the web dashboard (set by the CDK stack on the webhook: /dashboard links point there).',
  },
  DASHBOARD_LINK_SECRET: {
    schema: z.string().min(32, { error: 'at least 32 characters' }).optional(),
    doc: 'Key of the dashboard sign-in links and sessions (HMAC-SHA-256), local runs only; unset, `npm start` makes a random one per run (in AWS: DASHBOARD_LINK_SECRET_PARAM).',
    secret: true,
  },
  DASHBOARD_LINK_SECRET_PARAM: {
    schema: z.string().min(1).optional(),
    doc: 'SSM Parameter Store SecureString holding the dashboard link secret (AWS deployments; created once by the operator).',
  },
  LOG_LEVEL: {
    schema: z
      .enum(['DEBUG', 'INFO', 'WARN', 'ERROR'], { error: 'DEBUG, INFO, WARN or ERROR' })
      .default('INFO'),
    doc: 'Log level of the structured logs.',
  },
} as const;

type Vars = typeof ENV_VARIABLES;

/** Variables whose values must never be printed or logged. */
export const SECRET_VARIABLES = new Set(
  Object.entries(ENV_VARIABLES)
    .filter(([, v]) => 'secret' in v && v.secret)
    .map(([k]) => k),
);

/** A copy of the configuration safe to print: secret values replaced by "[set]". */
export function printable(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, SECRET_VARIABLES.has(k) && v !== undefined ? '[set]' : v]),
  );
}
export type EnvVariableName = keyof Vars;
export const ENV_VARIABLE_NAMES = Object.keys(ENV_VARIABLES) as EnvVariableName[];

const shape = Object.fromEntries(ENV_VARIABLE_NAMES.map((k) => [k, ENV_VARIABLES[k].schema])) as {
  [K in EnvVariableName]: Vars[K]['schema'];
};

export const EnvSchema = z.object(shape);

/**
 * Rules between variables. Each runs when the variables it reads parsed, so one bad value never hides
 * another problem: the user sees everything to fix in one pass.
 */
const CROSS_RULES: readonly ((
  c: Partial<z.infer<typeof EnvSchema>>,
) => { variable: EnvVariableName; expected: string } | undefined)[] = [
  (c) =>
    c.DEFAULT_LEVERAGE !== undefined && c.MAX_LEVERAGE !== undefined && c.DEFAULT_LEVERAGE > c.MAX_LEVERAGE
      ? { variable: 'DEFAULT_LEVERAGE', expected: `at most MAX_LEVERAGE (${c.MAX_LEVERAGE})` }
      : undefined,
  (c) =>
    c.LIQUIDATION_DISTANCE_CRITICAL_PCT !== undefined &&
    c.LIQUIDATION_DISTANCE_WARN_PCT !== undefined &&
    c.LIQUIDATION_DISTANCE_CRITICAL_PCT >= c.LIQUIDATION_DISTANCE_WARN_PCT
      ? {
          variable: 'LIQUIDATION_DISTANCE_CRITICAL_PCT',
          expected: `below LIQUIDATION_DISTANCE_WARN_PCT (${c.LIQUIDATION_DISTANCE_WARN_PCT}): critical is closer to liquidation than warn`,
        }
      : undefined,
  (c) =>
    c.LIQUIDATION_DISTANCE_MIN_PCT !== undefined &&
    c.LIQUIDATION_DISTANCE_CRITICAL_PCT !== undefined &&
    c.LIQUIDATION_DISTANCE_MIN_PCT > c.LIQUIDATION_DISTANCE_CRITICAL_PCT
      ? {
          variable: 'LIQUIDATION_DISTANCE_MIN_PCT',
          expected: `at most LIQUIDATION_DISTANCE_CRITICAL_PCT (${c.LIQUIDATION_DISTANCE_CRITICAL_PCT}), or orders could open already in alarm`,
        }
      : undefined,
  (c) =>
    c.MARGIN_RATIO_WARN_PCT !== undefined &&
    c.MARGIN_RATIO_CRITICAL_PCT !== undefined &&
    c.MARGIN_RATIO_WARN_PCT >= c.MARGIN_RATIO_CRITICAL_PCT
      ? {
          variable: 'MARGIN_RATIO_WARN_PCT',
          expected: `below MARGIN_RATIO_CRITICAL_PCT (${c.MARGIN_RATIO_CRITICAL_PCT})`,
        }
      : undefined,
];

export type EnvConfig = z.infer<typeof EnvSchema>;

/** The product configuration: the environment, plus derived facts. */
export interface Config extends EnvConfig {
  /** The default strategy first, then the other enabled ones, each once; only those with a symbol. */
  strategies: readonly StrategyName[];
  /** Strategy → the symbols it alone trades (shared/config/strategy-symbols.ts). */
  assignment: Assignment;
  /** The implicit default strategy, when every symbol went to strategies named in STRATEGY_SYMBOLS. */
  idleStrategies: readonly StrategyName[];
}

/** One error for a bad environment, listing every bad variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly { variable: string; expected: string; got: string | undefined }[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map(
          (p) => `  - ${p.variable}: expected ${p.expected}${p.got === undefined ? '' : `, got "${p.got}"`}`,
        )
        .join('\n')}`,
    );
  }
}

/**
 * Parse the configuration from an environment (default: process.env). Empty strings count as unset,
 * so `VAR=` in an env file falls back to the default. Throws ConfigError listing every problem.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const name of ENV_VARIABLE_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value;
  }
  const parsed: Record<string, unknown> = {};
  const problems: { variable: string; expected: string; got: string | undefined }[] = [];
  for (const name of ENV_VARIABLE_NAMES) {
    const r = (ENV_VARIABLES[name].schema as z.ZodType).safeParse(input[name]);
    if (r.success) parsed[name] = r.data;
    else
      problems.push(
        ...r.error.issues.map((i) => ({ variable: name, expected: i.message, got: input[name] })),
      );
  }
  for (const rule of CROSS_RULES) {
    const p = rule(parsed as Partial<z.infer<typeof EnvSchema>>);
    if (p) problems.push({ ...p, got: input[p.variable] ?? `default ${defaultText(p.variable)}` });
  }
  const assigned = strategyAssignment(parsed as Partial<EnvConfig>, input);
  problems.push(...assigned.problems.map((p) => ({ ...p, got: input[p.variable] })));
  for (const problem of problems) {
    if (SECRET_VARIABLES.has(problem.variable))
      problem.got = problem.got === undefined ? undefined : '[hidden]';
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const c = EnvSchema.parse(input);
  const { assignment, idle } = assigned;
  const strategies = enabledStrategies(c).filter((s) => assignment[s] !== undefined);
  // SYMBOLS of the configuration: every symbol traded or watched (monitors, markets, data).
  const symbols = [...new Set([...c.SYMBOLS, ...Object.values(assignment).flat()])];
  return { ...c, SYMBOLS: symbols, strategies, assignment, idleStrategies: idle };
}

function enabledStrategies(c: Pick<EnvConfig, 'DEFAULT_FUTURES_STRATEGY' | 'ENABLED_STRATEGIES'>) {
  return [...new Set([c.DEFAULT_FUTURES_STRATEGY, ...(c.ENABLED_STRATEGIES ?? [])])];
}

/** The strategy → symbols assignment, from STRATEGY_SYMBOLS and the strategy file's `symbols`. */
function strategyAssignment(c: Partial<EnvConfig>, input: Record<string, string>) {
  if (
    c.DEFAULT_FUTURES_STRATEGY === undefined ||
    c.SYMBOLS === undefined ||
    !('STRATEGY_SYMBOLS' in c) ||
    !('ENABLED_STRATEGIES' in c)
  )
    return { assignment: {}, idle: [], problems: [] };
  let fromFile: ReturnType<typeof symbolsInStrategyFile> = { symbols: {}, problems: [] };
  if (c.STRATEGY_CONFIG_FILE !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(c.STRATEGY_CONFIG_FILE, 'utf8'));
    } catch {
      // An unreadable or invalid file is the parameter loader's to report (strategy-config.ts).
    }
    fromFile = symbolsInStrategyFile(json);
  }
  const strategies = enabledStrategies({
    DEFAULT_FUTURES_STRATEGY: c.DEFAULT_FUTURES_STRATEGY,
    ENABLED_STRATEGIES: c.ENABLED_STRATEGIES,
  });
  const named = new Set<StrategyName>(c.ENABLED_STRATEGIES ?? []);
  if (input.DEFAULT_FUTURES_STRATEGY !== undefined) named.add(c.DEFAULT_FUTURES_STRATEGY);
  const r = assignSymbols({
    strategies,
    symbols: c.SYMBOLS,
    fromEnv: c.STRATEGY_SYMBOLS ?? {},
    fromFile: fromFile.symbols,
    named,
  });
  return { ...r, problems: [...fromFile.problems, ...r.problems] };
}

/** Default value of a variable as text (for `.env.example` and the README), or '' when unset. */
export function defaultText(name: EnvVariableName): string {
  const r = (ENV_VARIABLES[name].schema as z.ZodType).safeParse(undefined);
  if (!r.success || r.data === undefined) return '';
  return Array.isArray(r.data) ? r.data.join(',') : String(r.data);
}
