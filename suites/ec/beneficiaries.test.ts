import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { beneficiaryScenarios } from './beneficiaries.js';

defineScenarios(beneficiaryScenarios, (mutant) => ecEnv(ecScenarios, mutant));
