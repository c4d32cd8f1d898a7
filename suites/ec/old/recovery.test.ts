import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { recoveryScenarios } from './recovery.js';

defineScenarios(recoveryScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
