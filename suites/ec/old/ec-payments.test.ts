import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { ecPaymentScenarios } from './ec-payments.js';

defineScenarios(ecPaymentScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
