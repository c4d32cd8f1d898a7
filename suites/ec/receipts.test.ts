import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { receiptScenarios } from './receipts.js';

defineScenarios(receiptScenarios, (mutant) => ecEnv(ecScenarios, mutant));
