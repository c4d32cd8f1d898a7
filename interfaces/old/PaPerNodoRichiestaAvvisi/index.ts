// PaPerNodoRichiestaAvvisi: the EC station's interface that creates a notice for a spontaneous
// payment, old model (catalogue §1.3 P32). Its intestazionePPT has three fields
// (ppthead-avvisi.xsd); its faultBean has no original* fields.
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT_NS, OLD_MODEL_CORRELATION, OLD_PREFIX, PPTHEAD, PPT_NS, here } from '../common.js';

export const paPerNodoRichiestaAvvisi = defineInterface({
  name: 'PaPerNodoRichiestaAvvisi',
  model: 'old',
  path: '/PaPerNodoRichiestaAvvisi',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  header: PPTHEAD,
  namespaces: { pay_i: DOCUMENT_NS.pay_i },
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  operations: [
    { name: 'paaChiediNumeroAvviso', request: 'paaChiediNumeroAvviso', response: 'paaChiediNumeroAvvisoRisposta', header: 'intestazionePPT', result: 'paaChiediNumeroAvvisoRisposta' },
  ],
});
