import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { spontaneousScenarios } from './spontaneous.js';

defineScenarios(spontaneousScenarios, (mutant) => ecEnv(ecScenarios, mutant));
