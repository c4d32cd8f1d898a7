import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { beneficiaryScenarios } from './beneficiaries.js';

defineScenarios(beneficiaryScenarios, (mutant) => ecEnv(ecScenarios, mutant));
