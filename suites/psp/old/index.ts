// The PSP seat's old-model (SANP 2.2.6) scenarios, in catalogue order (reports follow this order).
import { type ScenarioDef, validateScenarios } from '../../../src/core/scenario.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import { pspPaymentScenarios } from './psp-payments.js';
import { ecStartedScenarios } from './ec-started.js';
import { rtPushScenarios } from './rt-push.js';
import { pullProgressScenarios } from './pull-progress.js';
import { revocaStornoScenarios } from './revoca-storno.js';
import { rptFaultScenarios } from './rpt-faults.js';
import { pspAuthorisationScenarios } from './psp-authorisation.js';
import { spontaneousScenarios } from './spontaneous.js';
import { informativaScenarios } from './informativa.js';
import { notYetScenarios } from './not-yet.js';
import { fdrOldScenarios } from './fdr.js';

export const oldPspScenarios: ScenarioDef<OldPspContext>[] = validateScenarios([...ecStartedScenarios, ...pspAuthorisationScenarios, ...pspPaymentScenarios, ...rptFaultScenarios, ...rtPushScenarios, ...pullProgressScenarios, ...revocaStornoScenarios, ...spontaneousScenarios, ...informativaScenarios, ...fdrOldScenarios, ...notYetScenarios]);
