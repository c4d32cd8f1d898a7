import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { rptFaultScenarios } from './rpt-faults.js';

defineScenarios(rptFaultScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
