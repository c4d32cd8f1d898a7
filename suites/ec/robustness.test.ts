import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { robustnessScenarios } from './robustness.js';

defineScenarios(robustnessScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
