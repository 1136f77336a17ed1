// A dataset whose typed arrays live in SharedArrayBuffers, so worker threads read the one copy the
// main thread loaded: posting a SharedArrayBuffer-backed array shares its memory instead of copying it
// (HTML structured clone; Node's worker_threads follow it). Walks the whole object, so series the data
// loader adds later (mark, spot, notes) are shared too without this file knowing them.
import type { Dataset } from '../market-data/dataset.ts';

function share(x: unknown): unknown {
  if (x instanceof Float64Array) {
    if (x.buffer instanceof SharedArrayBuffer) return x;
    const out = new Float64Array(new SharedArrayBuffer(x.byteLength));
    out.set(x);
    return out;
  }
  if (ArrayBuffer.isView(x) || x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(share);
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, share(v)]));
}

/** The same dataset with every Float64Array copied once into shared memory. */
export function shareDataset(d: Dataset): Dataset {
  return share(d) as Dataset;
}
