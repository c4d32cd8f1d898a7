import { defineConfig } from 'vitest/config';

// `npm test`: unit and end-to-end tests (test/) and the EC suite against the bundled reference EC
// (suites/: with no COLLAUDO_PROFILE the scenarios certify the embedded reference EC, all PASS).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'suites/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
