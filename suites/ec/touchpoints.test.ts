import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { touchpointScenarios } from './touchpoints.js';

defineScenarios(touchpointScenarios, (mutant) => ecEnv(ecScenarios, mutant));
