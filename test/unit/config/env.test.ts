import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable, renderEnvExample } from '../../../shared/config/docs.ts';
import { ConfigError, ENV_VARIABLE_NAMES, loadConfig } from '../../../shared/config/env.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig defaults', () => {
  it('gives the product defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      ENABLE_FUTURES: true,
      DEFAULT_LEVERAGE: 5,
      MAX_LEVERAGE: 20,
      MAX_POSITIONS_FUTURES: 3,
      POSITION_SIZE_LIMIT_PCT: 30,
      DAILY_LOSS_LIMIT: 5,
      DEFAULT_FUTURES_STRATEGY: 'funding_arbitrage',
      MARGIN_MODE: 'isolated',
      SYMBOLS: ['BTCUSDT'],
      POSITION_MONITOR_INTERVAL_SECONDS: 5,
      RISK_MONITOR_INTERVAL_SECONDS: 30,
      FUNDING_MONITOR_INTERVAL_SECONDS: 3600,
      PERFORMANCE_INTERVAL_SECONDS: 300,
    });
    expect(c.strategies).toEqual(['funding_arbitrage']);
  });

  it('treats an empty value as unset and parses lists, booleans and numbers', () => {
    const c = loadConfig({
      DEFAULT_LEVERAGE: '',
      ENABLE_FUTURES: '0',
      SYMBOLS: ' BTCUSDT , ETHUSDT,BTCUSDT ',
      ENABLED_STRATEGIES: 'grid,funding_arbitrage',
      STRATEGY_SYMBOLS: 'grid=ETHUSDT',
      POSITION_SIZE_LIMIT_PCT: '12.5',
    });
    expect(c.DEFAULT_LEVERAGE).toBe(5);
    expect(c.ENABLE_FUTURES).toBe(false);
    expect(c.SYMBOLS).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(c.strategies).toEqual(['funding_arbitrage', 'grid']);
    expect(c.POSITION_SIZE_LIMIT_PCT).toBe(12.5);
  });
});

describe('loadConfig rejections', () => {
  it('lists every bad variable in one error, with what is expected and what was given', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ MAX_LEVERAGE: '50', DEFAULT_LEVERAGE: 'abc' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('MAX_LEVERAGE: expected an integer from 1 to 20, got "50"');
    expect(error?.message).toContain('DEFAULT_LEVERAGE: expected an integer from 1 to 20, got "abc"');
  });

  it.each([
    ['ENABLE_FUTURES', 'yes'],
    ['DEFAULT_LEVERAGE', '0'],
    ['DEFAULT_LEVERAGE', '2.5'],
    ['MAX_LEVERAGE', '21'],
    ['MAX_POSITIONS_FUTURES', '0'],
    ['POSITION_SIZE_LIMIT_PCT', '0'],
    ['POSITION_SIZE_LIMIT_PCT', '101'],
    ['DAILY_LOSS_LIMIT', '-5'],
    ['DAILY_LOSS_LIMIT', '5%'],
    ['DEFAULT_FUTURES_STRATEGY', 'martingale'],
    ['ENABLED_STRATEGIES', 'grid,martingale'],
    ['MARGIN_MODE', 'portfolio'],
    ['SYMBOLS', 'btcusdt'],
    ['SYMBOLS', 'BTCUSD'],
    ['SYMBOLS', ','],
    ['LIQUIDATION_DISTANCE_WARN_PCT', 'NaN'],
    ['LIQUIDATION_DISTANCE_CRITICAL_PCT', 'Infinity'],
    ['LIQUIDATION_DISTANCE_MIN_PCT', '0'],
    ['MARGIN_RATIO_WARN_PCT', '150'],
    ['MARGIN_RATIO_CRITICAL_PCT', '-1'],
    ['POSITION_MONITOR_INTERVAL_SECONDS', '0'],
    ['RISK_MONITOR_INTERVAL_SECONDS', '1e3'],
    ['FUNDING_MONITOR_INTERVAL_SECONDS', '30'],
    ['PERFORMANCE_INTERVAL_SECONDS', 'five'],
    ['LOG_LEVEL', 'verbose'],
  ])('%s=%s is rejected by name', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([name]);
  });

  it.each([
    [{ DEFAULT_LEVERAGE: '10', MAX_LEVERAGE: '5' }, 'DEFAULT_LEVERAGE'],
    [{ LIQUIDATION_DISTANCE_CRITICAL_PCT: '20' }, 'LIQUIDATION_DISTANCE_CRITICAL_PCT'],
    [{ LIQUIDATION_DISTANCE_MIN_PCT: '9' }, 'LIQUIDATION_DISTANCE_MIN_PCT'],
    [{ MARGIN_RATIO_WARN_PCT: '80' }, 'MARGIN_RATIO_WARN_PCT'],
  ])('cross-field rule: %o is rejected on %s', (env, name) => {
    expect(problemsOf(env)).toEqual([name]);
  });

  it('reports a cross-field problem even when another variable is also bad', () => {
    expect(problemsOf({ DEFAULT_LEVERAGE: 'abc', MARGIN_RATIO_WARN_PCT: '90' })).toEqual([
      'DEFAULT_LEVERAGE',
      'MARGIN_RATIO_WARN_PCT',
    ]);
  });
});

describe('start-up with a bad environment', () => {
  it('exits non-zero with one readable error naming both variables', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      env: { ...process.env, MAX_LEVERAGE: '50', DEFAULT_LEVERAGE: 'abc' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Invalid configuration \(2 problems\)/);
    expect(r.stderr).toMatch(/MAX_LEVERAGE/);
    expect(r.stderr).toMatch(/DEFAULT_LEVERAGE/);
    expect(r.stdout).not.toMatch(/configuration OK/);
  });
});

describe('documentation matches the schema', () => {
  it('.env.example is exactly what the schema renders', () => {
    expect(readFileSync('.env.example', 'utf8')).toBe(renderEnvExample());
  });

  it('.env.example names every variable of the schema and no other', () => {
    const keys = readFileSync('.env.example', 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.slice(0, l.indexOf('=')));
    expect(keys).toEqual(ENV_VARIABLE_NAMES);
  });

  it('.env.example itself is a valid configuration', () => {
    const env = Object.fromEntries(
      readFileSync('.env.example', 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });

  it("the README's configuration table is exactly what the schema renders", () => {
    expect(readFileSync('README.md', 'utf8')).toContain(renderConfigTable());
  });
});

describe('secrets in configuration', () => {
  it('never echoes a secret value in an error or in the printable configuration', async () => {
    const { printable } = await import('../../../shared/config/env.ts');
    let message = '';
    try {
      loadConfig({ BINANCE_API_SECRET: 'short' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('BINANCE_API_SECRET');
    expect(message).not.toContain('short');
    const c = loadConfig({ BINANCE_API_KEY: 'key-1234567890', BINANCE_API_SECRET: 'secret-1234567890' });
    const shown = JSON.stringify(printable({ ...c }));
    expect(shown).not.toContain('secret-1234567890');
    expect(shown).not.toContain('key-1234567890');
  });
});
