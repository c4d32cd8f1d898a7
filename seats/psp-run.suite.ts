// Every PSP scenario in one vitest file, for `collaudo run` against an external PSP on the real
// clock (cli/certify.ts): one environment, so one Nodo on the profile's fixed port serves the
// whole run, and the scenarios run side by side, each charged only the traffic whose keys it owns;
// the run lasts about its longest wait, not the sum. `--shard i/n` arrives as COLLAUDO_SHARD and
// picks every n-th scenario (vitest's own sharding splits files, and this is one file).
// The bundled self-tests (demo, mutants) keep suites/psp/*.test.ts: one file per area, virtual clock.
import { defineScenarios, selectedScenarios, shardOf } from '../src/core/runner.js';
import { pspEnv, pspRunOptions } from './psp.js';
import { pspScenarios } from '../suites/psp/index.js';

defineScenarios(shardOf(pspScenarios, process.env.COLLAUDO_SHARD, selectedScenarios()), (mutant) => pspEnv(pspScenarios, mutant), pspRunOptions());
