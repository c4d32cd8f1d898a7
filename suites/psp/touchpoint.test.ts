import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { touchpointScenarios } from './touchpoint.js';

defineScenarios(touchpointScenarios, (mutant) => pspEnv(pspScenarios, mutant));
