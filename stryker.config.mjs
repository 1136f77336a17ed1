// Mutation testing of the money rules (npm run mutate; not part of npm test). Report: reports/mutation/.
// String-literal mutants are excluded: they only change the wording of refusal messages, which no rule
// depends on (decisions are made on `accepted`, never on message text).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  mutate: ['shared/domain/futures-math.ts', 'shared/domain/risk/*.ts', 'shared/domain/precision.ts'],
  mutator: { excludedMutations: ['StringLiteral'] },
  checkers: [],
  concurrency: 2,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
