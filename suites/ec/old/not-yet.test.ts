import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { notYetScenarios } from './not-yet.js';

defineScenarios(notYetScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
