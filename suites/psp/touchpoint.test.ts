import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { touchpointScenarios } from './touchpoint.js';

defineScenarios(touchpointScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
