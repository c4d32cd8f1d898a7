// NodoPerPa: the Nodo's interface for EC stations, old model (catalogue §1.3 P01-P14). The caller
// rule (authenticate) is set by the Nodo's module (auth.ts beside this file).
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT, OLD_MODEL_CORRELATION, OLD_PREFIX, PPTHEAD, PPT_NS, here } from '../common.js';
import { authenticateStation } from './auth.js';

export const nodoPerPa = defineInterface({
  name: 'NodoPerPa',
  model: 'old',
  path: '/NodoPerPa',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  header: PPTHEAD,
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  authenticate: authenticateStation,
  documents: [DOCUMENT.rpt, DOCUMENT.rt, DOCUMENT.rr, DOCUMENT.er],
  operations: [
    { name: 'nodoInviaRPT', request: 'nodoInviaRPT', response: 'nodoInviaRPTRisposta', header: 'intestazionePPT' },
    { name: 'nodoInviaCarrelloRPT', request: 'nodoInviaCarrelloRPT', response: 'nodoInviaCarrelloRPTRisposta', header: 'intestazioneCarrelloPPT', outcome: 'esitoComplessivoOperazione' },
    // esito is the RPT's state here, mandatory even in a KO
    { name: 'nodoChiediStatoRPT', request: 'nodoChiediStatoRPT', response: 'nodoChiediStatoRPTRisposta', outcome: null, koContent: { esito: { stato: 'KO' } } },
    { name: 'nodoChiediCopiaRT', request: 'nodoChiediCopiaRT', response: 'nodoChiediCopiaRTRisposta', outcome: null },
    { name: 'nodoChiediListaPendentiRPT', request: 'nodoChiediListaPendentiRPT', response: 'nodoChiediListaPendentiRPTRisposta', outcome: null },
    { name: 'nodoChiediInformativaPSP', request: 'nodoChiediInformativaPSP', response: 'nodoChiediInformativaPSPRisposta', outcome: null },
    { name: 'nodoPAChiediInformativaPA', request: 'nodoPAChiediInformativaPA', response: 'nodoPAChiediInformativaPARisposta', outcome: null },
    { name: 'nodoChiediElencoQuadraturePA', request: 'nodoChiediElencoQuadraturePA', response: 'nodoChiediElencoQuadraturePARisposta', outcome: null },
    { name: 'nodoChiediQuadraturaPA', request: 'nodoChiediQuadraturaPA', response: 'nodoChiediQuadraturaPARisposta', outcome: null },
    { name: 'nodoChiediElencoFlussiRendicontazione', request: 'nodoChiediElencoFlussiRendicontazione', response: 'nodoChiediElencoFlussiRendicontazioneRisposta', outcome: null },
    { name: 'nodoChiediFlussoRendicontazione', request: 'nodoChiediFlussoRendicontazione', response: 'nodoChiediFlussoRendicontazioneRisposta', outcome: null },
    { name: 'nodoInviaRichiestaStorno', request: 'nodoInviaRichiestaStorno', response: 'nodoInviaRichiestaStornoRisposta' },
    { name: 'nodoInviaRispostaRevoca', request: 'nodoInviaRispostaRevoca', response: 'nodoInviaRispostaRevocaRisposta' },
    { name: 'nodoChiediSceltaWISP', request: 'nodoChiediSceltaWISP', response: 'nodoChiediSceltaWISPRisposta', outcome: null },
  ],
});
