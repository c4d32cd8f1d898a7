import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
