import { describe, expect, it } from 'vitest';
import { escapeHtml, splitMessage, TELEGRAM_LIMIT } from '../../../shared/app/telegram/format.ts';

describe('Telegram reply formatting', () => {
  it('escapes text for HTML parse mode', () => {
    expect(escapeHtml('<b>BTC</b> & "x"')).toBe('&lt;b&gt;BTC&lt;/b&gt; &amp; &quot;x&quot;');
  });

  it('splits long replies under the limit on line breaks, losing nothing', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const parts = splitMessage(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThan(TELEGRAM_LIMIT);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a single line longer than the limit', () => {
    const parts = splitMessage('y'.repeat(10_000));
    expect(parts.every((p) => p.length < TELEGRAM_LIMIT)).toBe(true);
    expect(parts.join('')).toBe('y'.repeat(10_000));
  });
});
