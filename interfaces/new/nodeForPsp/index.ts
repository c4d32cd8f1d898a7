// nodeForPsp: the Nodo's interface for PSPs (IF-X-02, IF-X-04; catalogue §nodeForPsp).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineInterface } from '../../../src/wire/contract.js';
import { NEW_MODEL_CORRELATION, LEGACY_NS } from '../common.js';
import { authenticatePsp } from './auth.js';

export const nodeForPsp = defineInterface({
  name: 'nodeForPsp',
  model: 'new',
  path: '/nodeForPsp',
  ns: 'http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd',
  prefix: 'nfp',
  dir: path.dirname(fileURLToPath(import.meta.url)),
  // a reporting flow is followed by its identifier, as in the old model
  correlation: { ...NEW_MODEL_CORRELATION, idFlusso: ['identificativoFlusso'] },
  authenticate: authenticatePsp,
  operations: [
    ['verifyPaymentNotice', 'verifyPaymentNoticeReq', 'verifyPaymentNoticeRes'],
    ['activatePaymentNotice', 'activatePaymentNoticeReq', 'activatePaymentNoticeRes'],
    ['activatePaymentNoticeV2', 'activatePaymentNoticeV2Request', 'activatePaymentNoticeV2Response'],
    ['sendPaymentOutcome', 'sendPaymentOutcomeReq', 'sendPaymentOutcomeRes'],
    ['sendPaymentOutcomeV2', 'sendPaymentOutcomeV2Request', 'sendPaymentOutcomeV2Response'],
    ['demandPaymentNotice', 'demandPaymentNoticeRequest', 'demandPaymentNoticeResponse'],
    ['nodoChiediCatalogoServiziV2', 'nodoChiediCatalogoServiziV2Request', 'nodoChiediCatalogoServiziV2Response'],
    // the reporting flow's legacy-named primitives: old model's namespace and answer (esito), nodeForPsp-ppt.xsd
    { name: 'nodoInviaFlussoRendicontazione', request: 'nodoInviaFlussoRendicontazione', response: 'nodoInviaFlussoRendicontazioneRisposta', ...LEGACY_NS },
    { name: 'nodoChiediStatoFlussoRendicontazione', request: 'nodoChiediStatoFlussoRendicontazione', response: 'nodoChiediStatoFlussoRendicontazioneRisposta', ...LEGACY_NS },
    { name: 'nodoChiediStatoElaborazioneFlussoRendicontazione', request: 'nodoChiediStatoElaborazioneFlussoRendicontazione', response: 'nodoChiediStatoElaborazioneFlussoRendicontazioneRisposta', ...LEGACY_NS },
  ],
});
