// The shape of the FdR judge's answer (judge.ts) and its rules as data: what each asserts and the
// requirement ids it judges per payment model, so a scenario declares its checks from FDR_RULES and
// records each finding as a check (judge.ts checkOf). Types only, and the rule table.
import type { LedgerReceipt } from '../../src/core/ledger.js';
import type { Day, DayScale, WorkingCalendar } from './calendar.js';
import type { FlowOutcomeCode, FlowTransport, ReportingFlow } from './types.js';

/** Which payment model's requirement ids the findings name. */
export type FdrModel = 'new' | 'old';

/**
 * A flow as the platform accepted it: the ledger's LedgerFlow, or a FlowStore revision mapped to it
 * (`{ ...s.flow, transport: s.transport, at: s.publishedAt }`). The ledger keeps only a flow's latest
 * revision: pass the store's revisions to judge corrections (D+4), resubmissions and reused ids.
 */
export type PublishedFlow = ReportingFlow & { transport: FlowTransport; at: number };

/** A payment revoked (revoca / storno accepted) after its receipt: its next flow line carries code 3. */
export interface RevokedPayment {
  ecFiscalCode: string;
  iuv: string;
  /** the revoked receipt's IUR (old model) / paymentToken (new model), when known */
  iur?: string;
  /** the amount revoked, in cents (positive) */
  amountCents?: number;
  /** clock time the revocation was accepted */
  at: number;
}

/** A collection the run knows the PSP made without any receipt (no RPT in time, outcome refused …): code 9, or 8 in Stand-In. */
export interface UnreceiptedCollection {
  ecFiscalCode: string;
  iuv: string;
  amountCents?: number;
  standIn?: boolean;
  /** clock time of the collection */
  at: number;
  /** why there is no receipt (for the message) */
  why?: string;
  /** the same in Italian (the certificate's Italian view) */
  whyIt?: string;
}

export interface FdrJudgeInput {
  model: FdrModel;
  idPSP: string;
  ecFiscalCode: string;
  /** every publication of the PSP's flows, every revision, any order; flows for other ECs are used only for the id's uniqueness */
  flows: readonly PublishedFlow[];
  /** the run's receipts (others than this PSP's, or not OK, are sorted out here) */
  receipts: readonly LedgerReceipt[];
  /** the revocations the run made, when it knows them (undefined: code 3 cannot be verified) */
  revoked?: readonly RevokedPayment[];
  unreceipted?: readonly UnreceiptedCollection[];
  /** clock time of the judgement: a receipt whose deadline is still ahead is not missing */
  now: number;
}

export interface FdrJudgeOptions {
  /** the clock's days (default: real days in Europe/Rome) */
  days?: DayScale;
  /** working days (default ITALIAN_BANK_CALENDAR) */
  calendar?: WorkingCalendar;
  /** the operating day's cut-off, as a share of the day (default 13:00) */
  cutoff?: number;
  /** old model: the PSP declares single-SCT settlement (OLD-FDR-02), so an RT absent from every flow is a WARNING, not a FAIL */
  singleSettlement?: boolean;
  /** at most this many non-passing findings per rule are itemised; the rest are counted in one (default 20) */
  maxFindingsPerRule?: number;
}

export type FdrRule = 'flow-id' | 'flow-id-unique' | 'duplicate-flow' | 'totals' | 'flow-date' | 'regulation-date' | 'deadline' | 'correction-deadline' | 'reported-once' | 'line-identity' | 'outcome-code' | 'kpi';

