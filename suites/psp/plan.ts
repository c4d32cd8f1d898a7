// Every PSP scenario of both models, in catalogue order (the CLI's catalogue, coverage and mutants).
import type { ScenarioDef } from '../../src/core/scenario.js';
import { pspScenarios } from './index.js';
import { oldPspScenarios } from './old/index.js';

export const pspPlan: ScenarioDef<never>[] = [...(pspScenarios as ScenarioDef<never>[]), ...(oldPspScenarios as ScenarioDef<never>[])];
