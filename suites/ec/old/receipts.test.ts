import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { receiptScenarios } from './receipts.js';

defineScenarios(receiptScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
