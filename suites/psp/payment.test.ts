import { defineScenarios } from '../../src/core/runner.js';
import { meetsNewPspModel, pspEnv } from '../../seats/psp.js';
import { pspScenarios } from './index.js';
import { paymentScenarios } from './payment.js';

defineScenarios(paymentScenarios, (mutant) => pspEnv(pspScenarios, mutant), { meets: meetsNewPspModel });
