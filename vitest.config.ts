import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test`: unit and end-to-end tests (test/) and the EC suite against the bundled reference EC
// (suites/: with no COLLAUDO_PROFILE the scenarios certify the embedded reference EC, all PASS).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'suites/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // at least two files at a time: vitest's default (CPUs − 1) is one worker on a 2-core CI machine, and
    // the real-clock files (test/realclock-*) spend minutes waiting on the spec's schedules (TR-08's RT
    // push retries), idle time in which the other files can run
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
