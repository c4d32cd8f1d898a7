// Negative requests generated from paForNode.xsd (issue 4 item 2; src/negative/): one scenario per
// EC primitive, one check per generated case. A valid request is built from real notice data (an EC
// that skips validation would answer it OK), then every schema-invalid variant is sent and judged as
// NM-PSPPAY-ERR-13 / IF-X-18 / IF-A-04 say: KO PAA_SINTASSI_EXTRAXSD → PASS (PAA_SINTASSI_XSD too for
// paDemandPaymentNotice), another KO or a SOAP Fault / HTTP error → WARNING, OK → FAIL, crash or
// hang → FAIL.
import { catalogue } from '../../src/catalogue/index.js';
import { spec, type CheckSpec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import type { Notice } from '../../src/core/scenario.js';
import { type Feature, featureOn } from '../../src/profile/index.js';
import { OPERATIONS } from '../../interfaces/index.js';
import { encodeEnvelope } from '../../src/wire/soap.js';
import { type El, type Node, type NodeObj, child, childrenNamed, textOf, toPlain } from '../../src/wire/xml.js';
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import { parseAmount } from '../../domain/common.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import { buildReceipt, type ReceiptData } from '../../actors/nodo/receipts.js';
import { NEGATIVE_KIND_IT, generateNegatives, type NegativeCase } from '../../src/negative/generate.js';
import { fillUnique } from './spontaneous.js';
import { type Answer, type PaPrimitive, answerOfCall, readAnswer } from './lib.js';
import { answerSaid, problemSaid } from '../../src/wire/answer.js';
import type { Bi } from '../../src/core/text.js';

type S = ScenarioDef<EcContext>;

/** at most this many cases per primitive (receipts have ~100 fields; wrapper-level cases are always kept) */
export const MAX_CASES = 60;
/** stop sending after this many cases got no answer at all (a hanging EC would otherwise cost minutes) */
const MAX_DEAD = 3;
const CONCURRENCY = 4;

// ---------------- valid base requests (schema order) ----------------

const ids = (t: { station: { idPA: string; idBrokerPA: string; idStation: string } }) => ({ idPA: t.station.idPA, idBrokerPA: t.station.idBrokerPA, idStation: t.station.idStation });

export function verifyRequest(t: { station: EcContext['station'] }, n: Pick<Notice, 'fiscalCode' | 'noticeNumber'>): NodeObj {
  return { ...ids(t), qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber } };
}

/** paGetPayment(V2) with every optional field filled, so that each gets its cases (amount, note, POSTAL, dueDate). */
export function getPaymentRequest(t: { station: EcContext['station'] }, n: Pick<Notice, 'fiscalCode' | 'noticeNumber'>, amount: string | undefined, dueDate: string): NodeObj {
  return { ...verifyRequest(t, n), amount, paymentNote: 'collaudo negative requests', transferType: 'PAGOPA', dueDate };
}

export function demandRequest(t: { station: EcContext['station'] }, svc: { idServizio: string; idSoggettoServizio: string }, data: string): NodeObj {
  return { ...ids(t), idServizio: svc.idServizio, idSoggettoServizio: svc.idSoggettoServizio, datiSpecificiServizioRequest: data };
}

/**
 * A receipt for the notice as the Nodo would build it from the EC's own paGetPayment data (real IUV,
 * amounts, transfers, IBANs, debtor): an EC that skipped validation would book it.
 */
export function receiptFromData(n: Pick<Notice, 'fiscalCode' | 'noticeNumber'>, data: El, receiptId: string, now: number): ReceiptData {
  const transfers = childrenNamed(child(data, 'transferList'), 'transfer').map((x) => ({
    idTransfer: Number(textOf(x, 'idTransfer')),
    amount: parseAmount(textOf(x, 'transferAmount')) ?? 0,
    fiscalCodePA: textOf(x, 'fiscalCodePA') ?? n.fiscalCode,
    companyName: textOf(x, 'companyName') ?? textOf(data, 'companyName'),
    iban: textOf(x, 'IBAN') ?? 'IT60X0542811101000000123456',
    remittanceInformation: textOf(x, 'remittanceInformation') ?? 'collaudo',
    transferCategory: textOf(x, 'transferCategory') ?? '0101101IM',
  }));
  const debtor = child(data, 'debtor');
  return {
    receiptId,
    noticeNumber: n.noticeNumber,
    fiscalCode: n.fiscalCode,
    outcome: 'OK',
    creditorReferenceId: textOf(data, 'creditorReferenceId') ?? n.noticeNumber.slice(1),
    paymentAmount: parseAmount(textOf(data, 'paymentAmount')) ?? 0,
    description: textOf(data, 'description') ?? 'collaudo',
    companyName: textOf(data, 'companyName') ?? 'collaudo',
    officeName: textOf(data, 'officeName'),
    debtor: debtor ? (toPlain(debtor) as Node) : { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
    transfers,
    idPSP: HARNESS_PSP.idPSP,
    pspFiscalCode: HARNESS_PSP.fiscalCode,
    PSPCompanyName: HARNESS_PSP.companyName,
    idChannel: HARNESS_PSP.idChannel,
    channelDescription: 'collaudo',
    payer: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'VRDGPP80A01H501X' }, fullName: 'Giuseppe Verdi', country: 'IT', 'e-mail': 'giuseppe.verdi@example.org' },
    paymentMethod: 'creditCard',
    paymentNote: 'collaudo',
    fee: 100,
    primaryCiIncurredFee: 0,
    idBundle: 'collaudo-bundle',
    idCiBundle: 'collaudo-ci-bundle',
    paymentDateTime: isoDateTime(now),
    applicationDate: isoDate(now),
    transferDate: isoDate(now),
    standIn: false,
  };
}

