import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { paymentScenarios } from './payment.js';

defineScenarios(paymentScenarios, (mutant) => ecEnv(ecScenarios, mutant));
