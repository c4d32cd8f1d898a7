import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv } from '../../../seats/ec-old.js';
import { isOldEcDefect } from '../../../candidates/ec/old/defects.js';
import { ecPlan } from '../plan.js';
import { recoveryScenarios } from './recovery.js';

defineScenarios(recoveryScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: isOldEcDefect });
