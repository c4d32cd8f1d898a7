// Runs a seat's suite with vitest (the runner; `--shard` splits it across CI jobs) and collects the
// scenario results from the task meta through a small reporter, decoupled from the tests.
import { startVitest } from 'vitest/node';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { ScenarioResult, Seat } from '../src/core/model.js';
import { PACKAGE_ROOT } from '../seats/ec.js';

export interface SuiteRun {
  seat: Seat;
  /** environment for the workers: COLLAUDO_PROFILE, COLLAUDO_MUTANT */
  env: Record<string, string>;
  testNamePattern?: string;
  shard?: string;
  /** how many scenarios will run, when known in advance (for the progress counter) */
  expectedTotal?: number;
  /** run the suite files one after the other (a seat whose harness listens on a fixed port) */
  sequential?: boolean;
  /** test files (default: every .test.ts under suites/<seat>) */
  include?: string[];
  /** scenarios of one file running side by side at most (vitest's maxConcurrency, default 5) */
  maxConcurrency?: number;
  onResult?: (r: ScenarioResult, done: number, total: number) => void;
}

function errorResult(tc: TestCase, seat: Seat, message: string): ScenarioResult {
  const [id = tc.name, ...rest] = tc.name.split(' ');
  return {
    id, title: rest.join(' '), titleIt: rest.join(' '), seat, requirements: [], verdict: 'ERROR',
    reason: `harness error: ${message}`, reasonIt: `errore dello strumento (dettaglio tecnico): ${message}`, checks: [], journalFile: `evidence/journal/${id}.json`, journal: [],
    startedAt: new Date().toISOString(), durationMs: tc.diagnostic()?.duration ?? 0,
  };
}

export async function runSuite(o: SuiteRun): Promise<{ results: ScenarioResult[]; harnessErrors: string[] }> {
  const results: ScenarioResult[] = [];
  const harnessErrors: string[] = [];
  let total = o.expectedTotal ?? 0;
  const reporter: Reporter = {
    onTestModuleCollected(m: TestModule) {
      if (o.expectedTotal === undefined) for (const _ of m.children.allTests()) total++;
    },
    onTestCaseResult(tc: TestCase) {
      const state = tc.result().state;
      if (state === 'skipped' || state === 'pending') return; // filtered out by --scenario/--grep
      const meta = tc.meta().collaudo;
      const r = meta ?? errorResult(tc, o.seat, tc.result().errors?.map((e) => e.message).join('; ') ?? 'the test produced no result');
      const mutant = tc.meta().collaudoMutant;
      if (mutant) r.mutant = mutant;
      results.push(r);
      o.onResult?.(r, results.length, total);
    },
    onTestRunEnd(_m, unhandled) {
      for (const e of unhandled) harnessErrors.push(`${e.name ?? 'Error'}: ${e.message}`);
    },
  };
  const vitest = await startVitest(
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      include: o.include ?? [`suites/${o.seat}/**/*.test.ts`],
      watch: false,
      reporters: [reporter],
      env: o.env,
      testNamePattern: o.testNamePattern,
      shard: o.shard,
      passWithNoTests: true,
      silent: true,
      // no results cache: it would be written inside the installed package (node_modules/collaudo)
      cache: false,
      // scenario files share loaded modules (schemas compiled once per worker); each file still
      // builds its own environment, clock and reference parts, so nothing leaks between them
      isolate: false,
      ...(o.sequential ? { fileParallelism: false, maxWorkers: 1 } : {}),
      ...(o.maxConcurrency ? { maxConcurrency: o.maxConcurrency } : {}),
    },
    { logLevel: 'silent', cacheDir: undefined },
  );
  await vitest.close();
  return { results, harnessErrors };
}
