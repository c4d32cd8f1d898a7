// Observations and checks shared by the EC scenarios. In the EC seat every paForNode exchange in a
// scenario's journal is the harness (as Nodo) talking to the candidate station: these helpers
// read those exchanges and judge the candidate's answers against the catalogue's rules.
import type { JournalEntry } from '../../src/journal.js';
import type { EcContext } from '../../src/seats/ec.js';
import type { Notice } from '../../src/scenario.js';
import { decodeEnvelope, readFault, outcomeOf, FaultBean } from '../../src/protocol/soap.js';
import { El, child, childrenNamed, textOf } from '../../src/protocol/xml.js';
import { OPERATIONS } from '../../src/protocol/operations.js';
import type { CallResult } from '../../src/protocol/http.js';

export type PaPrimitive = 'paVerifyPaymentNotice' | 'paGetPayment' | 'paGetPaymentV2' | 'paSendRT' | 'paSendRTV2' | 'paDemandPaymentNotice';

export interface Answer {
  request?: JournalEntry;
  response?: JournalEntry;
  body?: El;
  outcome?: string;
  fault?: FaultBean;
  /** why there is no usable SOAP answer (timeout, refused, not XML, SOAP Fault …) */
  problem?: string;
  soapFault?: boolean;
}

const isPa = (e: JournalEntry) => !!e.primitive && OPERATIONS[e.primitive]?.iface === 'paForNode';

/** All exchanges with the candidate for a primitive (and notice), oldest first. */
export function exchanges(t: EcContext, primitive: PaPrimitive, noticeNumber?: string): Answer[] {
  const reqs = t.journal.filter((e) => e.direction === 'request' && isPa(e) && e.primitive === primitive && (!noticeNumber || e.correlation.noticeNumber === noticeNumber));
  return reqs.map((req) => readAnswer(req, t.journal.filter((e) => e.direction === 'response' && e.exchange === req.exchange)[0]));
}

export function lastExchange(t: EcContext, primitive: PaPrimitive, noticeNumber?: string): Answer {
  return exchanges(t, primitive, noticeNumber).at(-1) ?? { problem: `the harness never called ${primitive}${noticeNumber ? ` for notice ${noticeNumber}` : ''}` };
}

export function readAnswer(request: JournalEntry | undefined, response: JournalEntry | undefined): Answer {
  if (!response) return { request, problem: 'no response recorded' };
  if (response.transport) return { request, response, problem: `${response.transport}${response.note ? ` (${response.note})` : ''}` };
  const d = decodeEnvelope(response.raw, { validate: false });
  if (!d.ok) return { request, response, problem: `HTTP ${response.httpStatus}: ${d.message}` };
  if (d.msg.soapFault) return { request, response, soapFault: true, problem: `HTTP ${response.httpStatus} SOAP Fault ${d.msg.soapFault.faultcode}: ${d.msg.soapFault.faultstring}` };
  return { request, response, body: d.msg.body, outcome: outcomeOf(d.msg.body), fault: readFault(d.msg.body) };
}

/** Answer of a direct call made with t.nodo.callStation. */
export function answerOfCall(t: EcContext, r: CallResult): Answer {
  const resp = t.journal.entries.filter((e) => e.direction === 'response' && isPa(e)).at(-1);
  const req = resp ? t.journal.entries.find((e) => e.direction === 'request' && e.exchange === resp.exchange) : undefined;
  if (!resp) return { problem: `no exchange recorded (${r.transport})` };
  return readAnswer(req, resp);
}

export const describeAnswer = (a: Pick<Answer, 'problem' | 'outcome' | 'fault'>): string =>
  a.problem ?? (a.outcome === 'KO' ? `KO ${a.fault?.faultCode ?? '(no fault)'}${a.fault?.description ? ` "${a.fault.description}"` : ''}` : `outcome ${a.outcome}`);

// ---------------- checks ----------------

/** The answer is a SOAP message of the right element and validates against paForNode.xsd (IF-X-01, IF-X-05..07; reading guide 5). */
export function checkSchema(t: EcContext, a: Answer, primitive: PaPrimitive, requirement = 'IF-X-07'): boolean {
  const op = OPERATIONS[primitive]!;
  const r = a.response;
  const held = !a.problem && !!r && a.body?.name === op.response && !!r.xsd?.valid;
  return t.check({
    id: `${primitive}-schema`,
    title: `${primitive} answer is a ${op.response} valid against paForNode.xsd`,
    requirement,
    level: 'MUST',
    held,
    message: held
      ? `valid ${op.response}`
      : a.problem ?? (a.body?.name !== op.response ? `body element is ${a.body?.name}, expected ${op.response}` : (r?.xsd?.errors ?? []).slice(0, 3).join('; ')),
    entries: [a.request, a.response],
  });
}

