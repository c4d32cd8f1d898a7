import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { noticeStateScenarios } from './notice-states.js';

defineScenarios(noticeStateScenarios, (mutant) => ecEnv(ecScenarios, mutant));
