import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { integrationScenarios } from './integration.js';

defineScenarios(integrationScenarios, (mutant) => ecEnv(ecScenarios, mutant));
