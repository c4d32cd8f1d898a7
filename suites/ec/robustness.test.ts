import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { robustnessScenarios } from './robustness.js';

defineScenarios(robustnessScenarios, (mutant) => ecEnv(ecScenarios, mutant));
