import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { multiBeneficiaryScenarios } from './multi-beneficiary.js';

defineScenarios(multiBeneficiaryScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
