import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { wireScenarios } from './wire.js';

defineScenarios(wireScenarios, (mutant) => ecEnv(ecScenarios, mutant));
