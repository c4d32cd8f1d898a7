import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { optionScenarios } from './options.js';

defineScenarios(optionScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
