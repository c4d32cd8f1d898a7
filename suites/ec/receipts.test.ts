import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { receiptScenarios } from './receipts.js';

defineScenarios(receiptScenarios, (mutant) => ecEnv(ecScenarios, mutant));
