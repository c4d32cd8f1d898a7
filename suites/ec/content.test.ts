import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { contentScenarios } from './content.js';

defineScenarios(contentScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
