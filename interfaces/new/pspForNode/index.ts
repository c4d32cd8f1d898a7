// pspForNode: the PSP's interface, called by the Nodo for touchpoint payments (IF-X-02, IF-X-04).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineInterface } from '../../../src/wire/contract.js';
import { NEW_MODEL_CORRELATION } from '../common.js';

export const pspForNode = defineInterface({
  name: 'pspForNode',
  model: 'new',
  path: '/pspForNode',
  ns: 'http://pagopa-api.pagopa.gov.it/psp/pspForNode.xsd',
  prefix: 'pfn',
  dir: path.dirname(fileURLToPath(import.meta.url)),
  correlation: NEW_MODEL_CORRELATION,
  operations: [
    ['pspNotifyPayment', 'pspNotifyPaymentReq', 'pspNotifyPaymentRes'],
    ['pspNotifyPaymentV2', 'pspNotifyPaymentV2', 'pspNotifyPaymentV2Res'],
  ],
});
