import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { pullProgressScenarios } from './pull-progress.js';

defineScenarios(pullProgressScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
