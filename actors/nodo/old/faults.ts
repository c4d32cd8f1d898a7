// Faults of the reference Nodo, old model (catalogue §1.5, §4.1): the faultBean id is
// NodoDeiPagamentiSPC for the Nodo's own errors; a counterpart's KO is relayed as
// PPT_ERRORE_EMESSO_DA_PAA (EC) or PPT_CANALE_ERRORE (PSP) with original* (OLD-X-CNT-01). Also the
// shapes of the old model's answers: the fault comes first (type `risposta`), and the answers of the
// operations the Nodo calls — and of nodoInviaRT/nodoVerificaRPT/nodoAttivaRPT — wrap their content
// in an inner element named like the response (e.g. paaInviaRTRisposta > paaInviaRTRisposta > esito).
import type { FaultBean } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child, textOf } from '../../../src/wire/xml.js';
import { NODO_FAULT_STRINGS, NODO_ID, relayEcFault } from '../faults.js';

/** faultString of the old model's codes that the new model's table lacks (restated from Tabella 1). */
const OLD_FAULT_STRINGS: Record<string, string> = {
  PPT_CANALE_ERR_PARAM_PAG_IMM: 'Parametri restituiti dal Canale per identificare il pagamento non corretti',
  PPT_CANALE_ERRORE: 'Errore restituito dal Canale',
  PPT_CANALE_ERRORE_RESPONSE: 'La response ricevuta dal Canale è vuota o non corretta sintatticamente o semanticamente',
  PPT_CANALE_INDISPONIBILE: 'Nessun canale utilizzabile e abilitato',
  PPT_CANALE_IRRAGGIUNGIBILE: 'Errore di connessione verso il Canale',
  PPT_CANALE_NONRISOLVIBILE: 'Il canale non è specificato, e nessun canale risulta utilizzabile secondo configurazione',
  PPT_CANALE_SERVIZIO_NONATTIVO: 'Il Servizio Applicativo del Canale non è attivo',
  PPT_CANALE_TIMEOUT: 'Timeout risposta dal Canale',
  PPT_CODIFICA_PSP_SCONOSCIUTA: 'Valore di codificaInfrastrutturaPSP non censito',
  PPT_ID_CARRELLO_DUPLICATO: 'Identificativo carrello duplicato',
  PPT_OPER_NON_REVOCABILE: 'Operazione non revocabile',
  PPT_OPER_NON_STORNABILE: 'Operazione non stornabile',
  PPT_RPT_DUPLICATA: 'RPT duplicata',
  PPT_RPT_NON_INOLTRABILE: 'La RPT fornita dall’EC è formalmente errata e non può essere inoltrata',
  PPT_RPT_SCONOSCIUTA: 'RPT sconosciuta',
  PPT_RT_DUPLICATA: 'La RT inviata dal PSP è già stata inviata',
  PPT_RT_NONDISPONIBILE: 'RT non ancora pronta',
  PPT_RT_SCONOSCIUTA: 'RT sconosciuta',
  PPT_RR_DUPLICATA: 'RR duplicata',
  PPT_RR_SCONOSCIUTA: 'RR sconosciuta',
  PPT_ER_DUPLICATA: 'ER duplicato',
  PPT_TIPOFIRMA_SCONOSCIUTO: 'Il campo tipoFirma non corrisponde ad alcun valore previsto',
  PPT_INFORMATIVAPSP_PRESENTE: 'InformativaPSP già presente',
};

/** A fault detected by the Nodo itself. */
export function oldFault(code: string, description?: string, serial?: number): FaultBean {
  return { faultCode: code, faultString: OLD_FAULT_STRINGS[code] ?? NODO_FAULT_STRINGS[code] ?? code, id: NODO_ID, description, serial };
}

/** An EC's KO relayed to the PSP: PPT_ERRORE_EMESSO_DA_PAA, id = the EC, original* = the EC's fields. */
export function relayPaa(idDominio: string, ec: FaultBean, serial?: number): FaultBean {
  return relayEcFault(idDominio, ec, true, serial);
}

/** A PSP's KO relayed to the EC: PPT_CANALE_ERRORE, id = the PSP, original* = the PSP's fields (OLD-X-CNT-01, A-16). */
export function relayCanale(idPSP: string, psp: FaultBean): FaultBean {
  return {
    faultCode: 'PPT_CANALE_ERRORE',
    faultString: OLD_FAULT_STRINGS.PPT_CANALE_ERRORE!,
    id: idPSP,
    description: psp.description,
    serial: psp.serial,
    originalFaultCode: psp.faultCode,
    originalFaultString: psp.faultString,
    originalDescription: psp.description,
  };
}

