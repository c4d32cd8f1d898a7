// FdR 3 REST (openapi/fdr-psp.json, fdr-organization.json) ⇄ the model-neutral ReportingFlow
// (types.ts): the header a PSP creates (CreateFlowRequest) and the payments it adds (Payment[]).
// Amounts travel in euro (JSON numbers) and live in cents; payStatus ⇄ FlowOutcomeCode through
// REST_PAY_STATUS; payDate (a date-time) keeps its UTC day, the day the domain compares.
import { type FlowLine, type FlowOutcomeCode, REST_PAY_STATUS, type ReportingFlow } from './types.js';

export type RestPayStatus = 'EXECUTED' | 'REVOKED' | 'STAND_IN' | 'STAND_IN_NO_RPT' | 'NO_RPT';
export type RestSenderType = 'LEGAL_PERSON' | 'ABI_CODE' | 'BIC_CODE';

export interface RestSender {
  type: RestSenderType;
  /** istitutoMittente's codiceIdentificativoUnivoco */
  id: string;
  pspId: string;
  pspName: string;
  pspBrokerId: string;
  channelId: string;
  /** deprecated in FdR 3 */
  password?: string;
}
export interface RestReceiver {
  id: string;
  organizationId: string;
  organizationName: string;
}
/** The body of POST /psps/{pspId}/fdrs/{fdr}. */
export interface CreateFlowRequest {
  fdr: string;
  /** date-time */
  fdrDate: string;
  sender: RestSender;
  receiver: RestReceiver;
  regulation: string;
  /** YYYY-MM-DD */
  regulationDate: string;
  bicCodePouringBank?: string;
  totPayments: number;
  /** euro */
  sumPayments: number;
}
/** One payment of PUT …/payments/add. */
export interface RestPayment {
  index: number;
  iuv: string;
  iur: string;
  idTransfer: number;
  /** euro */
  pay: number;
  payStatus: RestPayStatus;
  /** date-time */
  payDate: string;
}

/** tipoIdentificativoUnivoco of the SOAP document (G legal person, A ABI code, B BIC code) for each REST sender type. */
export const SENDER_ID_TYPE: Readonly<Record<RestSenderType, string>> = { LEGAL_PERSON: 'G', ABI_CODE: 'A', BIC_CODE: 'B' };

/** The payStatus of an outcome code (REST_PAY_STATUS). */
export function payStatusOf(code: FlowOutcomeCode): RestPayStatus {
  return REST_PAY_STATUS[code] as RestPayStatus;
}

/** The outcome code of a payStatus; undefined for a value outside the enumeration. */
export function outcomeCodeOf(payStatus: string): FlowOutcomeCode | undefined {
  return (Object.keys(REST_PAY_STATUS) as FlowOutcomeCode[]).find((c) => REST_PAY_STATUS[c] === payStatus);
}

/** Euro as a JSON number → cents; undefined when it has more than two decimals or is not finite. */
export function centsOfEuro(euro: number): number | undefined {
  if (!Number.isFinite(euro)) return undefined;
  const cents = Math.round(euro * 100);
  // a value with a third decimal is not an amount (pattern \d+[.]\d{1,2} of the official document)
  return Math.abs(cents - euro * 100) < 1e-6 * Math.max(1, Math.abs(euro * 100)) ? cents : undefined;
}

/** Cents → euro as a JSON number (two decimals at most, by construction). */
export function euroOfCents(cents: number): number {
  return Number((cents / 100).toFixed(2));
}

