// `npm start` on two symbols whose shipped perp series end at different times (ETHUSDT 2026-05-17
// 07:00, BTCUSDT 2026-09-30 23:00): one time grid, cut to the common span, and the run says so.
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { loadConfig } from '../../../shared/config/env.ts';

describe('local runtime data notes', () => {
  it('BTCUSDT and ETHUSDT run on their common span, and the result says which and why', async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const rt = await startLocalRuntime({
      config: loadConfig({ SYMBOLS: 'BTCUSDT,ETHUSDT', DEFAULT_FUTURES_STRATEGY: 'grid' }),
      store: 'memory',
      telegram: false,
      from: Date.UTC(2026, 4, 17, 0),
      hours: 3,
    });
    await rt.run();
    await rt.stop();
    expect(rt.sim.length).toBe(55_880); // the ETHUSDT perp's 55,880 bars from 2020-01-01 00:00
    const notes = rt.result().dataNotes;
    expect(notes[0]).toMatch(
      /^BTCUSDT, ETHUSDT simulated on their common span 2020-01-01 00:00 → 2026-05-17 07:00 .*BTCUSDT 2020-01-01 00:00 → 2026-09-30 23:00/,
    );
    expect(notes).toContain('ETHUSDT mark: mark-price candles 2026-05-17 00:00 → 2026-05-17 02:00');
  }, 120_000);
});
