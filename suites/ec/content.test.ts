import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { contentScenarios } from './content.js';

defineScenarios(contentScenarios, (mutant) => ecEnv(ecScenarios, mutant));
