// Faults the reference Nodo emits (IF-FAULT, IF-X-10..IF-X-12). faultString wording restates the
// "gestione degli errori" domain tables (dominio-nodo); the relay string is the published one
// ("Errore restituito dall'ente creditore", errore-emesso-da-controparte). Texts are never a
// conformance criterion (NM-X-FB-01 checks code, id and the presence of the bean).
import type { FaultBean } from '../../src/wire/soap.js';

export const NODO_ID = 'NodoDeiPagamentiSPC';

export const NODO_FAULT_STRINGS: Record<string, string> = {
  PPT_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD',
  PPT_SINTASSI_XSD: 'Errore di sintassi XSD',
  PPT_SOAPACTION_ERRATA: 'SOAPAction errata',
  PPT_PSP_SCONOSCIUTO: 'PSP sconosciuto',
  PPT_PSP_DISABILITATO: 'PSP conosciuto ma disabilitato da configurazione',
  PPT_INTERMEDIARIO_PSP_SCONOSCIUTO: 'Intermediario PSP sconosciuto',
  PPT_INTERMEDIARIO_PSP_DISABILITATO: 'Intermediario PSP disabilitato',
  PPT_CANALE_SCONOSCIUTO: 'Canale sconosciuto',
  PPT_CANALE_DISABILITATO: 'Canale conosciuto ma disabilitato da configurazione',
  PPT_AUTENTICAZIONE: 'Errore di autenticazione',
  PPT_AUTORIZZAZIONE: "Il richiedente non ha i diritti per l'operazione",
  PPT_DOMINIO_SCONOSCIUTO: 'IdentificativoDominio sconosciuto',
  PPT_DOMINIO_DISABILITATO: 'Dominio disabilitato',
  PPT_INTERMEDIARIO_PA_SCONOSCIUTO: 'Intermediario dominio sconosciuto',
  PPT_INTERMEDIARIO_PA_DISABILITATO: 'Intermediario dominio disabilitato',
  PPT_STAZIONE_INT_PA_SCONOSCIUTA: 'Stazione intermediario PA sconosciuta',
  PPT_STAZIONE_INT_PA_DISABILITATA: 'Stazione intermediario PA disabilitata',
  PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO: 'Il Servizio Applicativo della Stazione non è attivo',
  PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE: 'Errore di connessione verso la Stazione',
  PPT_STAZIONE_INT_PA_TIMEOUT: 'Timeout risposta dalla Stazione',
  PPT_STAZIONE_INT_PA_ERRORE_RESPONSE: 'Errore di risposta dalla Stazione',
  PPT_ERRORE_EMESSO_DA_PAA: "Errore restituito dall'ente creditore",
  PPT_IBAN_NON_CENSITO: "Il codice IBAN indicato dall'EC non è presente nella lista degli IBAN comunicati al sistema pagoPA",
  PPT_PAGAMENTO_IN_CORSO: 'Pagamento in attesa risulta in corso al sistema pagoPA',
  PPT_PAGAMENTO_DUPLICATO: 'Pagamento in attesa risulta concluso al sistema pagoPA',
  PPT_TOKEN_SCONOSCIUTO: 'paymentToken sconosciuto',
  PPT_TOKEN_SCADUTO: 'paymentToken scaduto',
  PPT_TOKEN_SCADUTO_KO: 'paymentToken scaduto con esito KO',
  PPT_ESITO_GIA_ACQUISITO: 'Esito già acquisito',
  PPT_ERRORE_IDEMPOTENZA: 'Errore di idempotenza',
  PPT_SERVIZIO_SCONOSCIUTO: 'Servizio sconosciuto',
  PPT_SEMANTICA: 'Errore semantico',
  PPT_FLUSSO_SCONOSCIUTO: 'Identificativo flusso non congruente con il flusso XML',
  PPT_ID_FLUSSO_SCONOSCIUTO: 'Identificativo flusso sconosciuto',
  PPT_SYSTEM_ERROR: 'Errore generico',
};

/** A fault detected by the Nodo itself: id = NodoDeiPagamentiSPC (IF-X-11). */
export function nodoFault(faultCode: string, description?: string, serial?: number): FaultBean {
  return { faultCode, faultString: NODO_FAULT_STRINGS[faultCode] ?? faultCode, id: NODO_ID, description, serial };
}

/**
 * Relay of a valid EC fault (IF-X-12): faultCode PPT_ERRORE_EMESSO_DA_PAA, id = the EC's
 * idDominio, description copied, original* = the EC's fields. Without the extended faultBean
 * (caller configuration), the EC bean is flattened into `description` as the platform does.
 */
export function relayEcFault(ecFiscalCode: string, ec: FaultBean, extended: boolean, serial?: number): FaultBean {
  if (!extended) {
    const flat = `faultCode=${ec.faultCode}, faultString=${ec.faultString}, id=${ec.id}${ec.description ? `, description=${ec.description}` : ''}`;
    return { faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', faultString: NODO_FAULT_STRINGS.PPT_ERRORE_EMESSO_DA_PAA!, id: ecFiscalCode, description: flat, serial };
  }
  return {
    faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
    faultString: NODO_FAULT_STRINGS.PPT_ERRORE_EMESSO_DA_PAA!,
    id: ecFiscalCode,
    description: ec.description,
    serial: serial ?? ec.serial,
    originalFaultCode: ec.faultCode,
    originalFaultString: ec.faultString,
    originalDescription: ec.description,
  };
}
