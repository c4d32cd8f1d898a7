import { defineScenarios } from '../../src/core/runner.js';
import { ecEnv, meetsNewModel } from '../../seats/ec.js';
import { ecPlan } from './plan.js';
import { beneficiaryScenarios } from './beneficiaries.js';

defineScenarios(beneficiaryScenarios, (mutant) => ecEnv(ecPlan, mutant), { meets: meetsNewModel });
