// Requests the EC must refuse or tolerate: misaddressed (idPA / broker / station), schema-invalid,
// garbled, unsafe XML, and valid requests written with other namespace prefixes
// (NM-PSPPAY-ERR-13, IF-X-17, IF-X-18, IF-X-04, IF-X-05, NM-X-VAL-01; IF-A-04 readings).
import type { ScenarioDef } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { NS } from '../../src/protocol/operations.js';
import { checkKo, checkOk, checkSchema, answerOfCall, type Answer } from './lib.js';

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

/** Only an OK, a crash (connection dropped) or a hang is FAIL; any refusal is acceptable (IF-X-18, IF-A-04). */
function judgeRefusal(t: EcContext, a: Answer, c: { id: string; title: string; requirement: string; accept: string[]; soapFault: 'PASS' | 'WARNING' }): void {
  if (a.outcome === 'KO' || a.soapFault) {
    checkKo(t, a, { ...c, warn: ['PAA_SINTASSI_XSD'], otherKo: 'WARNING' });
    return;
  }
  const r = a.response;
  const crashed = !r || !!r.transport;
  t.check({
    id: c.id,
    title: c.title,
    requirement: c.requirement,
    level: 'MUST',
    held: !crashed && a.outcome !== 'OK',
    verdict: a.outcome === 'OK' || crashed ? 'FAIL' : 'WARNING',
    message: a.outcome === 'OK' ? 'the malformed request was answered OK' : crashed ? `no answer: ${a.problem} (crash or hang)` : `${a.problem}: refused, but not with a KO or a SOAP Fault`,
    entries: [a.request, a.response],
  });
}

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
      requirements: ['NM-PSPPAY-ERR-13', 'IF-X-17', 'NM-X-VAL-01'],
      notices: { payable: 1 },
      async run(t) {
        const n = await t.notice('payable');
        const r = await t.nodo.callStation('paVerifyPaymentNotice', verifyContent(t, m.field === 'idPA' ? { ...n, fiscalCode: m.value } : n, { [m.field]: m.value }), { idStation: t.station.idStation, note: `${m.field} = ${m.value}` });
        const a = answerOfCall(t, r);
        checkSchema(t, a, 'paVerifyPaymentNotice');
        // NM-PSPPAY-ERR-13: FAIL only for an OK; another KO code is a WARNING
        checkKo(t, a, { id: 'misaddressed', title: `a request for another ${m.field} is refused (${m.code})`, requirement: 'IF-X-17', accept: [m.code], otherKo: 'WARNING' });
      },
    }),
  ),
  {
    id: 'EC-X-04',
    title: 'Schema-invalid request (17-digit notice number, unknown element): refused with PAA_SINTASSI_EXTRAXSD',
    titleIt: 'Richiesta non valida per lo schema (numero avviso di 17 cifre, elemento sconosciuto): rifiutata con PAA_SINTASSI_EXTRAXSD',
    seat: 'ec',
    requirements: ['NM-PSPPAY-ERR-13', 'IF-X-18', 'NM-X-VAL-01'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const bad = env(
        `<pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation>` +
          `<qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber.slice(0, 17)}</noticeNumber></qrCode><collaudoExtra>x</collaudoExtra></pafn:paVerifyPaymentNoticeReq>`,
      );
      const a = await send(t, bad, 'schema-invalid request');
      judgeRefusal(t, a, { id: 'invalid-refused', title: 'a schema-invalid request gets KO PAA_SINTASSI_EXTRAXSD (only OK, crash or hang is FAIL)', requirement: 'IF-X-18', accept: ['PAA_SINTASSI_EXTRAXSD'], soapFault: 'WARNING' });
    },
  },
  {
    id: 'EC-X-05',
    title: 'Garbled requests (not XML, truncated envelope, unknown body element): refused, never a crash or a hang',
    titleIt: 'Richieste corrotte (non XML, busta troncata, elemento sconosciuto): rifiutate, mai un crash o un blocco',
    seat: 'ec',
    requirements: ['IF-X-18', 'IF-X-09', 'NM-X-VAL-01'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const good = env(`<pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation><qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>`);
      const cases = [
        ['not-xml', 'this is not XML at all'],
        ['truncated', good.slice(0, Math.floor(good.length * 0.6))],
        ['unknown-element', env(`<pafn:collaudoNoSuchOperation><idPA>${t.station.idPA}</idPA></pafn:collaudoNoSuchOperation>`)],
      ] as const;
      for (const [id, body] of cases) {
        const a = await send(t, body, `garbled request: ${id}`);
        judgeRefusal(t, a, { id: `garbled-${id}`, title: `garbled request (${id}) is refused with a SOAP Fault or a KO`, requirement: 'IF-X-18', accept: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SINTASSI_XSD'], soapFault: 'PASS' });
      }
    },
  },
  {
    id: 'EC-X-06',
    title: 'Valid requests with other namespace prefixes and a default namespace get a normal answer',
    titleIt: 'Richieste valide con altri prefissi di namespace e con namespace di default ricevono una risposta normale',
    seat: 'ec',
    requirements: ['IF-X-04', 'IF-X-05', 'IF-X-01'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const fields = `<idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation><qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode>`;
      const variants = [
        ['other-prefix', `<?xml version="1.0"?><S:Envelope xmlns:S="${NS.soapenv}"><S:Header/><S:Body><ns2:paVerifyPaymentNoticeReq xmlns:ns2="${NS.paForNode}">${fields}</ns2:paVerifyPaymentNoticeReq></S:Body></S:Envelope>`],
        // a default namespace on the wrapper must be undeclared for its unqualified children (IF-X-05)
        ['default-namespace', `<?xml version="1.0"?><Envelope xmlns="${NS.soapenv}"><Body><paVerifyPaymentNoticeReq xmlns="${NS.paForNode}"><idPA xmlns="">${t.station.idPA}</idPA><idBrokerPA xmlns="">${t.station.idBrokerPA}</idBrokerPA><idStation xmlns="">${t.station.idStation}</idStation><qrCode xmlns=""><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode></paVerifyPaymentNoticeReq></Body></Envelope>`],
      ] as const;
      for (const [id, body] of variants) {
        const a = await send(t, body, `namespace variant: ${id}`);
        checkOk(t, a, { id: `ns-${id}`, title: `a valid request written with ${id.replace('-', ' ')} is answered OK`, requirement: id === 'other-prefix' ? 'IF-X-04' : 'IF-X-05' });
      }
    },
  },
  {
    id: 'EC-X-07',
    title: 'Unsafe XML (document type declaration with entities) is refused without expansion',
    titleIt: 'XML non sicuro (dichiarazione DOCTYPE con entità) rifiutato senza espansione',
    seat: 'ec',
    requirements: ['NM-X-VAL-01', 'IF-X-18'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const bomb =
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
        `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Body><pafn:paVerifyPaymentNoticeReq><idPA>${t.station.idPA}</idPA><idBrokerPA>${t.station.idBrokerPA}</idBrokerPA><idStation>${t.station.idStation}</idStation><qrCode><fiscalCode>${n.fiscalCode}</fiscalCode><noticeNumber>${n.noticeNumber}</noticeNumber></qrCode><collaudo>&lol3;</collaudo></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const a = await send(t, bomb, 'entity expansion attempt');
      judgeRefusal(t, a, { id: 'dtd-refused', title: 'a message with a DTD and entities is refused, not processed', requirement: 'NM-X-VAL-01', accept: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SINTASSI_XSD'], soapFault: 'PASS' });
      t.check({
        id: 'no-expansion',
        title: 'the answer does not echo an expanded entity',
        requirement: 'NM-X-VAL-01',
        level: 'MUST',
        held: !(a.response?.raw ?? '').includes('lollollol'),
        message: (a.response?.raw ?? '').includes('lollollol') ? 'the answer contains the expanded entity' : 'no expansion in the answer',
        entries: [a.response],
      });
    },
  },
];
