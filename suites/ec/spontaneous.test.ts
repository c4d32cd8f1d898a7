import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => ecEnv(ecScenarios, mutant));
