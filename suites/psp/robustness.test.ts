import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { robustnessScenarios } from './robustness.js';

defineScenarios(robustnessScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