export function sendRtRequest(t: { station: EcContext['station'] }, r: ReceiptData, version: 1 | 2): NodeObj {
  return { ...ids(t), receipt: buildReceipt(r, version) };
}

// ---------------- sending and judging ----------------

/** The answer to one envelope, matched by its raw bytes (cases run concurrently). */
function answerFor(t: EcContext, envelope: string): Answer {
  const req = t.journal.entries.find((e) => e.direction === 'request' && e.raw === envelope);
  const resp = req ? t.journal.entries.find((e) => e.direction === 'response' && e.exchange === req.exchange) : undefined;
  return readAnswer(req, resp);
}

const REQUIREMENT_OF: Partial<Record<NegativeCase['kind'], string>> = { order: 'IF-X-06', 'qualified-child': 'IF-X-05' };

/**
 * The catalogue's field rule of the request element a case breaks (IF-<operation>-F01…F39, matched
 * by the element name the rule's summary starts with); V2 requests share the V1 fields.
 */
export function fieldRequirement(primitive: PaPrimitive, path: string): string | undefined {
  const op = primitive.replace(/V2$/, '');
  const top = path.split('/')[0];
  if (!top) return undefined;
  const re = new RegExp(`^${top}[ :(]`);
  return catalogue().requirements.find((r) => r.id.startsWith(`IF-${op}-F`) && Number(r.id.slice(-2)) < 40 && re.test(r.title))?.id;
}

function requirementOf(c: NegativeCase, primitive: PaPrimitive): string {
  if (c.kind === 'type' && c.change.includes('(type decimal)')) return 'IF-X-19';
  if (c.kind === 'type' && /\(type date(Time)?\)/.test(c.change)) return 'IF-X-20';
  return REQUIREMENT_OF[c.kind] ?? fieldRequirement(primitive, c.path) ?? FALLBACK;
}

/** a case no rule more precise names: the EC refuses the malformed request (NM-PSPPAY-ERR-13) */
const FALLBACK = 'NM-PSPPAY-ERR-13';
/** The top-level request fields each primitive's cases break (the valid base requests below, in schema order). */
const REQUEST_FIELDS: Record<PaPrimitive, string[]> = {
  paVerifyPaymentNotice: ['idPA', 'idBrokerPA', 'idStation', 'qrCode'],
  paGetPayment: ['idPA', 'idBrokerPA', 'idStation', 'qrCode', 'amount', 'paymentNote', 'transferType', 'dueDate'],
  paGetPaymentV2: ['idPA', 'idBrokerPA', 'idStation', 'qrCode', 'amount', 'paymentNote', 'transferType', 'dueDate'],
  paSendRT: ['idPA', 'idBrokerPA', 'idStation', 'receipt'],
  paSendRTV2: ['idPA', 'idBrokerPA', 'idStation', 'receipt'],
  paDemandPaymentNotice: ['idPA', 'idBrokerPA', 'idStation', 'idServizio', 'idSoggettoServizio', 'datiSpecificiServizioRequest'],
};
/** decimals and dates occur in the activation and receipt requests only */
const TYPED = new Set<PaPrimitive>(['paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2']);

/** The requirement ids a primitive's generated cases can be judged under: the same mapping that judges each case. */
export function caseRequirements(primitive: PaPrimitive): string[] {
  const fields = REQUEST_FIELDS[primitive].map((f) => fieldRequirement(primitive, f)).filter((r): r is string => !!r);
  return [...new Set([...fields, ...Object.values(REQUIREMENT_OF), ...(TYPED.has(primitive) ? ['IF-X-19', 'IF-X-20'] : []), FALLBACK])];
}

