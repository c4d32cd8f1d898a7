// Requests the EC must refuse or tolerate: misaddressed (idPA / broker / station), schema-invalid,
// garbled, unsafe XML, and valid requests written with other namespace prefixes
// (NM-PSPPAY-ERR-13, IF-X-17, IF-X-18, IF-X-04, IF-X-05, NM-X-VAL-01; IF-A-04 readings).
import { spec, type CheckSpec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { NS } from '../../interfaces/index.js';
import { checkKo, checkSchema, answerOfCall, answered, schemaChecks, type Answer } from './lib.js';
import { answerSaid, problemSaid } from '../../src/wire/answer.js';
import type { Said } from '../../src/core/text.js';
import { FORM_REQ, judgeForm, sendForm } from './wire.js';
import { verifyRequest } from './negative.js';

type S = ScenarioDef<EcContext>;

function verifyContent(t: EcContext, n: { fiscalCode: string; noticeNumber: string }, over: Partial<Record<'idPA' | 'idBrokerPA' | 'idStation', string>> = {}) {
  return {
    idPA: over.idPA ?? t.station.idPA,
    idBrokerPA: over.idBrokerPA ?? t.station.idBrokerPA,
    idStation: over.idStation ?? t.station.idStation,
    qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber },
  };
}

async function send(t: EcContext, envelope: string, note: string): Promise<Answer> {
  const r = await t.nodo.callStation('paVerifyPaymentNotice', { rawEnvelope: envelope }, { note });
  return answerOfCall(t, r);
}

/**
 * A refusal check: KO PAA_SINTASSI_* or (for unparsable input) a SOAP Fault PASS; another KO WARNING;
 * an OK, a crash (connection dropped) or a hang FAIL (IF-X-18, IF-A-04). An HTTP answer that is
 * neither a KO nor a SOAP Fault (an error page) is `nonSoap`: a WARNING for a parseable request from
 * a schema-validating stack, a FAIL for envelope-level garbage, which only a SOAP Fault or a KO may
 * answer (IF-X-09, IF-A-04).
 */
const refusalCheck = (id: string, title: Said): CheckSpec => spec(id, title, ['IF-X-18', 'NM-X-VAL-01', 'NM-PSPPAY-ERR-13', 'IF-X-09']);
/** The station still answers a normal verify after this scenario's hostile requests: a crash is this scenario's FAIL (issue 14 item 8). */
const ALIVE = spec('alive-after', ['the station still answers a normal verify after the hostile request(s): no crash', 'la stazione risponde ancora a una verifica normale dopo le richieste ostili: nessun crash'], 'NM-X-VAL-01');
async function judgeAlive(t: EcContext, n: { fiscalCode: string; noticeNumber: string }): Promise<void> {
  const after = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'liveness after the hostile request(s)' }));
  const down = answered(after) ? undefined : await t.probeCandidate();
  const [p, pIt] = problemSaid(after, ['no answer', 'nessuna risposta']);
  t.check({
    id: 'alive-after',
    held: answered(after),
    message: answered(after) ? answerSaid(after) : [`${p}${down ? `: the station stopped answering during ${down}` : ''}`, `${pIt}${down ? `: la stazione ha smesso di rispondere durante ${down}` : ''}`],
    entries: [after.request, after.response],
  });
}

function judgeRefusal(t: EcContext, a: Answer, c: { id: string; title?: Said; accept: string[]; soapFault: 'PASS' | 'WARNING'; nonSoap: 'FAIL' | 'WARNING' }): void {
  if (a.outcome === 'KO' || a.soapFault) {
    // a SOAP Fault for input that cannot be parsed is the use IF-X-09 reserves it for
    const faultOk = a.soapFault && c.soapFault === 'PASS';
    checkKo(t, a, { ...c, requirements: ['IF-X-18', 'NM-X-VAL-01', 'NM-PSPPAY-ERR-13', ...(faultOk ? ['IF-X-09'] : [])], warn: ['PAA_SINTASSI_XSD'], otherKo: 'WARNING' });
    return;
  }
  if (a.outcome === 'OK') {
    t.check({ id: c.id, title: c.title, requirements: ['NM-X-VAL-01', 'NM-PSPPAY-ERR-13', 'IF-X-18'], held: false, message: ['the malformed request was answered OK', 'la richiesta malformata ha avuto risposta OK'], entries: [a.request, a.response] });
    return;
  }
  if (!answered(a)) {
    const [p, pIt] = problemSaid(a, ['undefined', 'undefined']);
    t.check({ id: c.id, title: c.title, requirements: ['NM-X-VAL-01'], held: false, message: [`no answer: ${p} (crash or hang)`, `nessuna risposta: ${pIt} (crash o blocco)`], entries: [a.request, a.response] });
    return;
  }
  const [p, pIt] = problemSaid(a, ['undefined', 'undefined']);
  t.check({
    id: c.id,
    title: c.title,
    requirements: ['IF-X-09'],
    held: c.nonSoap !== 'FAIL',
    verdict: c.nonSoap,
    message: [`${p}: refused, but neither with a KO nor with a SOAP Fault`, `${pIt}: rifiutata, ma né con un KO né con un SOAP Fault`],
    entries: [a.request, a.response],
  });
}

