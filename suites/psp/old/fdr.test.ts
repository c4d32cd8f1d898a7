import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { fdrOldScenarios } from './fdr.js';

defineScenarios(fdrOldScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
