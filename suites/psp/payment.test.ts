import { defineScenarios } from '../../src/runner.js';
import { pspEnv } from '../../src/seats/psp.js';
import { pspScenarios } from './index.js';
import { paymentScenarios } from './payment.js';

defineScenarios(paymentScenarios, (mutant) => pspEnv(pspScenarios, mutant));
