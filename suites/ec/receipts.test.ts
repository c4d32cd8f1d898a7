import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { receiptScenarios } from './receipts.js';

defineScenarios(receiptScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
