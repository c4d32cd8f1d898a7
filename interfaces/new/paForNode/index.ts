// paForNode: the EC station's interface, called by the Nodo (IF-X-02, IF-X-04; catalogue §paForNode).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineInterface } from '../../../src/wire/contract.js';
import { NEW_MODEL_CORRELATION } from '../common.js';

export const paForNode = defineInterface({
  name: 'paForNode',
  model: 'new',
  path: '/paForNode',
  ns: 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd',
  prefix: 'pafn',
  dir: path.dirname(fileURLToPath(import.meta.url)),
  correlation: NEW_MODEL_CORRELATION,
  operations: [
    ['paVerifyPaymentNotice', 'paVerifyPaymentNoticeReq', 'paVerifyPaymentNoticeRes'],
    ['paGetPayment', 'paGetPaymentReq', 'paGetPaymentRes'],
    ['paGetPaymentV2', 'paGetPaymentV2Request', 'paGetPaymentV2Response'],
    ['paSendRT', 'paSendRTReq', 'paSendRTRes'],
    ['paSendRTV2', 'paSendRTV2Request', 'paSendRTV2Response'],
    ['paDemandPaymentNotice', 'paDemandPaymentNoticeRequest', 'paDemandPaymentNoticeResponse'],
  ],
});
