import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
