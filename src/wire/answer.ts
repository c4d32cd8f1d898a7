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
import { type Bi, quoted } from '../core/text.js';

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
  /** the problem in Italian (the certificate's Italian view); absent where only English was written */
  problemIt?: string;
}

/** Transport outcomes in Italian (the words `Transport` and journal entries use). */
const TRANSPORT_IT: Record<string, string> = {
  timeout: 'nessuna risposta in tempo (timeout)',
  refused: 'connessione rifiutata',
  reset: 'connessione interrotta',
  none: 'nessuno scambio',
  'no-answer': 'nessuna risposta',
  error: 'errore',
};
/** The harness's own transport notes (src/wire/http*.ts), in Italian. */
const DETAIL_IT: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^no answer within (\d+) ms$/, (m) => `nessuna risposta entro ${m[1]} ms`],
  [/^answer arrived after the (\d+) ms deadline$/, (m) => `risposta arrivata dopo la scadenza di ${m[1]} ms`],
  [/^injected: connection refused$/, () => 'guasto iniettato: connessione rifiutata'],
  [/^injected: answer lost$/, () => 'guasto iniettato: risposta persa'],
  [/^injected fault: (\S+)$/, (m) => `guasto iniettato: ${m[1]}`],
  [/^response aborted$/, () => 'risposta interrotta'],
];
/**
 * A transport detail or journal note in Italian: the harness's own notes translated, anything else
 * (the socket's error, a peer's text) quoted as it came. Parts joined by "; " are read one by one.
 */
export function detailIt(detail: string): string {
  return detail
    .split('; ')
    .map((part) => {
      for (const [re, it] of DETAIL_IT) {
        const m = part.match(re);
        if (m) return it(m);
      }
      return quoted(part);
    })
    .join('; ');
}

/** A transport outcome with its detail, in both languages (a detail that is not the harness's own note stays as it came, quoted). */
export function transportSaid(transport: string, detail?: string, late?: boolean): Bi {
  return [`${transport}${detail ? `: ${detail}` : ''}${late ? ' (late answer)' : ''}`, `${TRANSPORT_IT[transport] ?? transport}${detail ? `: ${detailIt(detail)}` : ''}${late ? ' (risposta tardiva)' : ''}`];
}

/** An answer's problem in both languages (the Italian as written where only English was), or `none` without one. */
export const problemSaid = (a: Pick<Answer, 'problem' | 'problemIt'>, none: Bi): Bi => (a.problem !== undefined ? [a.problem, a.problemIt ?? a.problem] : none);

/**
 * One answer in a few words, both languages: what went wrong (`problem`), `KO CODE "description"`
 * (the candidate's own words, quoted), or `outcome OK` (`esito OK` in the old model's wording).
 */
export function answerSaid(a: Pick<Answer, 'problem' | 'problemIt' | 'outcome' | 'fault'>, word: 'outcome' | 'esito' = 'outcome'): Bi {
  if (a.problem !== undefined) return problemSaid(a, ['', '']);
  if (a.outcome === 'KO') {
    const desc = a.fault?.description ? ` "${a.fault.description}"` : '';
    return [`KO ${a.fault?.faultCode ?? '(no faultBean)'}${desc}`, `KO ${a.fault?.faultCode ?? '(nessun faultBean)'}${desc}`];
  }
  return [`${word} ${a.outcome}`, `esito ${a.outcome}`];
}

function fromDecoded(base: Pick<Answer, 'transport' | 'httpStatus' | 'request' | 'response'>, msg: Decoded, xsd: XsdVerdict | undefined): Answer {
  const read: Answer = { ...base, op: msg.op, kind: msg.kind, xsd };
  if (msg.soapFault) {
    const { faultcode, faultstring } = msg.soapFault;
    // the faultstring is the peer's own words: quoted in the Italian
    return { ...read, soapFault: msg.soapFault, problem: `HTTP ${base.httpStatus} SOAP Fault ${faultcode}: ${faultstring}`, problemIt: `HTTP ${base.httpStatus} SOAP Fault ${faultcode}: "${faultstring}"` };
  }
  // by its operation when known: the old model's result elements, outcome leaves and fault lists
  return { ...read, body: msg.body, outcome: outcomeOf(msg.body, msg.op), fault: readFault(msg.body, msg.op) };
}

/** The answer of a call the reader made (decoded and validated by the call, with the endpoint's operations). */
export function answerOfCall(r: CallResult): Answer {
  const base = { transport: r.transport, httpStatus: r.status };
  if (r.transport !== 'ok') {
    const [problem, problemIt] = transportSaid(r.transport, r.error, r.late);
    return { ...base, problem, problemIt };
  }
  const d = r.decoded;
  // the parser's message is technical output: quoted in the Italian
  if (!d || !d.ok) return { ...base, problem: `HTTP ${r.status}: ${d && !d.ok ? d.message : 'no body'}`, problemIt: `HTTP ${r.status}: ${d && !d.ok ? `"${d.message}"` : 'nessun corpo'}` };
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
  if (!response) return { transport: 'none', request, problem: 'no response recorded', problemIt: 'nessuna risposta registrata' };
  const base = { transport: response.transport ?? 'ok', httpStatus: response.httpStatus, request, response };
  if (response.transport) {
    const [problem, problemIt] = transportSaid(response.transport);
    return { ...base, problem: problem + (response.note ? ` (${response.note})` : ''), problemIt: problemIt + (response.note ? ` (${detailIt(response.note)})` : '') };
  }
  const d = decodeEnvelope(response.raw, { ops: o.ops, validate: o.validate ?? false });
  if (!d.ok) {
    const [problem, problemIt] = nonSoapSaid(response, d.message);
    return { ...base, problem, problemIt };
  }
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
  return nonSoapSaid(r, parserMessage)[0];
}

/** describeNonSoap in both languages. */
export function nonSoapSaid(r: JournalEntry, parserMessage: string): Bi {
  const type = headerOf(r, 'content-type');
  const head = r.raw.replace(/\s+/g, ' ').trim();
  const bytes = head ? `"${head.length > 80 ? `${head.slice(0, 80)}…` : head}"` : undefined;
  const xmlish = /^(<\?xml|<([\w.-]+:)?Envelope[\s>])/i.test(head);
  return [
    `HTTP ${r.httpStatus ?? '?'}, ${type ?? 'no Content-Type'}, ${bytes ?? 'empty body'}${xmlish ? ` (not a SOAP message: ${parserMessage})` : ''}`,
    `HTTP ${r.httpStatus ?? '?'}, ${type ?? 'nessun Content-Type'}, ${bytes ?? 'corpo vuoto'}${xmlish ? ` (non è un messaggio SOAP: "${parserMessage}")` : ''}`,
  ];
}
