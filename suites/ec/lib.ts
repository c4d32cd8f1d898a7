// Observations and checks shared by the EC scenarios. In the EC seat every paForNode exchange in a
// scenario's journal is the harness (as Nodo) talking to the candidate station: these helpers
// read those exchanges and judge the candidate's answers against the catalogue's rules. Each
// judging helper exports the check definitions (spec lists) it records, parameterised by the
// requirement the scenario judges, so a scenario declares them as data.
import type { JournalEntry } from '../../src/core/journal.js';
import type { EcContext } from '../../seats/ec.js';
import { spec, type CheckSpec, type Notice } from '../../src/core/scenario.js';
import { El, child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { ALL_OPERATIONS, OPERATIONS } from '../../interfaces/index.js';
import type { CallResult } from '../../src/wire/http.js';
import { stationPrimitive } from '../../domain/registry.js';
import { type Answer, answerOfExchange, answerSaid, headerOf, problemSaid } from '../../src/wire/answer.js';
import { type Bi, type Said, joinSaid, quotedSaid } from '../../src/core/text.js';

export type PaPrimitive = 'paVerifyPaymentNotice' | 'paGetPayment' | 'paGetPaymentV2' | 'paSendRT' | 'paSendRTV2' | 'paDemandPaymentNotice';
/** A primitive's role, whatever its version: check ids stay the same on V1 and V2 stations. */
export type Role = 'verify' | 'getpayment' | 'receipt' | 'demand';
export const roleOf = (p: PaPrimitive): Role =>
  p === 'paVerifyPaymentNotice' ? 'verify' : p.startsWith('paGetPayment') ? 'getpayment' : p.startsWith('paSendRT') ? 'receipt' : 'demand';
/** The station's version picks the primitive (domain/registry.ts: one place for the choice). */
export const getPrimitive = (t: EcContext): PaPrimitive => stationPrimitive('getPayment', t.station.version);
export const rtPrimitive = (t: EcContext): PaPrimitive => stationPrimitive('sendRT', t.station.version);

/** An exchange with the candidate station as the harness reads it (src/wire/answer.ts). */
export type { Answer };

const isPa = (e: JournalEntry) => !!e.primitive && OPERATIONS[e.primitive]?.iface === 'paForNode';

/** All exchanges with the candidate for a primitive (and notice), oldest first. */
export function exchanges(t: EcContext, primitive: PaPrimitive, noticeNumber?: string): Answer[] {
  const reqs = t.journal.filter((e) => e.direction === 'request' && isPa(e) && e.primitive === primitive && (!noticeNumber || e.correlation.noticeNumber === noticeNumber));
  return reqs.map((req) => readAnswer(req, t.journal.filter((e) => e.direction === 'response' && e.exchange === req.exchange)[0]));
}

export function lastExchange(t: EcContext, primitive: PaPrimitive, noticeNumber?: string): Answer {
  return (
    exchanges(t, primitive, noticeNumber).at(-1) ?? {
      transport: 'none',
      problem: `the harness never called ${primitive}${noticeNumber ? ` for notice ${noticeNumber}` : ''}`,
      problemIt: `il collaudo non ha mai chiamato ${primitive}${noticeNumber ? ` per l’avviso ${noticeNumber}` : ''}`,
    }
  );
}

/** The candidate's answer in a journaled exchange (the schema verdict is the one the journal recorded). */
export function readAnswer(request: JournalEntry | undefined, response: JournalEntry | undefined): Answer {
  return answerOfExchange(request, response, { ops: ALL_OPERATIONS });
}

/**
 * Answer of a direct call made with t.nodo.callStation: the journal's response with this call's
 * bytes and latency (a receipt delivery may land in between, so never just the last entry).
 */
export function answerOfCall(t: EcContext, r: CallResult): Answer {
  const same = (e: JournalEntry) => e.direction === 'response' && isPa(e) && e.raw === (r.raw ?? '') && e.latencyMs === r.latencyMs && (e.transport ?? 'ok') === (r.late ? 'timeout' : r.transport);
  const resp = t.journal.entries.filter(same).at(-1) ?? t.journal.entries.filter((e) => e.direction === 'response' && isPa(e)).at(-1);
  const req = resp ? t.journal.entries.find((e) => e.direction === 'request' && e.exchange === resp.exchange) : undefined;
  if (!resp) return { transport: 'none', problem: `no exchange recorded (${r.transport})`, problemIt: `nessuno scambio registrato (${r.transport})` };
  return readAnswer(req, resp);
}

/** An answer in a few words (English), for texts that stay English (harness errors). */
export const describeAnswer = (a: Pick<Answer, 'problem' | 'outcome' | 'fault'>): string => answerSaid(a)[0];

/** An HTTP answer came (whatever it was): the candidate did answer. */
export const answered = (a: Answer): boolean => !!a.response && !a.response.transport && a.response.httpStatus !== undefined;

// ---------------- schema and transport of an answer (IF-X-01, IF-X-07 / field rules) ----------------

/** A role in an Italian sentence: "la risposta <role>", "dell'<role>". */
export const ROLE_IT: Record<Role, string> = { verify: 'di verifica', getpayment: 'di attivazione', receipt: 'all’invio della ricevuta', demand: 'alla richiesta di avviso' };

/** Rules only a V2 answer can show (a V1 answer's validity says nothing about them). */
const V2_ONLY = ['IF-paGetPaymentV2-F60'];
const schemaId = (primitive: PaPrimitive): string => (primitive === 'paGetPaymentV2' ? 'getpaymentV2-schema' : `${roleOf(primitive)}-schema`);

/**
 * The checks `checkSchema` records for a role: schema validity (bound to `requirements`) and
 * Content-Type (IF-X-01). The V2 activation has its own check, bound to the V2-only rules as well;
 * `only` names the one version a scenario pins.
 */
export function schemaChecks(role: Role, requirements: string | string[] = 'IF-X-07', only?: 'v1' | 'v2'): CheckSpec[] {
  const reqs = typeof requirements === 'string' ? [requirements] : requirements;
  const common = reqs.filter((r) => !V2_ONLY.includes(r));
  // a station configured for V2 gets paGetPaymentV2 wherever the scenario does not pin V1
  const v2 = role === 'getpayment' && only !== 'v1';
  return [
    ...(only === 'v2' && role === 'getpayment'
      ? []
      : [spec(`${role}-schema`, [`the ${role} answer is the operation's response element, valid against paForNode.xsd`, `la risposta ${ROLE_IT[role]} è l’elemento di risposta dell’operazione, valido rispetto a paForNode.xsd`], common)]),
    ...(v2
      ? [
          spec(
            'getpaymentV2-schema',
            ['the paGetPaymentV2 answer is a paGetPaymentV2Response valid against paForNode.xsd (V2 makes data.companyName mandatory)', 'la risposta a paGetPaymentV2 è un paGetPaymentV2Response valido rispetto a paForNode.xsd (con V2 data.companyName è obbligatorio)'],
            reqs,
          ),
        ]
      : []),
    spec(`${role}-content-type`, [`the ${role} answer travels as SOAP 1.1 over HTTP: Content-Type text/xml`, `la risposta ${ROLE_IT[role]} viaggia come SOAP 1.1 su HTTP: Content-Type text/xml`], 'IF-X-01'),
  ];
}

/**
 * The answer is a SOAP message of the right element and validates against paForNode.xsd; it travels
 * as text/xml (IF-X-01). Without an HTTP answer (timeout, refused) or with a SOAP Fault there is no
 * paForNode answer to judge: not exercised here (the scenario's answer check judges it).
 */
export function checkSchema(t: EcContext, a: Answer, primitive: PaPrimitive): boolean {
  const role = roleOf(primitive);
  const id = schemaId(primitive);
  const op = OPERATIONS[primitive]!;
  const r = a.response;
  checkContentType(t, a, `${role}-content-type`);
  if (!answered(a)) {
    const [why, whyIt] = problemSaid(a, ['nothing recorded', 'nulla di registrato']);
    t.notExercised(id, [`no answer to validate: ${why}`, `nessuna risposta da validare: ${whyIt}`], [a.request, a.response]);
    return false;
  }
  if (a.soapFault) {
    const [why, whyIt] = problemSaid(a, ['', '']);
    t.notExercised(id, [`answered with a SOAP Fault, not a ${op.response}: ${why}`, `risposta con un SOAP Fault, non un ${op.response}: ${whyIt}`], [a.request, a.response]);
    return false;
  }
  const held = !a.problem && a.body?.name === op.response && !!r?.xsd?.valid;
  const message: Bi = held
    ? [`valid ${op.response}`, `${op.response} valido`]
    : a.problem !== undefined
      ? problemSaid(a, ['', ''])
      : a.body?.name !== op.response
        ? [`body element is ${a.body?.name}, expected ${op.response}`, `l’elemento nel corpo SOAP è ${a.body?.name}, atteso ${op.response}`]
        : quotedSaid((r?.xsd?.errors ?? []).slice(0, 3));
  return t.check({
    id,
    title: [`${primitive} answer is a ${op.response} valid against paForNode.xsd`, `la risposta a ${primitive} è un ${op.response} valido rispetto a paForNode.xsd`],
    held,
    message,
    entries: [a.request, a.response],
  });
}

/** Content-Type text/xml on an HTTP answer of the candidate (IF-X-01). */
export function checkContentType(t: EcContext, a: Answer, id: string): void {
  if (!answered(a)) {
    const [why, whyIt] = problemSaid(a, ['nothing recorded', 'nulla di registrato']);
    return t.notExercised(id, [`no HTTP answer: ${why}`, `nessuna risposta HTTP: ${whyIt}`], [a.request, a.response]);
  }
  const type = headerOf(a.response, 'content-type');
  if (!a.response?.headers) return t.notExercised(id, ['the journal holds no response headers for this answer', 'il giornale non contiene gli header HTTP di questa risposta'], [a.response]);
  t.check({
    id,
    held: /^text\/xml\s*(;|$)/i.test(type ?? ''),
    message: [`HTTP ${a.response.httpStatus}, Content-Type ${type ?? '(none)'}`, `HTTP ${a.response.httpStatus}, Content-Type ${type ?? '(nessuno)'}`],
    entries: [a.request, a.response],
  });
}

// ---------------- fault bean (IF-X-07, IF-X-09, IF-X-10, IF-X-11, NM-X-FB-01) ----------------

export function faultBeanChecks(role: Role): CheckSpec[] {
  return [
    spec(`${role}-outcome-fault`, ['outcome KO if and only if a fault is present', 'esito KO se e solo se è presente un fault'], ['IF-X-07', 'NM-X-FB-01']),
    spec(`${role}-fault-prefix`, ['an EC fault code carries the PAA_ prefix (<emitter>_<code>)', 'un codice di errore dell’EC ha il prefisso PAA_ (<emittente>_<codice>)'], ['IF-X-10', 'NM-X-FB-01']),
    spec(`${role}-ko-http-200`, ['an application error travels in a KO body with HTTP 200', 'un errore applicativo viaggia in un corpo KO con HTTP 200'], 'IF-X-09'),
    spec(`${role}-fault-id`, ['faultBean.id is the EC fiscal code', 'faultBean.id è il codice fiscale dell’EC'], ['IF-X-11', 'NM-X-FB-01']),
    // the standard texts differ between the published tables: a faultString is required, its wording is not compared
    spec(`${role}-fault-string`, ['faultBean.faultString is present (a text for the code; its wording is not compared)', 'faultBean.faultString è presente (un testo per il codice; la formulazione non è confrontata)'], 'NM-X-FB-01'),
  ];
}

/** outcome KO ⇔ fault present; on a KO: PAA_ prefix, HTTP 200, the EC's own id, a faultString. Nothing is recorded without a SOAP answer. */
export function checkFaultBean(t: EcContext, a: Answer, primitive: PaPrimitive, ecId: string): void {
  if (!a.body) return;
  const role = roleOf(primitive);
  const hasFault = !!child(a.body, 'fault');
  t.check({
    id: `${role}-outcome-fault`,
    held: (a.outcome === 'KO') === hasFault,
    message: [`outcome ${a.outcome}, fault ${hasFault ? 'present' : 'absent'}`, `esito ${a.outcome}, fault ${hasFault ? 'presente' : 'assente'}`],
    entries: [a.response],
  });
  if (a.outcome !== 'KO' || !a.fault) return;
  const e = [a.response];
  t.check({ id: `${role}-fault-prefix`, held: a.fault.faultCode.startsWith('PAA_'), message: [`faultCode ${a.fault.faultCode}`, `faultCode ${a.fault.faultCode}`], entries: e });
  t.check({ id: `${role}-ko-http-200`, held: a.response?.httpStatus === 200, message: [`HTTP ${a.response?.httpStatus}`, `HTTP ${a.response?.httpStatus}`], entries: e });
  t.check({ id: `${role}-fault-id`, held: a.fault.id === ecId, message: [`id "${a.fault.id}", expected "${ecId}"`, `id "${a.fault.id}", atteso "${ecId}"`], entries: e });
  const fs = a.fault.faultString?.trim() ?? '';
  t.check({ id: `${role}-fault-string`, held: fs.length > 0, message: fs ? [`faultString "${fs}"`, `faultString "${fs}"`] : ['faultString empty or absent', 'faultString vuoto o assente'], entries: e });
}

// ---------------- answer codes ----------------

export interface FaultExpectation {
  id: string;
  /** overrides the declared title with this run's specifics */
  title?: Said;
  /** narrows the declared requirements */
  requirements?: string[];
  /** codes that PASS */
  accept: string[];
  /** codes that are only a WARNING (accepted readings that are not preferred) */
  warn?: string[];
  /** what any other KO is: FAIL (default) or WARNING */
  otherKo?: 'FAIL' | 'WARNING';
  /** a SOAP Fault: PASS for unparsable input (IF-A-04), WARNING from a schema-validating stack (IF-X-18), else FAIL */
  soapFault?: 'PASS' | 'WARNING' | 'FAIL';
  /** the catalogue's reading is "only an OK is FAIL": any refusal that is not the expected KO (other KO, SOAP Fault, error page, timeout) is a WARNING */
  onlyOkFails?: boolean;
}

/** Judges a KO answer against accept/warn lists; an OK is always FAIL; a hang or a crash is FAIL unless only an OK fails. */
export function checkKo(t: EcContext, a: Answer, x: FaultExpectation): boolean {
  const code = a.fault?.faultCode;
  const expected: Bi = [`expected KO ${x.accept.join(' or ')}`, `atteso KO ${x.accept.join(' o ')}`];
  let verdict: 'PASS' | 'WARNING' | 'FAIL';
  let message: Bi;
  if (a.outcome === 'KO' && code && x.accept.includes(code)) {
    verdict = 'PASS';
    message = [`KO ${code}`, `KO ${code}`];
  } else if (a.outcome === 'KO' && code && x.warn?.includes(code)) {
    verdict = 'WARNING';
    message = [`KO ${code}: accepted reading, ${x.accept.join(' or ')} preferred`, `KO ${code}: lettura ammessa, preferibile ${x.accept.join(' o ')}`];
  } else if (a.outcome === 'KO') {
    verdict = x.onlyOkFails ? 'WARNING' : (x.otherKo ?? 'FAIL');
    message = [`KO ${code ?? '(no fault)'}, ${expected[0]}`, `KO ${code ?? '(nessun fault)'}, ${expected[1]}`];
  } else if (a.outcome === 'OK') {
    verdict = 'FAIL';
    message = [`answered OK, ${expected[0]}`, `risposta OK, ${expected[1]}`];
  } else if (a.soapFault) {
    verdict = x.soapFault ?? (x.onlyOkFails ? 'WARNING' : 'FAIL');
    message = verdict === 'PASS' ? problemSaid(a, ['SOAP Fault', 'SOAP Fault']) : joinSaid([problemSaid(a, ['undefined', 'undefined']), expected]);
  } else {
    verdict = x.onlyOkFails ? 'WARNING' : 'FAIL';
    const [p, pIt] = problemSaid(a, ['no usable answer', 'nessuna risposta utilizzabile']);
    message = [
      `${p}; ${expected[0]}${x.onlyOkFails ? ' (not an OK: only an OK is FAIL here)' : ''}`,
      `${pIt}; ${expected[1]}${x.onlyOkFails ? ' (non è un OK: qui solo un OK è FAIL)' : ''}`,
    ];
  }
  t.check({ id: x.id, title: x.title, requirements: x.requirements, held: verdict !== 'FAIL', verdict, message, entries: [a.request, a.response] });
  return verdict !== 'FAIL';
}

export function checkOk(t: EcContext, a: Answer, c: { id: string; title?: Said; requirements?: string[] }): boolean {
  return t.check({ id: c.id, title: c.title, requirements: c.requirements, held: a.outcome === 'OK', message: answerSaid(a), entries: [a.request, a.response] });
}

/** The EC's view of a notice, asked directly (the Nodo answers PPT_PAGAMENTO_DUPLICATO itself once it saw a receipt). */
export async function verifyAtEc(t: EcContext, n: Pick<Notice, 'fiscalCode' | 'noticeNumber'>, note?: string): Promise<Answer> {
  const r = await t.nodo.callStation(
    'paVerifyPaymentNotice',
    { idPA: t.station.idPA, idBrokerPA: t.station.idBrokerPA, idStation: t.station.idStation, qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber } },
    note ? { note } : {},
  );
  return answerOfCall(t, r);
}

export async function getPaymentAtEc(t: EcContext, n: Pick<Notice, 'fiscalCode' | 'noticeNumber'>, amount?: string): Promise<Answer> {
  const r = await t.nodo.callStation(getPrimitive(t), {
    idPA: t.station.idPA,
    idBrokerPA: t.station.idBrokerPA,
    idStation: t.station.idStation,
    qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber },
    amount,
  });
  return answerOfCall(t, r);
}

/** The amount of the one payment option of a verify answer, as written. */
export const verifiedAmount = (a: Answer): string | undefined => textOf(child(child(a.body, 'paymentList'), 'paymentOptionDescription'), 'amount');

export const transfersOf = (data: El | undefined): El[] => childrenNamed(child(data, 'transferList'), 'transfer');
export { child, textOf };
