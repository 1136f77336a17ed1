// Per-strategy parameters from a JSON file, validated against each strategy's schema. Unknown
// strategies and unknown keys are errors (a typo must not silently run a default).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { STRATEGY_PARAM_SCHEMAS, type StrategyParams } from '../strategies/params.ts';
import { ConfigError } from './env.ts';
import { StrategyFileSymbolsSchema } from './strategy-symbols.ts';

const FileSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(STRATEGY_PARAM_SCHEMAS).map(([name, schema]) => [name, schema.optional()]),
  ) as { [K in keyof typeof STRATEGY_PARAM_SCHEMAS]: z.ZodOptional<(typeof STRATEGY_PARAM_SCHEMAS)[K]> },
);

/**
 * A strategy's entry may also carry `symbols` (its assignment, read by loadConfig through
 * strategy-symbols.ts): checked here and removed before the parameters are validated.
 */
function withoutSymbols(json: unknown): { params: unknown; problems: { path: string; message: string }[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { params: json, problems: [] };
  const problems: { path: string; message: string }[] = [];
  const params = Object.fromEntries(
    Object.entries(json).map(([name, entry]) => {
      if (typeof entry !== 'object' || entry === null || !('symbols' in entry)) return [name, entry];
      const { symbols, ...rest } = entry as Record<string, unknown>;
      if (!StrategyFileSymbolsSchema.safeParse(symbols).success)
        problems.push({
          path: `${name}.symbols`,
          message: 'a non-empty list of USDT-quoted symbols such as ["BTCUSDT"]',
        });
      return [name, rest];
    }),
  );
  return { params, problems };
}

/** Validate parsed JSON; missing strategies get their defaults. Throws ConfigError listing every problem. */
export function parseStrategyParams(json: unknown, origin = 'strategy config'): StrategyParams {
  const stripped = withoutSymbols(json ?? {});
  if (stripped.problems.length > 0)
    throw new ConfigError(
      stripped.problems.map((p) => ({
        variable: `${origin}: ${p.path}`,
        expected: p.message,
        got: undefined,
      })),
    );
  const r = FileSchema.safeParse(stripped.params);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.flatMap((i) => {
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({
            variable: `${origin}: ${[...i.path, k].join('.')}`,
            expected: 'no such key (check the spelling against shared/config/strategies.example.json)',
            got: undefined,
          }));
        }
        return [
          { variable: `${origin}: ${i.path.join('.') || '(root)'}`, expected: i.message, got: undefined },
        ];
      }),
    );
  }
  const out = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(STRATEGY_PARAM_SCHEMAS)) {
    out[name] = (r.data as Record<string, unknown>)[name] ?? schema.parse({});
  }
  return out as StrategyParams;
}

/** Read and validate a strategy file; without a path, every strategy runs on its defaults. */
export function loadStrategyParams(path: string | undefined): StrategyParams {
  if (path === undefined) return parseStrategyParams({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([
      {
        variable: 'STRATEGY_CONFIG_FILE',
        expected: `a readable JSON file (${(err as Error).message})`,
        got: path,
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([
      { variable: 'STRATEGY_CONFIG_FILE', expected: `valid JSON (${(err as Error).message})`, got: path },
    ]);
  }
  return parseStrategyParams(json, path);
}

export function loadStrategyParamsOrExit(path: string | undefined): StrategyParams {
  try {
    return loadStrategyParams(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
