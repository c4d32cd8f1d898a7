import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { rtPushScenarios } from './rt-push.js';

defineScenarios(rtPushScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
