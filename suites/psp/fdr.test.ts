import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { fdrScenarios } from './fdr.js';

defineScenarios(fdrScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
