// PspPerNodo: the PSP's interface called by the Nodo, old model (catalogue §1.3 P33-P42). Every
// answer wraps a result element; pspInviaRPT's has no fault of its own.
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT, DOCUMENT_NS, OLD_MODEL_CORRELATION, OLD_PREFIX, PPT_NS, here } from '../common.js';

const CART_RESULT = 'pspInviaCarrelloRPTResponse';

export const pspPerNodo = defineInterface({
  name: 'PspPerNodo',
  model: 'old',
  path: '/PspPerNodo',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  namespaces: { pay_j: DOCUMENT_NS.pay_j },
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  documents: [DOCUMENT.rpt, DOCUMENT.rt, DOCUMENT.rr, DOCUMENT.er],
  operations: [
    { name: 'pspInviaRPT', request: 'pspInviaRPT', response: 'pspInviaRPTResponse', result: 'pspInviaRPTResponse', outcome: 'esitoComplessivoOperazione', faultInList: true },
    { name: 'pspInviaCarrelloRPT', request: 'pspInviaCarrelloRPT', response: 'pspInviaCarrelloRPTResponse', result: CART_RESULT, outcome: 'esitoComplessivoOperazione' },
    // the card cart's answer wraps the plain cart's result element
    { name: 'pspInviaCarrelloRPTCarte', request: 'pspInviaCarrelloRPTCarte', response: 'pspInviaCarrelloRPTCarteResponse', result: CART_RESULT, outcome: 'esitoComplessivoOperazione' },
    { name: 'pspChiediListaRT', request: 'pspChiediListaRT', response: 'pspChiediListaRTResponse', result: 'pspChiediListaRTResponse', outcome: null },
    { name: 'pspChiediRT', request: 'pspChiediRT', response: 'pspChiediRTResponse', result: 'pspChiediRTResponse', outcome: null },
    { name: 'pspInviaAckRT', request: 'pspInviaAckRT', response: 'pspInviaAckRTResponse', result: 'pspInviaAckRTResponse' },
    { name: 'pspChiediAvanzamentoRPT', request: 'pspChiediAvanzamentoRPT', response: 'pspChiediAvanzamentoRPTResponse', result: 'pspChiediAvanzamentoRPTResponse', outcome: null },
    { name: 'pspInviaRichiestaStorno', request: 'pspInviaRichiestaStorno', response: 'pspInviaRichiestaStornoResponse', result: 'pspInviaRichiestaStornoResponse' },
    { name: 'pspInviaRispostaRevoca', request: 'pspInviaRispostaRevoca', response: 'pspInviaRispostaRevocaResponse', result: 'pspInviaRispostaRevocaResponse' },
    { name: 'pspNotificaCancellazioneRPT', request: 'pspNotificaCancellazioneRPT', response: 'pspNotificaCancellazioneRPTResponse', result: 'pspNotificaCancellazioneRPTResponse' },
  ],
});
