// The PSP seat's scenarios, in catalogue order.
import { type ScenarioDef, validateScenarios } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { paymentScenarios } from './payment.js';
import { faultScenarios } from './faults.js';
import { tokenScenarios } from './tokens.js';
import { negativeScenarios } from './negative.js';
import { touchpointScenarios } from './touchpoint.js';
import { spontaneousScenarios } from './spontaneous.js';
import { robustnessScenarios } from './robustness.js';
import { fdrScenarios } from './fdr.js';

export const pspScenarios: ScenarioDef<PspContext>[] = validateScenarios([
  ...paymentScenarios,
  ...faultScenarios,
  ...tokenScenarios,
  ...negativeScenarios,
  ...touchpointScenarios,
  ...spontaneousScenarios,
  ...robustnessScenarios,
  ...fdrScenarios,
]);
