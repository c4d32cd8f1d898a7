import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => pspEnv(pspScenarios, mutant));