/** The UTC day (YYYY-MM-DD) of a date-time; the text's own first ten characters when it does not parse. */
export function dayOf(dateTime: string): string {
  const t = Date.parse(dateTime);
  return Number.isNaN(t) ? dateTime.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

/** A REST payment as a flow line. Amounts with more than two decimals are rounded to the cent (the server refuses them first: FDR-1001). */
export function lineFromRest(p: RestPayment): FlowLine {
  return {
    iuv: p.iuv,
    iur: p.iur,
    index: p.index,
    idTransfer: p.idTransfer,
    amountCents: centsOfEuro(p.pay) ?? Math.round(p.pay * 100),
    outcomeCode: outcomeCodeOf(p.payStatus) ?? '0',
    date: dayOf(p.payDate),
  };
}

/**
 * The flow a PSP built over REST: its creation request and the payments it added (in index
 * order). `revision` is the FdR 3 revision when known (the platform assigns it at publication).
 */
export function flowFromRest(req: CreateFlowRequest, payments: readonly RestPayment[], revision?: number): ReportingFlow {
  const lines = [...payments].sort((a, b) => a.index - b.index).map(lineFromRest);
  return {
    flowId: req.fdr,
    flowDate: req.fdrDate,
    ...(revision !== undefined ? { revision } : {}),
    idPSP: req.sender.pspId,
    idBrokerPSP: req.sender.pspBrokerId,
    idChannel: req.sender.channelId,
    sender: { idType: SENDER_ID_TYPE[req.sender.type] ?? req.sender.type, id: req.sender.id, name: req.sender.pspName },
    ecFiscalCode: req.receiver.organizationId,
    // the receiving EC is always a legal person (ctIdentificativoUnivocoPersonaG)
    receiver: { idType: 'G', id: req.receiver.id, name: req.receiver.organizationName },
    regulationId: req.regulation,
    regulationDate: req.regulationDate,
    ...(req.bicCodePouringBank !== undefined ? { bicCodePouringBank: req.bicCodePouringBank } : {}),
    totalCount: req.totPayments,
    totalCents: centsOfEuro(req.sumPayments) ?? Math.round(req.sumPayments * 100),
    lines,
  };
}

/** A date-time as an Instant: SOAP's dataOraFlusso may carry no offset, which FdR 3 reads as UTC. */
export function withOffset(dateTime: string): string {
  return /(Z|[+-]\d{2}:\d{2})$/i.test(dateTime) ? dateTime : `${dateTime}Z`;
}

const REST_SENDER_TYPE = Object.fromEntries(Object.entries(SENDER_ID_TYPE).map(([k, v]) => [v, k])) as Record<string, RestSenderType>;

/**
 * The payments of a flow as FdR 3 shows them, lines [from, to) only (a page of a large flow maps
 * just that page). A flow that did not come by REST: see flowToRest.
 */
export function paymentsToRest(flow: ReportingFlow, from = 0, to = flow.lines.length): RestPayment[] {
  const restLike = flow.lines.every((l) => l.idTransfer !== undefined && l.index !== undefined) && new Set(flow.lines.map((l) => l.index)).size === flow.lines.length;
  return flow.lines.slice(from, to).map((l, k): RestPayment => ({
    index: restLike ? l.index! : from + k + 1,
    iuv: l.iuv,
    iur: l.iur,
    idTransfer: restLike ? l.idTransfer! : Math.min(5, Math.max(1, l.idTransfer ?? l.index ?? 1)),
    pay: euroOfCents(l.amountCents),
    payStatus: payStatusOf(l.outcomeCode),
    payDate: `${l.date}T00:00:00Z`,
  }));
}

/**
 * A flow as FdR 3 shows it: the creation request and the payments. A flow that did not come by
 * REST (SOAP: indiceDatiSingoloPagamento is the transfer's position and repeats in a flow) gets
 * index = its position from 1 and idTransfer = its SOAP index (1 when absent); a REST flow keeps
 * both. payDate is the line's day at 00:00 UTC. Fields SOAP may leave out get the platform's
 * fallbacks: channel and broker '-', sender name the sender id.
 */
export function flowToRest(flow: ReportingFlow): { request: CreateFlowRequest; payments: RestPayment[] } {
  return { request: headerToRest(flow), payments: paymentsToRest(flow) };
}

/** The header of a flow as FdR 3 shows it (the creation request); fallbacks as flowToRest says. */
export function headerToRest(flow: ReportingFlow): CreateFlowRequest {
  return {
    fdr: flow.flowId,
    fdrDate: withOffset(flow.flowDate),
    sender: {
      type: REST_SENDER_TYPE[flow.sender.idType ?? ''] ?? 'LEGAL_PERSON',
      id: flow.sender.id,
      pspId: flow.idPSP,
      pspName: flow.sender.name ?? flow.sender.id,
      pspBrokerId: flow.idBrokerPSP ?? '-',
      channelId: flow.idChannel ?? '-',
    },
    receiver: { id: flow.receiver.id, organizationId: flow.ecFiscalCode, organizationName: flow.receiver.name ?? flow.ecFiscalCode },
    regulation: flow.regulationId,
    regulationDate: flow.regulationDate,
    ...(flow.bicCodePouringBank !== undefined ? { bicCodePouringBank: flow.bicCodePouringBank } : {}),
    totPayments: flow.totalCount,
    sumPayments: euroOfCents(flow.totalCents),
  };
}

/**
 * The layout checks FdR 3 makes on a flow name (NM-V-12, NM-A-23: `<YYYY-MM-DD><pspId>-<unique>`):
 * 'date' when the first ten characters are not a calendar date (FDR-3008), 'psp' when the PSP id
 * does not follow it (FDR-3009); undefined when both parts are right. The unique part is not judged
 * here (the PSP seat judges the whole layout, at WARNING level).
 */
export function flowNameFault(fdr: string, pspId: string): 'date' | 'psp' | undefined {
  const day = fdr.slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return 'date';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== day) return 'date';
  return fdr.slice(10, 10 + pspId.length) === pspId ? undefined : 'psp';
}
