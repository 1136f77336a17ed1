import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config/env.ts';
import { parseStrategyParams } from '../../../shared/config/strategy-config.ts';
import { strategySymbolPairs } from '../../../shared/config/strategy-symbols.ts';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('strategy → symbols assignment', () => {
  it('refuses two enabled strategies on one symbol, naming both and the symbol', () => {
    const m = problems({
      DEFAULT_FUTURES_STRATEGY: 'grid',
      ENABLED_STRATEGIES: 'volatility_breakout',
      SYMBOLS: 'BTCUSDT',
    });
    expect(m).toMatch(/Invalid configuration \(1 problem\)/);
    expect(m).toMatch(/grid and volatility_breakout would both trade BTCUSDT/);
  });

  it('one problem per shared symbol: two symbols shared by the same pair are two lines', () => {
    const m = problems({
      DEFAULT_FUTURES_STRATEGY: 'grid',
      ENABLED_STRATEGIES: 'volatility_breakout',
      SYMBOLS: 'BTCUSDT,ETHUSDT',
    });
    expect(m).toMatch(/\(2 problems\)/);
    expect(m).toMatch(/would both trade BTCUSDT/);
    expect(m).toMatch(/would both trade ETHUSDT/);
  });

  it('each strategy on its own symbols passes; SYMBOLS becomes every traded symbol', () => {
    const c = loadConfig({
      DEFAULT_FUTURES_STRATEGY: 'grid',
      ENABLED_STRATEGIES: 'volatility_breakout,long_short_switch',
      SYMBOLS: 'BTCUSDT',
      STRATEGY_SYMBOLS: 'volatility_breakout=ETHUSDT; long_short_switch=SOLUSDT,XRPUSDT',
    });
    expect(c.assignment).toEqual({
      grid: ['BTCUSDT'],
      volatility_breakout: ['ETHUSDT'],
      long_short_switch: ['SOLUSDT', 'XRPUSDT'],
    });
    expect([...c.SYMBOLS].sort()).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']);
    expect(strategySymbolPairs(c.assignment)).toHaveLength(4);
  });

  it('strategies not named trade what is left of SYMBOLS; the implicit default with nothing left is idle', () => {
    // funding_arbitrage is the default strategy (not set in this environment); grid takes BTCUSDT by
    // name and volatility_breakout ETHUSDT, so nothing of SYMBOLS is left for it.
    const c = loadConfig({
      ENABLED_STRATEGIES: 'grid,volatility_breakout',
      SYMBOLS: 'BTCUSDT',
      STRATEGY_SYMBOLS: 'grid=BTCUSDT;volatility_breakout=ETHUSDT',
    });
    expect(c.strategies).toEqual(['grid', 'volatility_breakout']);
    expect(c.idleStrategies).toEqual(['funding_arbitrage']);
    const d = loadConfig({
      ENABLED_STRATEGIES: 'grid',
      SYMBOLS: 'BTCUSDT,ETHUSDT',
      STRATEGY_SYMBOLS: 'grid=BTCUSDT',
    });
    expect(d.assignment).toEqual({ funding_arbitrage: ['ETHUSDT'], grid: ['BTCUSDT'] });
  });

  it('a strategy the trader named that is left without a symbol is refused', () => {
    expect(
      problems({
        DEFAULT_FUTURES_STRATEGY: 'grid',
        ENABLED_STRATEGIES: 'volatility_breakout',
        SYMBOLS: 'BTCUSDT',
        STRATEGY_SYMBOLS: 'volatility_breakout=BTCUSDT',
      }),
    ).toMatch(/grid has none/);
  });

  it.each([['grid'], ['martingale=BTCUSDT'], ['grid=btcusdt'], ['grid=BTCUSDT;grid=ETHUSDT'], ['grid=']])(
    'STRATEGY_SYMBOLS=%s is refused',
    (value) => {
      expect(problems({ STRATEGY_SYMBOLS: value })).toMatch(/STRATEGY_SYMBOLS: expected/);
    },
  );

  it('the strategy file may assign symbols; the environment wins for a strategy both name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'symbols-'));
    const file = join(dir, 's.json');
    writeFileSync(
      file,
      JSON.stringify({
        grid: { symbols: ['SOLUSDT'], levels: 12 },
        volatility_breakout: { symbols: ['XRPUSDT'] },
      }),
    );
    const c = loadConfig({
      DEFAULT_FUTURES_STRATEGY: 'grid',
      ENABLED_STRATEGIES: 'volatility_breakout',
      STRATEGY_CONFIG_FILE: file,
      STRATEGY_SYMBOLS: 'volatility_breakout=ETHUSDT',
    });
    expect(c.assignment).toEqual({ grid: ['SOLUSDT'], volatility_breakout: ['ETHUSDT'] });
    expect(parseStrategyParams({ grid: { symbols: ['SOLUSDT'], levels: 12 } }).grid.levels).toBe(12);
    expect(() => parseStrategyParams({ grid: { symbols: [] } })).toThrow(/grid\.symbols/);
  });
});

describe('npm run config:check', () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'shared/config/check.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });

  it('exits non-zero naming both strategies and BTCUSDT', () => {
    const r = run({ ENABLED_STRATEGIES: 'grid,volatility_breakout', SYMBOLS: 'BTCUSDT' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/grid/);
    expect(r.stderr).toMatch(/volatility_breakout/);
    expect(r.stderr).toMatch(/would all trade BTCUSDT/);
  });

  it('passes once each has its own symbol', () => {
    const r = run({
      ENABLED_STRATEGIES: 'grid,volatility_breakout',
      SYMBOLS: 'BTCUSDT',
      STRATEGY_SYMBOLS: 'grid=BTCUSDT;volatility_breakout=ETHUSDT',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).config.assignment).toEqual({
      grid: ['BTCUSDT'],
      volatility_breakout: ['ETHUSDT'],
    });
  });
});
