// NodoPerPsp: the Nodo's interface for PSPs, old model (catalogue §1.3 P15-P24, and P45). No SOAP header:
// the PSP names itself in the body. The caller rule (authenticate) is set by the Nodo's module
// (auth.ts beside this file).
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT, DOCUMENT_NS, OLD_MODEL_CORRELATION, OLD_PREFIX, PPT_NS, here } from '../common.js';
import { authenticateOldPsp } from './auth.js';

export const nodoPerPsp = defineInterface({
  name: 'NodoPerPsp',
  model: 'old',
  path: '/NodoPerPsp',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  namespaces: { pay_i: DOCUMENT_NS.pay_i, qrc: DOCUMENT_NS.qrc, bc: DOCUMENT_NS.bc, aim: DOCUMENT_NS.aim },
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  authenticate: authenticateOldPsp,
  documents: [DOCUMENT.rt, DOCUMENT.rr, DOCUMENT.er],
  operations: [
    { name: 'nodoVerificaRPT', request: 'nodoVerificaRPT', response: 'nodoVerificaRPTRisposta', result: 'nodoVerificaRPTRisposta' },
    { name: 'nodoAttivaRPT', request: 'nodoAttivaRPT', response: 'nodoAttivaRPTRisposta', result: 'nodoAttivaRPTRisposta' },
    { name: 'nodoInviaRT', request: 'nodoInviaRT', response: 'nodoInviaRTRisposta', result: 'nodoInviaRTRisposta' },
    { name: 'nodoInviaFlussoRendicontazione', request: 'nodoInviaFlussoRendicontazione', response: 'nodoInviaFlussoRendicontazioneRisposta' },
    // P45: in no published WSDL, our reading of the seed; esito and the flow's state
    { name: 'nodoChiediStatoFlussoRendicontazione', request: 'nodoChiediStatoFlussoRendicontazione', response: 'nodoChiediStatoFlussoRendicontazioneRisposta' },
    // the same query under the name of the seed's timeout scenario (L3147, A-07)
    { name: 'nodoChiediStatoElaborazioneFlussoRendicontazione', request: 'nodoChiediStatoElaborazioneFlussoRendicontazione', response: 'nodoChiediStatoElaborazioneFlussoRendicontazioneRisposta' },
    { name: 'nodoChiediInformativaPA', request: 'nodoChiediInformativaPA', response: 'nodoChiediInformativaPARisposta', outcome: null },
    { name: 'nodoChiediTemplateInformativaPSP', request: 'nodoChiediTemplateInformativaPSP', response: 'nodoChiediTemplateInformativaPSPRisposta', outcome: null },
    { name: 'nodoChiediElencoQuadraturePSP', request: 'nodoChiediElencoQuadraturePSP', response: 'nodoChiediElencoQuadraturePSPRisposta', outcome: null },
    { name: 'nodoChiediQuadraturaPSP', request: 'nodoChiediQuadraturaPSP', response: 'nodoChiediQuadraturaPSPRisposta', outcome: null },
    { name: 'nodoInviaEsitoStorno', request: 'nodoInviaEsitoStorno', response: 'nodoInviaEsitoStornoRisposta' },
    // the published binding names this operation's SOAPAction differently
    { name: 'nodoInviaRichiestaRevoca', request: 'nodoInviaRichiestaRevoca', response: 'nodoInviaRichiestaRevocaRisposta', soapAction: 'nodoRichiestaRevoca' },
  ],
});
