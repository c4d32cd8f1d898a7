import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { isOldEcDefect } from '../../candidates/ec/old/defects.js';
import { ecPlan } from './plan.js';
import { contentScenarios } from './content.js';

defineScenarios(contentScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: (d) => !isOldEcDefect(d) });
