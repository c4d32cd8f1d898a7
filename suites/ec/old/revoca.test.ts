import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { revocaScenarios } from './revoca.js';

defineScenarios(revocaScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
