import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { tokenScenarios } from './tokens.js';

defineScenarios(tokenScenarios, (mutant) => pspEnv(pspScenarios, mutant));