/** One check definition per requirement a case can break (each case is also a malformed request: NM-PSPPAY-ERR-13), plus the two summaries. */
export function negativeChecks(primitive: PaPrimitive): CheckSpec[] {
  return [
    ...caseRequirements(primitive).map((r) =>
      spec(`case-${r}`, [`a generated request breaking ${r} is refused with PAA_SINTASSI_EXTRAXSD (OK, crash or hang FAIL)`, `una richiesta generata che viola ${r} è rifiutata con PAA_SINTASSI_EXTRAXSD (OK, crash o blocco: FAIL)`], [...new Set([r, FALLBACK])]),
    ),
    spec(
      'all-refused',
      [`every generated schema-invalid ${primitive} request is refused (never OK, never a crash or a hang)`, `ogni richiesta ${primitive} generata non valida per lo schema è rifiutata (mai OK, mai un crash o un blocco)`],
      ['NM-X-VAL-01', FALLBACK],
    ),
    spec(
      'syntax-code',
      [`the refusals carry PAA_SINTASSI_EXTRAXSD${primitive === 'paDemandPaymentNotice' ? ' (or PAA_SINTASSI_XSD)' : ''}`, `i rifiuti riportano PAA_SINTASSI_EXTRAXSD${primitive === 'paDemandPaymentNotice' ? ' (o PAA_SINTASSI_XSD)' : ''}`],
      'IF-X-18',
      'SHOULD',
    ),
  ];
}

type Outcome = 'PASS' | 'WARNING' | 'FAIL';

/** The verdict on one case's answer; `message` in English, `messageIt` its Italian. */
export function judgeNegative(a: Answer, primitive: PaPrimitive): { verdict: Outcome; message: string; messageIt: string; dead: boolean } {
  const code = a.fault?.faultCode;
  const said = (verdict: Outcome, [message, messageIt]: Bi, dead = false) => ({ verdict, message, messageIt, dead });
  if (a.outcome === 'OK') return said('FAIL', ['the schema-invalid request was answered OK', 'la richiesta non valida per lo schema ha avuto risposta OK']);
  if (a.outcome === 'KO') {
    if (code === 'PAA_SINTASSI_EXTRAXSD' || (code === 'PAA_SINTASSI_XSD' && primitive === 'paDemandPaymentNotice')) return said('PASS', [`KO ${code}`, `KO ${code}`]);
    return said('WARNING', [
      `KO ${code ?? '(no fault)'}: refused, but PAA_SINTASSI_EXTRAXSD is the code for a schema-invalid request`,
      `KO ${code ?? '(nessun fault)'}: rifiutata, ma il codice per una richiesta non valida per lo schema è PAA_SINTASSI_EXTRAXSD`,
    ]);
  }
  if (a.soapFault) {
    const [p, pIt] = problemSaid(a, ['undefined', 'undefined']);
    return said('WARNING', [`${p}: refused at envelope level; a KO PAA_SINTASSI_EXTRAXSD is expected (IF-A-04)`, `${pIt}: rifiutata a livello di busta; è atteso un KO PAA_SINTASSI_EXTRAXSD (IF-A-04)`]);
  }
  const r = a.response;
  if (r && !r.transport && r.httpStatus !== undefined) {
    const [p, pIt] = problemSaid(a, [`HTTP ${r.httpStatus}`, `HTTP ${r.httpStatus}`]);
    return said('WARNING', [`${p}: refused, but not with a KO or a SOAP Fault`, `${pIt}: rifiutata, ma né con un KO né con un SOAP Fault`]);
  }
  const [p, pIt] = problemSaid(a, ['nothing recorded', 'nulla di registrato']);
  return said('FAIL', [`no answer: ${p} (crash or hang)`, `nessuna risposta: ${pIt} (crash o blocco)`], true);
}

