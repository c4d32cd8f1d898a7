import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { ecStartedScenarios } from './ec-started.js';

defineScenarios(ecStartedScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
