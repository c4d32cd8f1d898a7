import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { negativeScenarios } from './negative.js';

defineScenarios(negativeScenarios, (mutant) => pspEnv(pspScenarios, mutant));