const GARBLED = ['not-xml', 'truncated', 'unknown-element'] as const;
const GARBLED_IT: Record<(typeof GARBLED)[number], string> = { 'not-xml': 'non XML', truncated: 'busta troncata', 'unknown-element': 'elemento sconosciuto nel corpo SOAP' };

const env = (inner: string, ns = `xmlns:pafn="${NS.paForNode}"`) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" ${ns}><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

const misaddressed: { id: string; field: 'idPA' | 'idBrokerPA' | 'idStation'; value: string; code: string; it: string }[] = [
  { id: 'EC-X-01', field: 'idPA', value: '00000000018', code: 'PAA_ID_DOMINIO_ERRATO', it: 'dominio' },
  { id: 'EC-X-02', field: 'idBrokerPA', value: '00000000026', code: 'PAA_ID_INTERMEDIARIO_ERRATO', it: 'intermediario' },
  { id: 'EC-X-03', field: 'idStation', value: 'COLLAUDO_WRONG_STATION', code: 'PAA_STAZIONE_INT_ERRATA', it: 'stazione' },
];

export const robustnessScenarios: S[] = [
  ...misaddressed.map(
    (m): S => ({
      id: m.id,
      title: `Request addressed to another ${m.field}: refused with ${m.code}`,
      titleIt: `Richiesta indirizzata a un altro ${m.it} (${m.field}): rifiutata con ${m.code}`,
      seat: 'ec',
      // NM-PSPPAY-ERR-13 / IF-X-17: FAIL only for an OK; another KO, a SOAP Fault or no answer is a WARNING
      checks: [
        ...schemaChecks('verify', 'IF-X-07'),
        spec('misaddressed', [`a request for another ${m.field} is refused (${m.code})`, `una richiesta per un altro ${m.it} (${m.field}) è rifiutata (${m.code})`], ['IF-X-17', 'NM-PSPPAY-ERR-13', 'NM-X-VAL-01']),
      ],
      reads: { payable: 1 },
      async run(t) {
        const n = await t.notice('payable');
        const r = await t.nodo.callStation('paVerifyPaymentNotice', verifyContent(t, m.field === 'idPA' ? { ...n, fiscalCode: m.value } : n, { [m.field]: m.value }), { idStation: t.station.idStation, note: `${m.field} = ${m.value}` });
        const a = answerOfCall(t, r);
        checkSchema(t, a, 'paVerifyPaymentNotice');
        checkKo(t, a, { id: 'misaddressed', accept: [m.code], onlyOkFails: true });
      },
    }),
  ),
  {
    id: 'EC-X-04',
    title: 'Schema-invalid request (17-digit notice number, unknown element): refused with PAA_SINTASSI_EXTRAXSD',
    titleIt: 'Richiesta non valida per lo schema (numero avviso di 17 cifre, elemento sconosciuto): rifiutata con PAA_SINTASSI_EXTRAXSD',
    seat: 'ec',
    checks: [refusalCheck('invalid-refused', ['a schema-invalid request gets KO PAA_SINTASSI_EXTRAXSD (only OK, crash or hang is FAIL)', 'una richiesta non valida per lo schema riceve KO PAA_SINTASSI_EXTRAXSD (solo OK, crash o blocco sono FAIL)']), ALIVE],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const bad = env(
        `<pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation>` +
          `<qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber.slice(0, 17)}</noticeNumber></qrCode><collaudoExtra>x</collaudoExtra></pafn:paVerifyPaymentNoticeReq>`,
      );
      judgeRefusal(t, await send(t, bad, 'schema-invalid request'), { id: 'invalid-refused', accept: ['PAA_SINTASSI_EXTRAXSD'], soapFault: 'WARNING', nonSoap: 'WARNING' });
      await judgeAlive(t, n);
    },
  },
  {
    id: 'EC-X-05',
    title: 'Garbled requests (not XML, truncated envelope, unknown body element): refused, never a crash or a hang',
    titleIt: 'Richieste corrotte (non XML, busta troncata, elemento sconosciuto): rifiutate, mai un crash o un blocco',
    seat: 'ec',
    checks: [...GARBLED.map((id) => refusalCheck(`garbled-${id}`, [`garbled request (${id}) is refused with a SOAP Fault or a KO`, `la richiesta corrotta (${GARBLED_IT[id]}) è rifiutata con un SOAP Fault o un KO`])), ALIVE],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const good = env(`<pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation><qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>`);
      const bodies: Record<(typeof GARBLED)[number], string> = {
        'not-xml': 'this is not XML at all',
        truncated: good.slice(0, Math.floor(good.length * 0.6)),
        'unknown-element': env(`<pafn:collaudoNoSuchOperation><idPA>${t.station.idPA}</idPA></pafn:collaudoNoSuchOperation>`),
      };
      for (const id of GARBLED) {
        const a = await send(t, bodies[id], `garbled request: ${id}`);
        judgeRefusal(t, a, { id: `garbled-${id}`, accept: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SINTASSI_XSD'], soapFault: 'PASS', nonSoap: 'FAIL' });
      }
      await judgeAlive(t, n);
    },
  },
  {
    id: 'EC-X-06',
    title: 'Valid requests with other namespace prefixes and a default namespace are answered as the same request in canonical form',
    titleIt: 'Richieste valide con altri prefissi di namespace e con namespace di default ricevono la stessa risposta della forma canonica',
    seat: 'ec',
    checks: (['other-prefix', 'default-namespace'] as const).map((f) =>
      spec(`ns-${f}`, [`a valid verify written with ${FORM_REQ[f].what} gets the answer of the canonical form`, `una verifica valida scritta con ${FORM_REQ[f].whatIt} riceve la risposta della forma canonica`], FORM_REQ[f].requirement, FORM_REQ[f].level),
    ),
    // verify changes nothing: the same read-only notice keeps every answer comparable
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const content = verifyRequest(t, n);
      const canonical = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', content, { note: 'canonical form (reference for the namespace variants)' }));
      for (const form of ['other-prefix', 'default-namespace'] as const) judgeForm(t, `ns-${form}`, canonical, await sendForm(t, 'paVerifyPaymentNotice', form, content), form);
    },
  },
  {
    id: 'EC-X-07',
    title: 'Unsafe XML (document type declaration with entities) is refused without expansion',
    titleIt: 'XML non sicuro (dichiarazione DOCTYPE con entità) rifiutato senza espansione',
    seat: 'ec',
    checks: [
      refusalCheck('dtd-refused', ['a message with a DTD and entities is refused, not processed', 'un messaggio con una DTD ed entità è rifiutato, non elaborato']),
      spec('no-expansion', ['the answer does not echo an expanded entity', 'la risposta non riporta un’entità espansa'], 'NM-X-VAL-01'),
      ALIVE,
    ],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const bomb =
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
        `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Body><pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation><qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode><collaudo>&lol3;</collaudo></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const a = await send(t, bomb, 'entity expansion attempt');
      judgeRefusal(t, a, { id: 'dtd-refused', accept: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SINTASSI_XSD'], soapFault: 'PASS', nonSoap: 'WARNING' });
      if (!answered(a)) {
        const [p, pIt] = problemSaid(a, ['undefined', 'undefined']);
        t.notExercised('no-expansion', [`no answer to inspect: ${p}`, `nessuna risposta da esaminare: ${pIt}`], [a.request, a.response]);
        return judgeAlive(t, n);
      }
      const expanded = a.response!.raw.includes('lollollol');
      t.check({ id: 'no-expansion', held: !expanded, message: expanded ? ['the answer contains the expanded entity', 'la risposta contiene l’entità espansa'] : ['no expansion in the answer', 'nessuna espansione nella risposta'], entries: [a.response] });
      await judgeAlive(t, n);
    },
  },
];
