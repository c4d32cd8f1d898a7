import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { faultScenarios } from './faults.js';

defineScenarios(faultScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