/** outcome KO ⇔ fault present; the EC's faults use the PAA_ prefix and its own id (IF-X-07, IF-X-10, IF-X-11, NM-X-FB-01). */
export function checkFaultBean(t: EcContext, a: Answer, primitive: string, ecId: string): void {
  if (!a.body) return;
  const hasFault = !!child(a.body, 'fault');
  t.check({
    id: `${primitive}-outcome-fault`,
    title: 'outcome KO if and only if a fault is present',
    requirement: 'IF-X-07',
    level: 'MUST',
    held: (a.outcome === 'KO') === hasFault,
    message: `outcome ${a.outcome}, fault ${hasFault ? 'present' : 'absent'}`,
    entries: [a.response],
  });
  if (a.outcome === 'KO' && a.fault) {
    t.check({
      id: `${primitive}-fault-prefix`,
      title: 'an EC fault code carries the PAA_ prefix (<emitter>_<code>)',
      requirement: 'IF-X-10',
      level: 'MUST',
      held: a.fault.faultCode.startsWith('PAA_'),
      message: `faultCode ${a.fault.faultCode}`,
      entries: [a.response],
    });
    t.check({
      id: `${primitive}-ko-http-200`,
      title: 'an application error travels in a KO body with HTTP 200',
      requirement: 'IF-X-09',
      level: 'MUST',
      held: a.response?.httpStatus === 200,
      message: `HTTP ${a.response?.httpStatus}`,
      entries: [a.response],
    });
    t.check({
      id: `${primitive}-fault-id`,
      title: 'faultBean.id is the EC fiscal code',
      requirement: 'IF-X-11',
      level: 'MUST',
      held: a.fault.id === ecId,
      message: `id "${a.fault.id}", expected "${ecId}"`,
      entries: [a.response],
    });
  }
}

export interface FaultExpectation {
  id: string;
  title: string;
  requirement: string;
  /** codes that PASS */
  accept: string[];
  /** codes that are only a WARNING (accepted readings that are not preferred) */
  warn?: string[];
  /** what any other KO is: FAIL (default) or WARNING */
  otherKo?: 'FAIL' | 'WARNING';
  /** a SOAP Fault: PASS for unparsable input (IF-A-04), WARNING from a schema-validating stack (IF-X-18), else FAIL */
  soapFault?: 'PASS' | 'WARNING' | 'FAIL';
}

/** Judges a KO answer against accept/warn lists; an OK, a hang or a crash is always FAIL. */
export function checkKo(t: EcContext, a: Answer, x: FaultExpectation): boolean {
  const code = a.fault?.faultCode;
  let verdict: 'PASS' | 'WARNING' | 'FAIL';
  let message: string;
  if (a.outcome === 'KO' && code && x.accept.includes(code)) {
    verdict = 'PASS';
    message = `KO ${code}`;
  } else if (a.outcome === 'KO' && code && x.warn?.includes(code)) {
    verdict = 'WARNING';
    message = `KO ${code}: accepted reading, ${x.accept.join(' or ')} preferred`;
  } else if (a.outcome === 'KO') {
    verdict = x.otherKo ?? 'FAIL';
    message = `KO ${code ?? '(no fault)'}, expected ${x.accept.join(' or ')}`;
  } else if (a.outcome === 'OK') {
    verdict = 'FAIL';
    message = `answered OK, expected KO ${x.accept.join(' or ')}`;
  } else if (a.soapFault) {
    verdict = x.soapFault ?? 'FAIL';
    message = verdict === 'PASS' ? (a.problem ?? 'SOAP Fault') : `${a.problem}; expected KO ${x.accept.join(' or ')}`;
  } else {
    verdict = 'FAIL';
    message = `${a.problem ?? 'no usable answer'}; expected KO ${x.accept.join(' or ')}`;
  }
  t.check({ id: x.id, title: x.title, requirement: x.requirement, level: 'MUST', held: verdict !== 'FAIL', verdict, message, entries: [a.request, a.response] });
  return verdict !== 'FAIL';
}

export function checkOk(t: EcContext, a: Answer, c: { id: string; title: string; requirement: string; level?: 'MUST' | 'SHOULD' }): boolean {
  return t.check({
    id: c.id,
    title: c.title,
    requirement: c.requirement,
    level: c.level ?? 'MUST',
    held: a.outcome === 'OK',
    message: describeAnswer(a),
    entries: [a.request, a.response],
  });
}

/** The EC's view of a notice, asked directly (the Nodo answers PPT_PAGAMENTO_DUPLICATO itself once it saw a receipt). */
export async function verifyAtEc(t: EcContext, n: Notice): Promise<Answer> {
  const r = await t.nodo.callStation('paVerifyPaymentNotice', {
    idPA: t.station.idPA,
    idBrokerPA: t.station.idBrokerPA,
    idStation: t.station.idStation,
    qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber },
  });
  return answerOfCall(t, r);
}

export async function getPaymentAtEc(t: EcContext, n: Notice, amount?: string): Promise<Answer> {
  const prim = t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment';
  const r = await t.nodo.callStation(prim, {
    idPA: t.station.idPA,
    idBrokerPA: t.station.idBrokerPA,
    idStation: t.station.idStation,
    qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber },
    amount,
  });
  return answerOfCall(t, r);
}

export const transfersOf = (data: El | undefined): El[] => childrenNamed(child(data, 'transferList'), 'transfer');
export { child, textOf };
