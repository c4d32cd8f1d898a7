import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { optionScenarios } from './options.js';

defineScenarios(optionScenarios, (mutant) => ecEnv(ecScenarios, mutant));
