// The tests Stryker runs against each mutant (npm run mutate): the fast unit and property tests of the
// domain's money rules. Kept apart from vitest.config.ts so `npm test` is unchanged.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/domain/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
