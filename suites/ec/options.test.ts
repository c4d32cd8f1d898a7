import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { optionScenarios } from './options.js';

defineScenarios(optionScenarios, (mutant) => ecEnv(ecScenarios, mutant));
