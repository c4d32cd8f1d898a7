import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { integrationScenarios } from './integration.js';

defineScenarios(integrationScenarios, (mutant) => ecEnv(ecScenarios, mutant));
