// Time, injected: use cases never read the system clock directly, so tests and replays control it.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
