import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDescriptions, renderResultsTable } from '../../shared/backtest/results-table.ts';

describe('README strategy results', () => {
  it('are exactly what the backtester produces today on the shipped data', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(renderResultsTable());
  });

  it("carry each strategy's own description (the text /help shows)", () => {
    expect(readFileSync('README.md', 'utf8')).toContain(renderDescriptions());
  });
});
