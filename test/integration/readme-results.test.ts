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

describe('README Telegram command reference', () => {
  it('is generated from the registry that parses the commands', async () => {
    const { renderCommandReference } = await import('../../shared/app/telegram/docs.ts');
    expect(readFileSync('README.md', 'utf8')).toContain(renderCommandReference());
  });
});
