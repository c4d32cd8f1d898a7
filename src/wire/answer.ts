// One reading of a SOAP answer, whoever reads it (a suite judging a candidate, the harness's emulated
// PSP) and whatever carried it: the CallResult a caller got back, or the request/response pair a
// journal recorded. Model-agnostic: the outcome is `outcome` (new model) or `esito` (old model), and
// the operation is found among the operations the reader passes (dispatch by element).
import type { JournalEntry } from '../core/journal.js';
import type { Operation } from './contract.js';
import type { CallResult } from './http.js';
import { type Decoded, type FaultBean, type SoapFaultInfo, decodeEnvelope, outcomeOf, readFault } from './soap.js';
import type { El } from './xml.js';
import type { XsdVerdict } from './xsd.js';

export interface Answer {
  /** 'ok' when an HTTP answer came in time; else what happened instead (timeout, refused, reset …); 'none' when nothing was recorded */
  transport: string;
  httpStatus?: number;
  /** the journal entries it was read from (journal pairs only) */
  request?: JournalEntry;
  response?: JournalEntry;
  /** the operation and kind of the body element, among the operations it was decoded with */
  op?: Operation;
  kind?: 'request' | 'response';
  /** the element inside soapenv:Body (absent for a SOAP Fault) */
  body?: El;
  /** outcome (new model) or esito (old model) */
  outcome?: string;
  fault?: FaultBean;
  soapFault?: SoapFaultInfo;
  /** schema verdict of the body: decoded with validation, or as the journal recorded it */
  xsd?: XsdVerdict;
  /** why there is no usable SOAP answer, told as what the peer did (timeout, an HTML page, a SOAP Fault …) */
  problem?: string;
}

function fromDecoded(base: Pick<Answer, 'transport' | 'httpStatus' | 'request' | 'response'>, msg: Decoded, xsd: XsdVerdict | undefined): Answer {
  const read: Answer = { ...base, op: msg.op, kind: msg.kind, xsd };
  if (msg.soapFault) return { ...read, soapFault: msg.soapFault, problem: `HTTP ${base.httpStatus} SOAP Fault ${msg.soapFault.faultcode}: ${msg.soapFault.faultstring}` };
  // by its operation when known: the old model's result elements, outcome leaves and fault lists
  return { ...read, body: msg.body, outcome: outcomeOf(msg.body, msg.op), fault: readFault(msg.body, msg.op) };
}

/** The answer of a call the reader made (decoded and validated by the call, with the endpoint's operations). */
export function answerOfCall(r: CallResult): Answer {
  const base = { transport: r.transport, httpStatus: r.status };
  if (r.transport !== 'ok') return { ...base, problem: `${r.transport}${r.error ? `: ${r.error}` : ''}${r.late ? ' (late answer)' : ''}` };
  const d = r.decoded;
  if (!d || !d.ok) return { ...base, problem: `HTTP ${r.status}: ${d && !d.ok ? d.message : 'no body'}` };
  return fromDecoded(base, d.msg, d.msg.xsd);
}

export interface ExchangeReading {
  /** the operations the body may belong to */
  ops: readonly Operation[];
  /** validate the body again (else the verdict the journal recorded is kept) */
  validate?: boolean;
}

/** The answer of a journaled exchange: its response entry read against its request. */
export function answerOfExchange(request: JournalEntry | undefined, response: JournalEntry | undefined, o: ExchangeReading): Answer {
  if (!response) return { transport: 'none', request, problem: 'no response recorded' };
  const base = { transport: response.transport ?? 'ok', httpStatus: response.httpStatus, request, response };
  if (response.transport) return { ...base, problem: `${response.transport}${response.note ? ` (${response.note})` : ''}` };
  const d = decodeEnvelope(response.raw, { ops: o.ops, validate: o.validate ?? false });
  if (!d.ok) return { ...base, problem: describeNonSoap(response, d.message) };
  return fromDecoded(base, d.msg, o.validate ? d.msg.xsd : response.xsd);
}

/** An answer a caller may rely on: HTTP 200, a response element of an operation, valid against its schema. */
export const isUsable = (a: Answer): boolean => a.transport === 'ok' && a.httpStatus === 200 && a.kind === 'response' && !!a.body && !!a.xsd?.valid;

export const headerOf = (e: JournalEntry | undefined, name: string): string | undefined =>
  Object.entries(e?.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * What the peer sent when it is not a SOAP message, told as what it did ("HTTP 500, text/html,
 * <first bytes>"), not as our parser's complaint; the parser's reason is added only for XML-looking bodies.
 */
export function describeNonSoap(r: JournalEntry, parserMessage: string): string {
  const type = headerOf(r, 'content-type') ?? 'no Content-Type';
  const head = r.raw.replace(/\s+/g, ' ').trim();
  const bytes = head ? `"${head.length > 80 ? `${head.slice(0, 80)}…` : head}"` : 'empty body';
  const xmlish = /^(<\?xml|<([\w.-]+:)?Envelope[\s>])/i.test(head);
  return `HTTP ${r.httpStatus ?? '?'}, ${type}, ${bytes}${xmlish ? ` (not a SOAP message: ${parserMessage})` : ''}`;
}
