import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { noticeStateScenarios } from './notice-states.js';

defineScenarios(noticeStateScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
