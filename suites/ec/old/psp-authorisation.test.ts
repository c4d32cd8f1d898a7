import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { pspAuthorisationScenarios } from './psp-authorisation.js';

defineScenarios(pspAuthorisationScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
