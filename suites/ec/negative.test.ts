import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { negativeScenarios } from './negative.js';

defineScenarios(negativeScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