/** Sends every case (4 at a time) and records one check per case, then the two summary checks. */
export async function runCases(t: EcContext, primitive: PaPrimitive, cases: NegativeCase[]): Promise<void> {
  const results = new Map<NegativeCase, { verdict: Outcome | 'NOT_SENT'; message: string; messageIt: string; a?: Answer }>();
  let dead = 0;
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      if (dead >= MAX_DEAD) {
        results.set(c, { verdict: 'NOT_SENT', message: `not sent: ${dead} earlier cases got no answer at all`, messageIt: `non inviato: ${dead} casi precedenti non hanno avuto alcuna risposta` });
        continue;
      }
      await t.nodo.callStation(primitive, { rawEnvelope: c.envelope }, { note: `generated negative case ${c.id}: ${c.change}` });
      const a = answerFor(t, c.envelope);
      const j = judgeNegative(a, primitive);
      if (j.dead) dead++;
      results.set(c, { verdict: j.verdict, message: j.message, messageIt: j.messageIt, a });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const declared = new Set(caseRequirements(primitive));
  for (const c of cases) {
    const r = results.get(c)!;
    const req = requirementOf(c, primitive);
    const id = `case-${declared.has(req) ? req : FALLBACK}`;
    const title: Bi = [`${c.id} — ${c.kind}: ${c.change}`, `${c.id} — ${NEGATIVE_KIND_IT[c.kind]}: ${c.changeIt}`];
    if (r.verdict === 'NOT_SENT') {
      t.notExercised(id, [`${title[0]}: ${r.message}`, `${title[1]}: ${r.messageIt}`]);
      continue;
    }
    // the validator's diagnostic is quoted in the Italian (its technical output)
    const xsd = c.xsdError.slice(0, 160);
    t.check({ id, title, held: r.verdict !== 'FAIL', verdict: r.verdict, message: [`${r.message} — schema: ${xsd}`, `${r.messageIt} — validazione XSD: "${xsd}"`], entries: [r.a?.request, r.a?.response] });
  }
  const all = [...results.values()];
  const failed = all.filter((r) => r.verdict === 'FAIL');
  const warned = all.filter((r) => r.verdict === 'WARNING');
  const sent = all.filter((r) => r.verdict !== 'NOT_SENT');
  const judged = sent.flatMap((r) => [r.a?.request, r.a?.response]);
  if (sent.length < cases.length && failed.length === 0) {
    t.notExercised(
      'all-refused',
      [
        `${cases.length} generated cases, only ${sent.length} sent: the others were not sent after ${MAX_DEAD} cases got no answer at all`,
        `${cases.length} casi generati, solo ${sent.length} inviati: gli altri non sono stati inviati dopo ${MAX_DEAD} casi senza alcuna risposta`,
      ],
      judged,
    );
  } else {
    t.check({
      id: 'all-refused',
      held: failed.length === 0,
      message: [
        `${cases.length} generated cases, ${sent.length} sent: ${sent.length - failed.length} refused, ${failed.length} answered OK or not answered`,
        `${cases.length} casi generati, ${sent.length} inviati: ${sent.length - failed.length} rifiutati, ${failed.length} con risposta OK o senza risposta`,
      ],
      entries: failed.length ? failed.flatMap((r) => [r.a?.request, r.a?.response]) : judged,
    });
  }
  const refused = sent.length - failed.length;
  if (refused === 0) return t.notExercised('syntax-code', ['no generated case was refused: no refusal code to judge', 'nessun caso generato è stato rifiutato: nessun codice di rifiuto da valutare'], judged);
  t.check({
    id: 'syntax-code',
    held: warned.length === 0,
    message: [
      `${refused - warned.length} of ${refused} refusals with the expected code${warned.length ? `, ${warned.length} with another KO, a SOAP Fault or an HTTP error` : ''}`,
      `${refused - warned.length} rifiuti su ${refused} con il codice atteso${warned.length ? `, ${warned.length} con un altro KO, un SOAP Fault o un errore HTTP` : ''}`,
    ],
    entries: warned.length ? warned.flatMap((r) => [r.a?.request, r.a?.response]) : judged,
  });
}

const noticeSaid = (n: Pick<Notice, 'noticeNumber'>): Bi => [`notice ${n.noticeNumber}`, `avviso ${n.noticeNumber}`];
/** a profile that offers spontaneous payments without a service to ask for */
export const NO_SERVICES: Bi = ['the profile declares features.spontaneous but lists no spontaneous.services', 'il profilo dichiara features.spontaneous ma non elenca alcun spontaneous.services'];

async function baseline(t: EcContext, primitive: PaPrimitive, content: NodeObj, what: Bi): Promise<Answer> {
  const r = await t.nodo.callStation(primitive, content, { note: `valid base request of the generated negative cases (${what[0]})` });
  const a = answerOfCall(t, r);
  if (a.outcome !== 'OK') {
    const [d, dIt] = answerSaid(a);
    t.inconclusive([`the valid base ${primitive} request (${what[0]}) was answered ${d}: the malformed variants would prove nothing`, `la richiesta ${primitive} valida di base (${what[1]}) ha avuto risposta ${dIt}: le varianti malformate non proverebbero nulla`]);
  }
  return a;
}

