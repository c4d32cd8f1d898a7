import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { loadScenarios } from './load.js';

defineScenarios(loadScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
