import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { noticeStateScenarios } from './notice-states.js';

defineScenarios(noticeStateScenarios, (mutant) => ecEnv(ecScenarios, mutant));