/** The rules in the order they are judged, what each asserts and the requirement ids it judges per model (none: the model has no such rule). */
export const FDR_RULES: Record<FdrRule, { what: string; whatIt: string; requirements: Record<FdrModel, readonly string[]> }> = {
  'flow-id': { what: 'identificativoFlusso matches [a-zA-Z0-9-_]{1,35}; laid out <YYYY-MM-DD><idPSP>-<unique> (NM-A-23, WARNING)', whatIt: 'identificativoFlusso rispetta [a-zA-Z0-9-_]{1,35}; composto come <YYYY-MM-DD><idPSP>-<univoco> (NM-A-23, WARNING)', requirements: { new: ['NM-FDR-VAL-01'], old: ['OLD-FDR-01'] } },
  'flow-id-unique': { what: 'an identificativoFlusso names one flow of the PSP across the run (a republication is the same flow: same EC and SCT)', whatIt: 'un identificativoFlusso indica un solo flusso del PSP in tutto il collaudo (una ripubblicazione è lo stesso flusso: stesso EC e stesso SCT)', requirements: { new: ['NM-FDR-VAL-01'], old: ['OLD-FDR-01'] } },
  'duplicate-flow': { what: 'a flow is reported once: one channel (NM-A-21), one flow per SCT; no unchanged SOAP resubmission', whatIt: 'un flusso è rendicontato una volta: un solo canale (NM-A-21), un flusso per SCT; nessun reinvio SOAP invariato', requirements: { new: ['NM-FDR-DUP-01'], old: ['OLD-FDR-ERR-08', 'OLD-FDR-01'] } },
  totals: { what: 'numeroTotalePagamenti / totPayments = number of lines; importoTotalePagamenti / sumPayments = sum of the lines', whatIt: 'numeroTotalePagamenti / totPayments = numero delle righe; importoTotalePagamenti / sumPayments = somma delle righe', requirements: { new: ['NM-FDR-VAL-03'], old: ['OLD-FDR-01', 'OLD-FDR-03'] } },
  'flow-date': { what: 'dataOraFlusso / fdrDate is a date-time not before the payments it reports and not after the flow reached the platform', whatIt: 'dataOraFlusso / fdrDate è una data-ora non precedente ai pagamenti che rendiconta né successiva all’arrivo del flusso sulla piattaforma', requirements: { new: ['NM-FDR-TO-01'], old: ['OLD-FDR-01'] } },
  'regulation-date': { what: 'dataRegolamento / regulationDate is not before the payment day (and the SCT by D+1, TR-02 / NM-TR-10: WARNING)', whatIt: 'dataRegolamento / regulationDate non precede il giorno del pagamento (e lo SCT entro D+1, TR-02 / NM-TR-10: WARNING)', requirements: { new: ['NM-FDR-TO-01'], old: ['OLD-FDR-01'] } },
  deadline: { what: 'the flow reaches the platform by 24:00 of the second working day after the payment day D (D+2, NM-TR-11 / TR-03)', whatIt: 'il flusso arriva sulla piattaforma entro le 24:00 del secondo giorno lavorativo dopo il giorno di pagamento D (D+2, NM-TR-11 / TR-03)', requirements: { new: ['NM-FDR-TO-01'], old: ['OLD-FDR-01'] } },
  'correction-deadline': { what: 'a correction (SOAP resubmission, REST revision) by 24:00 of D+4 (NM-TR-16, NM-A-22)', whatIt: 'una correzione (reinvio SOAP, revisione REST) entro le 24:00 di D+4 (NM-TR-16, NM-A-22)', requirements: { new: ['NM-FDR-TO-02'], old: [] } },
  'reported-once': { what: 'every receipt / RT the platform settled is reported once per transfer to this EC, across the flows', whatIt: 'ogni ricevuta / RT regolata dalla piattaforma è rendicontata una volta per trasferimento a questo EC, nell’insieme dei flussi', requirements: { new: ['NM-FDR-VAL-02', 'NM-FDR-VAL-03', 'NM-MB-FDR-01', 'NM-FDR-REC-02'], old: ['OLD-FDR-01', 'OLD-FDR-03'] } },
  'line-identity': { what: "each line names its payment: IUV, IUR (RT's IUR / paymentToken), transfer index, amount = the transfer's, only this EC's transfers", whatIt: 'ogni riga indica il suo pagamento: IUV, IUR (IUR della RT / paymentToken), indice del trasferimento, importo = quello del trasferimento, solo trasferimenti di questo EC', requirements: { new: ['NM-FDR-VAL-02', 'NM-FDR-VAL-03', 'NM-MB-FDR-01', 'NM-FDR-REC-02'], old: ['OLD-FDR-01'] } },
  'outcome-code': { what: 'codiceEsitoSingoloPagamento / payStatus: 0 with a receipt, 4 Stand-In, 3 revoked, 9 (8 in Stand-In) without receipt (NM-A-24)', whatIt: 'codiceEsitoSingoloPagamento / payStatus: 0 con ricevuta, 4 Stand-In, 3 revocato, 9 (8 in Stand-In) senza ricevuta (NM-A-24)', requirements: { new: ['NM-FDR-VAL-04'], old: ['OLD-FDR-04', 'OLD-FDR-05', 'OLD-PSP-ERR-08', 'OLD-FDR-03', 'OLD-FDR-01'] } },
  kpi: { what: 'reconciliation quality: late or missing flows, wrong identifiers, wrong totals (NM-FDR-TO-01, -VAL-01, -VAL-03)', whatIt: 'qualità della rendicontazione: flussi tardivi o mancanti, identificativi errati, totali errati (NM-FDR-TO-01, -VAL-01, -VAL-03)', requirements: { new: ['NM-SLA-KPI-03'], old: [] } },
};

