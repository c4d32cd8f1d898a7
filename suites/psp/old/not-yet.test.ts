import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { notYetScenarios } from './not-yet.js';

defineScenarios(notYetScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
