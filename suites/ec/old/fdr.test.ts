import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { fdrScenarios } from './fdr.js';

defineScenarios(fdrScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
