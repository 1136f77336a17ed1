// The loopback Binance stub for one test file: started before its tests, stopped after them, its
// replays and recorded requests cleared after each test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type BinanceStub, startBinanceStub } from './binance-stub.ts';

/** The stub, filled in before the file's first test (its fields and methods are the started stub's). */
export function useBinanceStub(now: () => number): BinanceStub {
  const stub = {} as BinanceStub;
  beforeAll(async () => {
    Object.assign(stub, await startBinanceStub(now));
  });
  afterAll(async () => {
    await stub.stop?.();
  });
  afterEach(() => {
    stub.clearReplays();
    stub.requests.length = 0;
  });
  return stub;
}
