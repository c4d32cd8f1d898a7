// Every old-model PSP scenario in one vitest file, for `collaudo run` against an external PSP (cli/certify.ts):
// one environment, so one old-model Nodo on the profile's fixed port serves them all, one scenario at a
// time (the Nodo's records outlive a scenario; each binds its journal in turn). Runs after
// ./psp-run.suite.ts (one file at a time: both listen on harness.listen). The bundled self-tests keep
// suites/psp/old/*.test.ts, on the virtual clock.
import { defineScenarios, selectedScenarios, shardOf } from '../src/core/runner.js';
import { pspOldEnv } from './psp-old.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';

defineScenarios(shardOf(oldPspScenarios, process.env.COLLAUDO_SHARD, selectedScenarios()), (mutant) => pspOldEnv(mutant), { timeoutMs: 30 * 60_000 });
