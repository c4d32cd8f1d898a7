import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { informativaScenarios } from './informativa.js';

defineScenarios(informativaScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
