import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { pspAuthorisationScenarios } from './psp-authorisation.js';

defineScenarios(pspAuthorisationScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
