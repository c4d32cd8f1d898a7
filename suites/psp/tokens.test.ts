import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { tokenScenarios } from './tokens.js';

defineScenarios(tokenScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
