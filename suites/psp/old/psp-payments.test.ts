import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { pspPaymentScenarios } from './psp-payments.js';

defineScenarios(pspPaymentScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
