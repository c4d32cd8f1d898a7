import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { stampScenarios } from './stamps.js';

defineScenarios(stampScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
