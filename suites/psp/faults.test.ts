import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { faultScenarios } from './faults.js';

defineScenarios(faultScenarios, (mutant) => pspEnv(pspScenarios, mutant));