/** The responses whose content sits in an inner element of the same name (official WSDLs). */
const WRAPPED = new Set([
  'nodoInviaRTRisposta', 'nodoVerificaRPTRisposta', 'nodoAttivaRPTRisposta',
  'paaInviaRTRisposta', 'paaInviaEsitoStornoRisposta', 'paaInviaRichiestaRevocaRisposta',
  'paaVerificaRPTRisposta', 'paaAttivaRPTRisposta',
  'pspInviaRPTResponse', 'pspInviaCarrelloRPTResponse', 'pspInviaCarrelloRPTCarteResponse', 'pspInviaRichiestaStornoResponse', 'pspInviaRispostaRevocaResponse',
]);

/** The response content of `response` (an element name), wrapped when the WSDL wraps it. */
export function shaped(response: string, content: NodeObj): NodeObj {
  return WRAPPED.has(response) ? { [response]: content } : content;
}

/** The element that holds an answer's esito and fault: the inner wrapper when there is one. */
export function inner(body: El): El {
  const c = body.children.length === 1 ? child(body, body.name) : undefined;
  return c ?? body;
}

/** What the old model's operations carry besides the fault when they answer KO (esito, or nothing). */
const KO_FIELD: Record<string, NodeObj> = {
  nodoInviaCarrelloRPTRisposta: { esitoComplessivoOperazione: 'KO' },
  // esito is required and complex here: the state says what went wrong
  nodoChiediStatoRPTRisposta: {},
  nodoChiediCopiaRTRisposta: {},
  nodoChiediListaPendentiRPTRisposta: {},
  nodoChiediInformativaPSPRisposta: {},
  nodoPAChiediInformativaPARisposta: {},
  nodoChiediElencoQuadraturePARisposta: {},
  nodoChiediQuadraturaPARisposta: {},
  nodoChiediElencoFlussiRendicontazioneRisposta: {},
  nodoChiediFlussoRendicontazioneRisposta: {},
  nodoChiediSceltaWISPRisposta: {},
  nodoChiediInformativaPARisposta: {},
  nodoChiediTemplateInformativaPSPRisposta: {},
  nodoChiediElencoQuadraturePSPRisposta: {},
  nodoChiediQuadraturaPSPRisposta: {},
};

/** The KO content of a response element: fault first, then its esito in the operation's form. */
export function koAnswer(response: string, f: FaultBean, more: NodeObj = {}): NodeObj {
  const fault = { faultCode: f.faultCode, faultString: f.faultString, id: f.id, description: f.description, serial: f.serial, originalFaultCode: f.originalFaultCode, originalFaultString: f.originalFaultString, originalDescription: f.originalDescription };
  const extra = response === 'nodoChiediStatoRPTRisposta' ? { esito: { stato: f.faultCode } } : (KO_FIELD[response] ?? { esito: 'KO' });
  return shaped(response, { fault, ...extra, ...more });
}

/** The OK content of a response element whose only field is esito. */
export function okAnswer(response: string, more: NodeObj = {}): NodeObj {
  return shaped(response, { esito: 'OK', ...more });
}

/** esito (or esitoComplessivoOperazione) and the faultBean of an answer, wherever it wraps them. */
export function readOldAnswer(body: El): { esito?: string; fault?: FaultBean } {
  const b = inner(body);
  const esito = textOf(b, 'esito') ?? textOf(b, 'esitoComplessivoOperazione');
  // pspInviaRPT's answer has no fault of its own: its errors are in listaErroriRPT
  const f = child(b, 'fault') ?? child(child(b, 'listaErroriRPT'), 'fault');
  if (!f) return { esito };
  const t = (n: string) => textOf(f, n);
  const serial = t('serial');
  return {
    esito,
    fault: {
      faultCode: t('faultCode') ?? '',
      faultString: t('faultString') ?? '',
      id: t('id') ?? '',
      description: t('description'),
      serial: serial === undefined ? undefined : Number(serial),
      originalFaultCode: t('originalFaultCode'),
      originalFaultString: t('originalFaultString'),
      originalDescription: t('originalDescription'),
    },
  };
}
