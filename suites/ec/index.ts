// The EC seat's scenarios, in catalogue order (notice allocation and reports follow this order).
import { type ScenarioDef, validateScenarios } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { paymentScenarios } from './payment.js';
import { noticeStateScenarios } from './notice-states.js';
import { receiptScenarios } from './receipts.js';
import { contentScenarios } from './content.js';
import { robustnessScenarios } from './robustness.js';
import { spontaneousScenarios } from './spontaneous.js';
import { touchpointScenarios } from './touchpoints.js';
import { beneficiaryScenarios } from './beneficiaries.js';
import { optionScenarios } from './options.js';
import { integrationScenarios } from './integration.js';
import { portalScenarios } from './portal.js';
import { negativeScenarios } from './negative.js';
import { wireScenarios } from './wire.js';
import { loadScenarios } from './load.js';
import { reconcileScenarios } from './fdr/reconcile.js';

export const ecScenarios: ScenarioDef<EcContext>[] = validateScenarios([
  ...paymentScenarios,
  ...noticeStateScenarios,
  ...receiptScenarios,
  ...contentScenarios,
  ...robustnessScenarios,
  ...spontaneousScenarios,
  ...touchpointScenarios,
  ...beneficiaryScenarios,
  ...optionScenarios,
  ...integrationScenarios,
  ...portalScenarios,
  ...negativeScenarios,
  ...wireScenarios,
  ...loadScenarios,
  ...reconcileScenarios,
]);
