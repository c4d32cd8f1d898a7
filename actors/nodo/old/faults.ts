// Faults of the reference Nodo, old model (catalogue §1.5, §4.1): the faultBean id is
// NodoDeiPagamentiSPC for the Nodo's own errors; a counterpart's KO is relayed as
// PPT_ERRORE_EMESSO_DA_PAA (EC) or PPT_CANALE_ERRORE (PSP) with original* (OLD-X-CNT-01). Also the
// answers in the operation's shape (the codec's koFor: fault first, the result element it wraps).
import type { FaultBean } from '../../../src/wire/soap.js';
import type { Operation } from '../../../src/wire/contract.js';
import { koFor, outcomeOf, readErrorList, readFault, resultOf } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
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

/** The KO content of `op`: the codec's koFor (fault first, the operation's esito form), then `more` inside the result. */
export function koAnswer(op: Operation, f: FaultBean, more: NodeObj = {}): NodeObj {
  const k = koFor(op, f);
  if (!Object.keys(more).length) return k;
  return op.result ? { [op.result]: { ...(k[op.result] as NodeObj), ...more } } : { ...k, ...more };
}

/** The OK content of `op` (esito OK and its fields, inside the result element when the response wraps one). */
export function okAnswer(op: Operation, more: NodeObj = {}): NodeObj {
  const content = { ...(op.outcome ? { [op.outcome]: 'OK' } : {}), ...more };
  return op.result ? { [op.result]: content } : content;
}

/** esito (or esitoComplessivoOperazione) and the faultBean of an answer of `op`, wherever it wraps them. */
export function readOldAnswer(op: Operation, body: El): { esito?: string; fault?: FaultBean; result: El } {
  // pspInviaRPT's answer has no fault of its own: its errors are in listaErroriRPT
  return { esito: outcomeOf(body, op), fault: readFault(body, op) ?? readErrorList(body, op)[0], result: resultOf(body, op) };
}
