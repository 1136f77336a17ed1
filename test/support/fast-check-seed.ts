// Property tests run on one fixed seed by default so that `npm test` (and CI) is reproducible: a
// failure names its seed and replays. `FC_SEED=<n> npm test` runs another seed, `FC_SEED=random npm test`
// a fresh one each time — use that to explore, then pin any counterexample as a unit test.
import fc from 'fast-check';

const raw = process.env.FC_SEED ?? '20261129';
if (raw !== 'random') {
  const seed = Number(raw);
  if (!Number.isInteger(seed))
    throw new Error(`FC_SEED must be an integer or "random", got ${JSON.stringify(raw)}`);
  fc.configureGlobal({ seed });
}
