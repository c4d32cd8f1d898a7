import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
