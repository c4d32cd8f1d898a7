import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { integrationScenarios } from './integration.js';

defineScenarios(integrationScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
