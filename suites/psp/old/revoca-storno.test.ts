import { defineScenarios } from '../../../src/core/runner.js';
import { meetsOldPspModel, pspOldEnv } from '../../../seats/psp-old.js';
import { revocaStornoScenarios } from './revoca-storno.js';

defineScenarios(revocaStornoScenarios, (mutant) => pspOldEnv(mutant), { meets: meetsOldPspModel });
