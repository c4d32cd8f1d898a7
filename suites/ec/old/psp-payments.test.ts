import { defineScenarios } from '../../../src/core/runner.js';
import { ecOldEnv, meetsOldModel } from '../../../seats/ec-old.js';
import { ecPlan } from '../plan.js';
import { pspPaymentScenarios } from './psp-payments.js';

defineScenarios(pspPaymentScenarios, (mutant) => ecOldEnv(ecPlan, mutant), { meets: meetsOldModel });
