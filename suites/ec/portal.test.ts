import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv } from '../../seats/ec.js';
import { ecScenarios } from './index.js';
import { portalScenarios } from './portal.js';

defineScenarios(portalScenarios, (mutant) => ecEnv(ecScenarios, mutant));
