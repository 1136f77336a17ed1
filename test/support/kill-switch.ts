// A process death at a chosen port call: wraps a tick's ports so that the k-th call (counting every call
// on the store, queue, exchange and event bus, in order) dies — before it takes effect or just after —
// and every call after it fails too, as nothing runs in a dead process (a swallowed publish error does
// not keep it alive). `calls` logs what was called, for choosing kill points and for failure messages.
import type { TickDeps } from '../../shared/app/strategy-tick.ts';

export class Killed extends Error {
  override readonly name = 'Killed';
}

export type KillPoint = { at: number; when: 'before' | 'after' } | undefined;

export function killSwitch(deps: TickDeps, kill: KillPoint) {
  const calls: string[] = [];
  let dead = false;
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        const v = Reflect.get(t, prop, t) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          if (dead) throw new Killed(`dead: ${name}.${String(prop)} after the kill`);
          calls.push(`${name}.${String(prop)}`);
          const n = calls.length;
          if (kill?.at === n && kill.when === 'before') {
            dead = true;
            throw new Killed(`killed before ${name}.${String(prop)} (call ${n})`);
          }
          const result = await (v as (...a: unknown[]) => unknown).apply(t, args);
          if (kill?.at === n && kill.when === 'after') {
            dead = true;
            throw new Killed(`killed after ${name}.${String(prop)} (call ${n})`);
          }
          return result;
        };
      },
    });
  const wrapped: TickDeps = {
    ...deps,
    store: wrap('store', deps.store),
    queue: wrap('queue', deps.queue),
    exchange: wrap('exchange', deps.exchange),
    bus: wrap('bus', deps.bus),
  };
  return { deps: wrapped, calls, killed: () => dead };
}
