import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { paymentScenarios } from './payment.js';

defineScenarios(paymentScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
