// PaPerNodoPagamentoPsp: the EC station's interface for payments started at the PSP, old model
// (catalogue §1.3 P30-P31): the notice's IUV and CCP travel in intestazionePPT.
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT_NS, OLD_MODEL_CORRELATION, OLD_PREFIX, PPTHEAD, PPT_NS, here } from '../common.js';

export const paPerNodoPagamentoPsp = defineInterface({
  name: 'PaPerNodoPagamentoPsp',
  model: 'old',
  path: '/PaPerNodoPagamentoPsp',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  header: PPTHEAD,
  namespaces: { pay_i: DOCUMENT_NS.pay_i },
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  operations: [
    { name: 'paaVerificaRPT', request: 'paaVerificaRPT', response: 'paaVerificaRPTRisposta', header: 'intestazionePPT', result: 'paaVerificaRPTRisposta' },
    { name: 'paaAttivaRPT', request: 'paaAttivaRPT', response: 'paaAttivaRPTRisposta', header: 'intestazionePPT', result: 'paaAttivaRPTRisposta' },
  ],
});
