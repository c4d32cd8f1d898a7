import { defineScenarios } from '../../src/runner.js';
import { ecEnv } from '../../src/seats/ec.js';
import { ecScenarios } from './index.js';
import { portalScenarios } from './portal.js';

defineScenarios(portalScenarios, (mutant) => ecEnv(ecScenarios, mutant));
