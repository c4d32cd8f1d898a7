// The EC seat's old-model (SANP 2.2.6) scenarios, in catalogue order (reports follow this order).
import { type ScenarioDef, validateScenarios } from '../../../src/core/scenario.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { pspPaymentScenarios } from './psp-payments.js';
import { receiptScenarios } from './receipts.js';
import { wireScenarios } from './wire.js';
import { ecPaymentScenarios } from './ec-payments.js';
import { revocaScenarios } from './revoca.js';
import { notYetScenarios } from './not-yet.js';
import { recoveryScenarios } from './recovery.js';
import { stampScenarios } from './stamps.js';
import { multiBeneficiaryScenarios } from './multi-beneficiary.js';
import { pspAuthorisationScenarios } from './psp-authorisation.js';
import { spontaneousScenarios } from './spontaneous.js';
import { fdrScenarios } from './fdr.js';

export const oldEcScenarios: ScenarioDef<OldEcContext>[] = validateScenarios([...ecPaymentScenarios, ...stampScenarios, ...multiBeneficiaryScenarios, ...pspAuthorisationScenarios, ...pspPaymentScenarios, ...spontaneousScenarios, ...receiptScenarios, ...revocaScenarios, ...recoveryScenarios, ...wireScenarios, ...fdrScenarios, ...notYetScenarios]);
