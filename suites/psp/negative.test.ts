import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { negativeScenarios } from './negative.js';

defineScenarios(negativeScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
