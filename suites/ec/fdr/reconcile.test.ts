import { defineScenarios } from '../../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../../seats/ec.js';
import { ecPlan } from '../plan.js';
import { reconcileScenarios } from './reconcile.js';

defineScenarios(reconcileScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
