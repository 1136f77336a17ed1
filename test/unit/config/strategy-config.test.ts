import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config/env.ts';
import { loadStrategyParams, parseStrategyParams } from '../../../shared/config/strategy-config.ts';

function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('strategy parameters', () => {
  it('fills every strategy with its defaults (funding 2x, grid 10 levels, breakout 10x)', () => {
    const p = parseStrategyParams({});
    expect(p.funding_arbitrage.leverage).toBe(2);
    expect(p.grid.levels).toBe(10);
    expect(p.volatility_breakout.leverage).toBe(10);
  });

  it('overrides only what the file sets', () => {
    const p = parseStrategyParams({ grid: { levels: 12 } });
    expect(p.grid.levels).toBe(12);
    expect(p.grid.atrMultiple).toBe(3);
  });

  it('the shipped example file is valid', () => {
    expect(() => loadStrategyParams('shared/config/strategies.example.json')).not.toThrow();
  });

  it.each([
    [{ martingale: {} }, /martingale: expected no such key/],
    [{ grid: { levelz: 12 } }, /grid\.levelz: expected no such key/],
    [{ grid: { levels: 1 } }, /grid\.levels/],
    [{ volatility_breakout: { leverage: 25 } }, /volatility_breakout\.leverage/],
    [[1, 2], /\(root\)/],
  ])('rejects %o with the path of the problem', (json, pattern) => {
    expect(messageOf(() => parseStrategyParams(json))).toMatch(pattern);
  });

  it('names the file when it is missing or not JSON', () => {
    expect(messageOf(() => loadStrategyParams('/nonexistent/strategies.json'))).toMatch(
      /STRATEGY_CONFIG_FILE: expected a readable JSON file/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'acf-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ grid: ');
    expect(messageOf(() => loadStrategyParams(bad))).toMatch(/STRATEGY_CONFIG_FILE: expected valid JSON/);
  });
});
