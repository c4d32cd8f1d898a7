import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { wireScenarios } from './wire.js';

defineScenarios(wireScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