function casesOf(primitive: PaPrimitive, content: NodeObj): NegativeCase[] {
  return generateNegatives(OPERATIONS[primitive]!, encodeEnvelope(OPERATIONS[primitive]!, 'request', content), { max: MAX_CASES });
}

// ---------------- scenarios ----------------

function negativeScenario(o: { id: string; primitive: PaPrimitive; feature?: Feature; reads?: S['reads']; writes?: S['writes']; build(t: EcContext): Promise<NodeObj> }): S {
  return {
    id: o.id,
    title: `${o.primitive}: malformed requests generated from paForNode.xsd are refused with PAA_SINTASSI_EXTRAXSD`,
    titleIt: `${o.primitive}: richieste malformate generate da paForNode.xsd rifiutate con PAA_SINTASSI_EXTRAXSD`,
    seat: 'ec',
    checks: negativeChecks(o.primitive),
    reads: o.reads,
    writes: o.writes,
    async run(t) {
      // the feature gates the primitive, not a MAY-if-offered requirement: judged here, not as scenario metadata
      if (o.feature && !featureOn(t.profile, o.feature))
        t.notApplicable([`the profile does not declare features.${o.feature}: true (${o.primitive} is not offered)`, `il profilo non dichiara features.${o.feature}: true (${o.primitive} non è offerta)`]);
      const content = await o.build(t);
      await runCases(t, o.primitive, casesOf(o.primitive, content));
    },
  };
}

async function getPaymentBase(t: EcContext, primitive: 'paGetPayment' | 'paGetPaymentV2', own = false): Promise<{ n: Notice; content: NodeObj; data: El }> {
  const n = own ? await t.ownNotice('payable') : await t.notice('payable');
  const v = await baseline(t, 'paVerifyPaymentNotice', verifyRequest(t, n), noticeSaid(n));
  const amount = textOf(child(child(v.body, 'paymentList'), 'paymentOptionDescription'), 'amount');
  const content = getPaymentRequest(t, n, amount, isoDate(t.clock.now() + 30 * 86_400_000));
  const g = await baseline(t, primitive, content, noticeSaid(n));
  return { n, content, data: child(g.body, 'data')! };
}

export const negativeScenarios: S[] = [
  negativeScenario({
    id: 'EC-NEG-01',
    primitive: 'paVerifyPaymentNotice',
    reads: { payable: 1 },
    async build(t) {
      const n = await t.notice('payable');
      const content = verifyRequest(t, n);
      await baseline(t, 'paVerifyPaymentNotice', content, noticeSaid(n));
      return content;
    },
  }),
  negativeScenario({
    id: 'EC-NEG-02',
    primitive: 'paGetPayment',
    reads: { payable: 1 },
    build: async (t) => (await getPaymentBase(t, 'paGetPayment')).content,
  }),
  negativeScenario({
    id: 'EC-NEG-03',
    primitive: 'paGetPaymentV2',
    feature: 'v2',
    reads: { payable: 1 },
    build: async (t) => (await getPaymentBase(t, 'paGetPaymentV2')).content,
  }),
  negativeScenario({
    id: 'EC-NEG-04',
    primitive: 'paSendRT',
    // no valid receipt is ever sent for it, but an EC that books a malformed one closes it: its own
    writes: { payable: 1 },
    async build(t) {
      const { n, data } = await getPaymentBase(t, 'paGetPayment', true);
      return sendRtRequest(t, receiptFromData(n, data, `collaudoNeg${t.clock.now().toString(36)}`, t.clock.now()), 1);
    },
  }),
  negativeScenario({
    id: 'EC-NEG-05',
    primitive: 'paSendRTV2',
    feature: 'v2',
    writes: { payable: 1 },
    async build(t) {
      const { n, data } = await getPaymentBase(t, 'paGetPayment', true);
      return sendRtRequest(t, receiptFromData(n, data, `collaudoNegV2${t.clock.now().toString(36)}`, t.clock.now()), 2);
    },
  }),
  negativeScenario({
    id: 'EC-NEG-06',
    primitive: 'paDemandPaymentNotice',
    feature: 'spontaneous',
    async build(t) {
      const svc = t.profile.spontaneous?.services[0];
      if (!svc) return t.inconclusive(NO_SERVICES);
      const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${Math.random()}`);
      const content = demandRequest(t, svc, Buffer.from(xml, 'utf8').toString('base64'));
      await baseline(t, 'paDemandPaymentNotice', content, [`service ${svc.idServizio}/${svc.idSoggettoServizio}`, `servizio ${svc.idServizio}/${svc.idSoggettoServizio}`]);
      return content;
    },
  }),
];
