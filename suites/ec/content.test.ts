import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { contentScenarios } from './content.js';

defineScenarios(contentScenarios, (mutant) => ecEnv(ecScenarios, mutant));
