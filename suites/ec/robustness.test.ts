import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { robustnessScenarios } from './robustness.js';

defineScenarios(robustnessScenarios, (mutant) => ecEnv(ecScenarios, mutant));
