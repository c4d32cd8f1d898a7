import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { wireScenarios } from './wire.js';

defineScenarios(wireScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
