import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
