import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { touchpointScenarios } from './touchpoints.js';

defineScenarios(touchpointScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
