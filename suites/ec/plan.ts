// Every EC scenario of both models, in catalogue order: each environment plans the candidate's
// notices over this one list, so a scenario of one model never takes a notice one of the other uses.
import { ecScenarios } from './index.js';
import { oldEcScenarios } from './old/index.js';
import type { PlanEntry } from '../../seats/ec.js';

export const ecPlan: PlanEntry[] = [...ecScenarios, ...oldEcScenarios];
