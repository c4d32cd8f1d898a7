import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { touchpointScenarios } from './touchpoints.js';

defineScenarios(touchpointScenarios, (mutant) => ecEnv(ecScenarios, mutant));