export type FdrOutcome = 'pass' | 'fail' | 'warning' | 'not-exercised';

/** A publication: the keys of its journal entry (nodoInviaFlussoRendicontazione, or the REST publish). */
export interface FlowRef {
  idPSP: string;
  flowId: string;
  revision?: number;
  transport: FlowTransport;
  /** clock time it reached the platform */
  at: number;
}
/** A line of a publication: its position in the flow's lines (0-based) and its keys. */
export interface LineRef {
  flowId: string;
  revision?: number;
  position: number;
  iuv: string;
  iur: string;
  index?: number;
  idTransfer?: number;
  outcomeCode: FlowOutcomeCode;
}
/** A receipt / RT of the ledger (its paSendRT / nodoInviaRT entries), and the transfer judged. */
export interface ReceiptRef {
  model: string;
  receiptId: string;
  ecFiscalCode: string;
  iuv?: string;
  transfer?: number;
}

export interface FdrFinding {
  rule: FdrRule;
  /** the ids this finding judges: the rule's ids for the model, or the part of them it concerns */
  requirements: readonly string[];
  outcome: FdrOutcome;
  /** names the field, the rule and the values (or why it was not exercised) */
  message: string;
  /** the message in Italian (the certificate's Italian view), from the same values */
  messageIt: string;
  flows: FlowRef[];
  lines: LineRef[];
  receipts: ReceiptRef[];
  /** deadline rules: how late (ms on the clock) */
  latenessMs?: number;
}

export interface FdrRuleVerdict {
  rule: FdrRule;
  requirements: readonly string[];
  /** the worst of its findings: fail > warning > pass > not-exercised */
  outcome: FdrOutcome;
  findings: FdrFinding[];
}

/** NM-SLA-KPI-03's figures. */
export interface FdrKpi {
  flows: number;
  late: { flow: FlowRef; deadline: Day; latenessMs: number; workingDaysLate: number; correction: boolean }[];
  missing: ReceiptRef[];
  wrongIds: number;
  wrongTotals: number;
}

export interface FdrJudgement {
  rules: FdrRuleVerdict[];
  findings: FdrFinding[];
  kpi: FdrKpi;
  /** the readings the judgement relied on (calendar, cut-off …) */
  readings: string[];
}

const RANK: Record<FdrOutcome, number> = { 'not-exercised': 0, pass: 1, warning: 2, fail: 3 };
/** The worse of two outcomes. */
export const worse = (a: FdrOutcome, b: FdrOutcome): FdrOutcome => (RANK[b] > RANK[a] ? b : a);
