import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { loadScenarios } from './load.js';

defineScenarios(loadScenarios, (mutant) => ecEnv(ecScenarios, mutant));
