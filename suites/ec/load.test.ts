import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { loadScenarios } from './load.js';

defineScenarios(loadScenarios, (mutant) => ecEnv(ecScenarios, mutant));
