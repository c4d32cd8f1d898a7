import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { wireScenarios } from './wire.js';

defineScenarios(wireScenarios, (mutant) => ecEnv(ecScenarios, mutant));
