import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { negativeScenarios } from './negative.js';

defineScenarios(negativeScenarios, (mutant) => ecEnv(ecScenarios, mutant));
