// PaPerNodo: the EC station's interface called by the Nodo for receipts, revoca and storno, old
// model (catalogue §1.3 P27-P29). Each answer wraps a result element of the same name.
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT, OLD_MODEL_CORRELATION, OLD_PREFIX, PPTHEAD, PPT_NS, here } from '../common.js';

export const paPerNodo = defineInterface({
  name: 'PaPerNodo',
  model: 'old',
  path: '/PaPerNodo',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  header: PPTHEAD,
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  documents: [DOCUMENT.rt, DOCUMENT.rr, DOCUMENT.er],
  operations: [
    { name: 'paaInviaRT', request: 'paaInviaRT', response: 'paaInviaRTRisposta', header: 'intestazionePPT', result: 'paaInviaRTRisposta' },
    { name: 'paaInviaEsitoStorno', request: 'paaInviaEsitoStorno', response: 'paaInviaEsitoStornoRisposta', result: 'paaInviaEsitoStornoRisposta' },
    { name: 'paaInviaRichiestaRevoca', request: 'paaInviaRichiestaRevoca', response: 'paaInviaRichiestaRevocaRisposta', result: 'paaInviaRichiestaRevocaRisposta' },
  ],
});
