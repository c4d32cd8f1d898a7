import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { paymentScenarios } from './payment.js';

defineScenarios(paymentScenarios, (mutant) => ecEnv(ecScenarios, mutant));
