// A reporting flow (Flusso di Rendicontazione, FdR): what a PSP tells one EC it settled on one
// regulation (one cumulative SCT), line by line. One model-neutral shape for both transports:
// the SOAP document FlussoRiversamento (nodoInviaFlussoRendicontazione, old and new model) and the
// FdR 3 REST flow (fdr_psp / fdr_organization). Codecs map each wire form to and from this shape;
// the judge (judge.ts) reads only this shape.

/**
 * codiceEsitoSingoloPagamento / payStatus (NM-FDR-VAL-04, NM-V-14): 0 EXECUTED (with a receipt),
 * 3 REVOKED, 4 STAND_IN, 8 STAND_IN_NO_RPT, 9 NO_RPT (executed without RPT/receipt). The SOAP
 * schema (FlussoRiversamento 1.0.4) allows only 0, 3 and 9 (NM-A-24).
 */
export type FlowOutcomeCode = '0' | '3' | '4' | '8' | '9';

export const REST_PAY_STATUS: Readonly<Record<FlowOutcomeCode, string>> = {
  '0': 'EXECUTED',
  '3': 'REVOKED',
  '4': 'STAND_IN',
  '8': 'STAND_IN_NO_RPT',
  '9': 'NO_RPT',
};

/** the codes a flow travelling by SOAP may carry (FlussoRiversamento 1.0.4 stCodiceEsitoSingoloPagamento) */
export const SOAP_OUTCOME_CODES: readonly FlowOutcomeCode[] = ['0', '3', '9'];

/** One line (datiSingoliPagamenti / Payment). */
export interface FlowLine {
  /** identificativoUnivocoVersamento */
  iuv: string;
  /** identificativoUnivocoRiscossione: the old model's IUR, the new model's paymentToken (NM-FDR-VAL-02) */
  iur: string;
  /** index (REST, unique in the flow, from 1); the SOAP document has no such field: its reader sets the line's position */
  index?: number;
  /** idTransfer (REST) / indiceDatiSingoloPagamento (SOAP, optional): the transfer's position 1..5 in the receipt (fdr_psp.json maps one to the other) */
  idTransfer?: number;
  /** singoloImportoPagato / pay, in cents (may be negative for a revoked line, code 3) */
  amountCents: number;
  outcomeCode: FlowOutcomeCode;
  /** dataEsitoSingoloPagamento / payDate, YYYY-MM-DD */
  date: string;
}

/** The flow: header and lines. */
export interface ReportingFlow {
  /** identificativoFlusso / fdr: `YYYY-MM-DD` + idPSP + `-` + a unique part, [a-zA-Z0-9\-_]{1,35} (NM-V-12) */
  flowId: string;
  /** dataOraFlusso / fdrDate, ISO date-time */
  flowDate: string;
  /** FdR 3 revision (REST); SOAP flows have none */
  revision?: number;
  /** the PSP that sends it (identificativoPSP / sender.pspId) */
  idPSP: string;
  idBrokerPSP?: string;
  idChannel?: string;
  /** istitutoMittente: identificativoUnivocoMittente (BIC or other id) and its name */
  sender: { idType?: string; id: string; name?: string };
  /** the receiving EC (identificativoDominio / receiver.organizationId) */
  ecFiscalCode: string;
  /** istitutoRicevente: identificativoUnivocoRicevente and its name */
  receiver: { idType?: string; id: string; name?: string };
  /** identificativoUnivocoRegolamento / regulation: the SCT's reference */
  regulationId: string;
  /** dataRegolamento / regulationDate, YYYY-MM-DD */
  regulationDate: string;
  /** codiceBicBancaDiRiversamento / bicCodePouringBank */
  bicCodePouringBank?: string;
  /** numeroTotalePagamenti / totPayments, as declared */
  totalCount: number;
  /** importoTotalePagamenti / sumPayments in cents, as declared */
  totalCents: number;
  lines: FlowLine[];
}

/** How a flow reached the platform. */
export type FlowTransport = 'soap-old' | 'soap-new' | 'rest';
