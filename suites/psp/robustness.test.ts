import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { robustnessScenarios } from './robustness.js';

defineScenarios(robustnessScenarios, (mutant) => pspEnv(pspScenarios, mutant));
