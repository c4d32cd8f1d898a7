import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { negativeScenarios } from './negative.js';

defineScenarios(negativeScenarios, (mutant) => ecEnv(ecScenarios, mutant));
