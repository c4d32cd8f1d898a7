import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { portalScenarios } from './portal.js';

defineScenarios(portalScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
