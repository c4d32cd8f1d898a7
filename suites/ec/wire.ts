// Wire robustness of the candidate beyond the single-primitive cases of robustness.ts: every
// primitive written in other valid namespace forms and with a SOAP Header, with an aggregate check
// that the EC never answers with an invalid response (NM-PSPPAY-ERR-10, NM-X-SYN-01); an oversized
// request; verify as the Nodo sends it for verificaBollettino (NM-PSPPAY-PAY-05, allCCP); the
// answer time and the notice returned by paDemandPaymentNotice (NM-SPONT-TO-01, NM-X-NAV-01).
import type { ScenarioDef, Notice } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { featureOn } from '../../src/profile/index.js';
import { NS, OPERATIONS } from '../../src/protocol/operations.js';
import { type NodeObj, child, childrenNamed, serialize, textOf, toPlain } from '../../src/protocol/xml.js';
import { isoDate } from '../../src/clock.js';
import { isFiscalCodePA, noticeCheckDigitOk, parseAmount, parseNotice } from '../../src/domain.js';
import { fillUnique } from './spontaneous.js';
import { type Answer, type PaPrimitive, answerOfCall, describeAnswer, readAnswer, transfersOf } from './lib.js';
import { demandRequest, getPaymentRequest, receiptFromData, sendRtRequest, verifyRequest } from './negative.js';

type S = ScenarioDef<EcContext>;

// ---------------- envelope forms ----------------

export type EnvelopeForm = 'other-prefix' | 'default-namespace' | 'soap-header';

/** The same valid request written in another (valid) SOAP/XML form. */
export function envelopeIn(form: EnvelopeForm, primitive: PaPrimitive, content: NodeObj): string {
  const op = OPERATIONS[primitive]!;
  const parts = Object.entries(content).map(([k, v]) => serialize(k, v).join(''));
  const inner = parts.join('');
  switch (form) {
    case 'other-prefix':
      return `<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="${NS.soapenv}"><S:Body><ns2:${op.request} xmlns:ns2="${NS.paForNode}">${inner}</ns2:${op.request}></S:Body></S:Envelope>`;
    case 'default-namespace': {
      // the wrapper's default namespace is undeclared on its unqualified children (IF-X-05)
      const kids = parts.map((p) => p.replace(/^<([A-Za-z][\w.-]*)>/, '<$1 xmlns="">')).join('');
      return `<?xml version="1.0" encoding="UTF-8"?><Envelope xmlns="${NS.soapenv}"><Body><${op.request} xmlns="${NS.paForNode}">${kids}</${op.request}></Body></Envelope>`;
    }
    case 'soap-header':
      return (
        `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}">` +
        `<soapenv:Header><h:collaudoTrace xmlns:h="urn:collaudo:trace"><h:traceId>collaudo-${primitive}</h:traceId></h:collaudoTrace></soapenv:Header>` +
        `<soapenv:Body><pafn:${op.request}>${inner}</pafn:${op.request}></soapenv:Body></soapenv:Envelope>`
      );
  }
}

async function sendForm(t: EcContext, primitive: PaPrimitive, form: EnvelopeForm, content: NodeObj): Promise<Answer> {
  const r = await t.nodo.callStation(primitive, { rawEnvelope: envelopeIn(form, primitive, content) }, { note: `valid request, ${form}` });
  return answerOfCall(t, r);
}

const FORM_REQ: Record<EnvelopeForm, { requirement: string; level: 'MUST' | 'SHOULD'; what: string }> = {
  'other-prefix': { requirement: 'IF-X-04', level: 'MUST', what: 'other namespace prefixes (S:, ns2:)' },
  'default-namespace': { requirement: 'IF-X-05', level: 'MUST', what: 'default namespaces (children undeclared with xmlns="")' },
  // SOAP 1.1 §4.2: a header block without mustUnderstand may be ignored; no paForNode WSDL defines one (inference → SHOULD)
  'soap-header': { requirement: 'IF-X-01', level: 'SHOULD', what: 'a SOAP Header block (no mustUnderstand)' },
};
const FORMS: EnvelopeForm[] = ['other-prefix', 'default-namespace', 'soap-header'];

// ---------------- answer validity (NM-PSPPAY-ERR-10, NM-X-SYN-01) ----------------

/** Semantic problems of one EC answer that make the Nodo reject it (PPT_STAZIONE_INT_PA_ERRORE_RESPONSE). */
export function answerProblems(a: Answer, primitive: string): string[] {
  if (!a.body) return [];
  const out: string[] = [];
  const hasFault = !!child(a.body, 'fault');
  if ((a.outcome === 'KO') !== hasFault) out.push(`outcome ${a.outcome} with fault ${hasFault ? 'present' : 'absent'}`);
  if (a.outcome === 'KO' && a.response?.httpStatus !== 200) out.push(`KO with HTTP ${a.response?.httpStatus}`);
  if (a.outcome !== 'OK') return out;
  if (primitive === 'paVerifyPaymentNotice' || primitive === 'paDemandPaymentNotice') {
    const options = childrenNamed(child(a.body, 'paymentList'), 'paymentOptionDescription');
    if (options.length !== 1) out.push(`${options.length} payment options (exactly one expected)`);
    const need = primitive === 'paVerifyPaymentNotice' ? ['paymentDescription', 'fiscalCodePA', 'companyName'] : ['qrCode'];
    for (const f of need) if (!child(a.body, f)) out.push(`OK without ${f}`);
  }
  if (primitive.startsWith('paGetPayment')) {
    const data = child(a.body, 'data');
    if (!data) return [...out, 'OK without data'];
    const transfers = transfersOf(data);
    if (transfers.length < 1 || transfers.length > 5) out.push(`${transfers.length} transfers`);
    const sum = transfers.reduce((s, x) => s + (parseAmount(textOf(x, 'transferAmount')) ?? NaN), 0);
    const total = parseAmount(textOf(data, 'paymentAmount'));
    if (total !== sum) out.push(`paymentAmount ${textOf(data, 'paymentAmount')} ≠ Σ transferAmount (${sum} cents)`);
    const idt = transfers.map((x) => textOf(x, 'idTransfer'));
    if (new Set(idt).size !== idt.length) out.push(`duplicate idTransfer (${idt.join(', ')})`);
  }
  return out;
}

/** Aggregate over every paForNode answer of the scenario: schema (NM-X-SYN-01) and semantics (NM-PSPPAY-ERR-10). */
function checkEveryAnswer(t: EcContext): void {
  const responses = t.journal.filter((e) => e.direction === 'response' && !!e.primitive && OPERATIONS[e.primitive]?.iface === 'paForNode');
  const answers = responses.map((r) => ({ primitive: r.primitive!, a: readAnswer(t.journal.entries.find((e) => e.direction === 'request' && e.exchange === r.exchange), r) }));
  const schemaBad = answers.filter(({ primitive, a }) => !!a.problem || a.body?.name !== OPERATIONS[primitive]!.response || !a.response?.xsd?.valid);
  t.check({
    id: 'every-answer-schema-valid',
    title: `every answer of the EC (${answers.length}) is a SOAP message of the right element, valid against paForNode.xsd`,
    requirement: 'NM-X-SYN-01',
    level: 'MUST',
    held: schemaBad.length === 0 && answers.length > 0,
    message: schemaBad.length
      ? schemaBad.slice(0, 5).map(({ primitive, a }) => `${primitive}: ${a.problem ?? (a.response?.xsd?.errors ?? [`element ${a.body?.name}`]).slice(0, 2).join('; ')}`).join(' | ')
      : `${answers.length} answers, all valid`,
    entries: schemaBad.flatMap(({ a }) => [a.request, a.response]),
  });
  const semantic = answers.map(({ primitive, a }) => ({ primitive, a, problems: answerProblems(a, primitive) })).filter((x) => x.problems.length);
  t.check({
    id: 'every-answer-coherent',
    title: 'no answer is one the Nodo must reject as invalid (outcome/fault, mandatory fields on OK, Σ transfers, transfer count, idTransfer)',
    requirement: 'NM-PSPPAY-ERR-10',
    level: 'MUST',
    held: semantic.length === 0 && answers.length > 0,
    message: semantic.length ? semantic.slice(0, 5).map((x) => `${x.primitive}: ${x.problems.join(', ')}`).join(' | ') : `${answers.length} answers, none invalid`,
    entries: semantic.flatMap((x) => [x.a.request, x.a.response]),
  });
}

const RECEIPT_ACK = ['PAA_RECEIPT_DUPLICATA'];

function judgeReceiptForm(t: EcContext, a: Answer, form: EnvelopeForm, primitive: string, first: boolean): void {
  const f = FORM_REQ[form];
  const code = a.fault?.faultCode;
  const ok = a.outcome === 'OK' || (!first && a.outcome === 'KO' && !!code && RECEIPT_ACK.includes(code));
  const syntax = a.outcome === 'KO' && !!code && code.startsWith('PAA_SINTASSI');
  t.check({
    id: `${primitive}-${form}`,
    title: `a valid ${primitive} written with ${f.what} is processed${first ? ' (OK)' : ' (as a re-delivery: OK or KO PAA_RECEIPT_DUPLICATA)'}`,
    requirement: f.requirement,
    level: f.level,
    held: ok,
    // another business KO on a re-delivery is an accepted reading (IF-A-28): WARNING; a syntax refusal follows the level
    verdict: ok ? 'PASS' : !first && a.outcome === 'KO' && !syntax ? 'WARNING' : undefined,
    message: describeAnswer(a),
    entries: [a.request, a.response],
  });
}

async function formsForReceipt(t: EcContext, n: Notice, version: 1 | 2): Promise<void> {
  const gp = await t.nodo.callStation('paGetPayment', getPaymentRequest(t, n, undefined, isoDate(t.clock.now() + 30 * 86_400_000)), { note: 'data for the receipt' });
  const g = answerOfCall(t, gp);
  const data = child(g.body, 'data');
  if (!data) return t.inconclusive(`paGetPayment of ${n.noticeNumber} answered ${describeAnswer(g)}: no data to build the receipt`);
  const primitive: PaPrimitive = version === 2 ? 'paSendRTV2' : 'paSendRT';
  const content = sendRtRequest(t, receiptFromData(n, data, `collaudoForms${version}${n.noticeNumber.slice(-8)}`, t.clock.now()), version);
  // the first form delivers a new receipt (the position closes); the others re-deliver the same receipt
  const order: EnvelopeForm[] = ['default-namespace', 'other-prefix', 'soap-header'];
  for (const [i, form] of order.entries()) judgeReceiptForm(t, await sendForm(t, primitive, form, content), form, primitive, i === 0);
}

// ---------------- scenarios ----------------

export const wireScenarios: S[] = [
  {
    id: 'EC-ROB-01',
    title: 'Every primitive in other valid namespace forms and with a SOAP Header is processed; no answer of the EC is invalid',
    titleIt: 'Ogni primitiva con altre forme di namespace valide e con un SOAP Header è elaborata; nessuna risposta dell’EC è non valida',
    seat: 'ec',
    requirements: ['IF-X-04', 'IF-X-05', 'IF-X-01', 'NM-PSPPAY-ERR-10', 'NM-X-SYN-01'],
    notices: { payable: 2 },
    async run(t) {
      const v2 = featureOn(t.profile, 'v2');
      const a = await t.notice('payable', 0);
      for (const form of FORMS) {
        const f = FORM_REQ[form];
        const prims: PaPrimitive[] = ['paVerifyPaymentNotice', 'paGetPayment', ...(v2 ? (['paGetPaymentV2'] as const) : [])];
        for (const p of prims) {
          const content = p === 'paVerifyPaymentNotice' ? verifyRequest(t, a) : getPaymentRequest(t, a, undefined, isoDate(t.clock.now() + 30 * 86_400_000));
          const ans = await sendForm(t, p, form, content);
          t.check({ id: `${p}-${form}`, title: `a valid ${p} written with ${f.what} is answered OK`, requirement: f.requirement, level: f.level, held: ans.outcome === 'OK', message: describeAnswer(ans), entries: [ans.request, ans.response] });
        }
      }
      await formsForReceipt(t, a, 1);
      if (v2) await formsForReceipt(t, await t.notice('payable', 1), 2);
      const svc = featureOn(t.profile, 'spontaneous') ? t.profile.spontaneous?.services[0] : undefined;
      if (svc) {
        for (const form of FORMS) {
          const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${form}/${t.clock.now()}/${Math.random()}`);
          const ans = await sendForm(t, 'paDemandPaymentNotice', form, demandRequest(t, svc, Buffer.from(xml, 'utf8').toString('base64')));
          const f = FORM_REQ[form];
          t.check({ id: `paDemandPaymentNotice-${form}`, title: `a valid paDemandPaymentNotice written with ${f.what} is answered OK`, requirement: f.requirement, level: f.level, held: ans.outcome === 'OK', message: describeAnswer(ans), entries: [ans.request, ans.response] });
        }
      }
      checkEveryAnswer(t);
    },
  },
  {
    id: 'EC-ROB-02',
    title: 'Oversized request (1.5 MB): refused or answered, never a crash or a hang; the station still answers afterwards',
    titleIt: 'Richiesta sovradimensionata (1,5 MB): rifiutata o gestita, mai un crash o un blocco; la stazione risponde ancora dopo',
    seat: 'ec',
    requirements: ['NM-X-VAL-01', 'IF-X-18'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const fields = serialize('x', verifyRequest(t, n)).join('').slice(3, -4);
      // valid-looking: a real verify whose wrapper also carries 1.5 MB of unknown content (schema-invalid)
      const padding = `<collaudoPadding>${'PAGOPA-COLLAUDO-'.repeat(98_304)}</collaudoPadding>`;
      const envelope = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Body><pafn:paVerifyPaymentNoticeReq>${fields}${padding}</pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
      const r = await t.nodo.callStation('paVerifyPaymentNotice', { rawEnvelope: envelope }, { note: `oversized request (${(Buffer.byteLength(envelope) / 1_048_576).toFixed(2)} MiB)` });
      const a = answerOfCall(t, r);
      const status = a.response?.httpStatus;
      const transport = a.response?.transport;
      const answered = !!a.response && !transport && status !== undefined;
      t.check({
        id: 'oversized-answered',
        title: 'a 1.5 MB request gets an answer (any refusal: KO, SOAP Fault, HTTP 413); never OK, never a hang',
        requirement: 'NM-X-VAL-01',
        level: 'MUST',
        held: a.outcome !== 'OK' && (answered || transport === 'reset'),
        // dropping the connection is a refusal too, if the station survives (checked next): WARNING
        verdict: a.outcome === 'OK' ? 'FAIL' : answered ? 'PASS' : transport === 'reset' ? 'WARNING' : 'FAIL',
        message: a.outcome === 'OK' ? 'the oversized schema-invalid request was answered OK' : answered ? `refused: ${describeAnswer(a)} (HTTP ${status})` : `${a.problem ?? 'no answer'}`,
        entries: [a.request, a.response],
      });
      const after = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'liveness after the oversized request' }));
      t.check({
        id: 'alive-after',
        title: 'the station still answers a normal verify after the oversized request (no crash)',
        requirement: 'NM-X-VAL-01',
        level: 'MUST',
        held: after.outcome === 'OK',
        message: describeAnswer(after),
        entries: [after.request, after.response],
      });
    },
  },
  {
    id: 'EC-ROB-03',
    title: 'Verify for verificaBollettino (Poste): the EC answers identically, and allCCP=true only with postal IBANs for every transfer',
    titleIt: 'Verifica per verificaBollettino (Poste): l’EC risponde in modo identico, e allCCP=true solo con IBAN postali per ogni trasferimento',
    seat: 'ec',
    requirements: ['NM-PSPPAY-PAY-05', 'IF-paGetPayment-F73'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      // the Nodo serves verifyPaymentNotice and verificaBollettino with the same paVerifyPaymentNotice: the EC cannot tell them apart
      const first = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'as for verifyPaymentNotice' }));
      const second = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'as for verificaBollettino (Poste)' }));
      if (first.outcome !== 'OK') return t.inconclusive(`verify of the payable notice ${n.noticeNumber} answered ${describeAnswer(first)}`);
      const same = !!second.body && JSON.stringify(toPlain(first.body!)) === JSON.stringify(toPlain(second.body));
      t.check({
        id: 'identical',
        title: 'the verify behind verificaBollettino is answered identically to the one behind verifyPaymentNotice',
        requirement: 'NM-PSPPAY-PAY-05',
        level: 'MUST',
        held: same,
        message: same ? 'identical answers' : `first ${describeAnswer(first)}, second ${describeAnswer(second)} (content differs)`,
        entries: [first.response, second.response],
      });
      const allCCP = textOf(child(child(first.body, 'paymentList'), 'paymentOptionDescription'), 'allCCP');
      const g = answerOfCall(t, await t.nodo.callStation('paGetPayment', { ...getPaymentRequest(t, n, undefined, isoDate(t.clock.now() + 30 * 86_400_000)), paymentNote: undefined, transferType: 'POSTAL' }, { note: 'activation by Poste (transferType POSTAL)' }));
      if (g.outcome !== 'OK') return t.inconclusive(`paGetPayment with transferType=POSTAL answered ${describeAnswer(g)}`);
      const ibans = transfersOf(child(g.body, 'data')).map((x) => textOf(x, 'IBAN') ?? '(no IBAN)');
      const postal = ibans.filter(isPostalIban);
      const claimsAll = allCCP === 'true' || allCCP === '1';
      t.check({
        id: 'allccp-postal',
        title: 'allCCP=true only if every transfer can be credited to a postal account (IBAN IT, ABI 07601, with transferType=POSTAL)',
        requirement: 'NM-PSPPAY-PAY-05',
        level: 'MUST',
        held: !claimsAll || postal.length === ibans.length,
        message: `allCCP=${allCCP}; with transferType=POSTAL ${postal.length} of ${ibans.length} transfer IBAN(s) postal: ${ibans.join(', ')}`,
        entries: [first.response, g.request, g.response],
      });
      if (claimsAll) {
        t.check({
          id: 'postal-ibans',
          title: 'with transferType=POSTAL and postal accounts, the EC returns postal IBANs',
          requirement: 'IF-paGetPayment-F73',
          level: 'SHOULD',
          held: postal.length === ibans.length,
          message: `${postal.length} of ${ibans.length} postal`,
          entries: [g.response],
        });
      } else {
        t.check({ id: 'postal-ibans', title: 'with transferType=POSTAL the EC answers OK (it holds no postal account for every transfer: allCCP=false)', requirement: 'IF-paGetPayment-F73', level: 'SHOULD', held: true, message: `allCCP=${allCCP}, ${postal.length} of ${ibans.length} postal`, entries: [g.response] });
      }
    },
  },
  {
    id: 'EC-SPONT-TO-01',
    title: 'paDemandPaymentNotice is answered in time with a valid notice of the station (no timeout, no invalid response)',
    titleIt: 'paDemandPaymentNotice riceve risposta in tempo con un avviso valido della stazione (nessun timeout, nessuna risposta non valida)',
    seat: 'ec',
    feature: 'spontaneous',
    requirements: ['NM-SPONT-TO-01', 'NM-X-NAV-01', 'NM-SLA-TO-02'],
    async run(t) {
      const svc = t.profile.spontaneous?.services[0];
      if (!svc) return t.inconclusive('the profile declares features.spontaneous but lists no spontaneous.services');
      const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${Math.random()}`);
      const started = performance.now();
      const r = await t.nodo.callStation('paDemandPaymentNotice', demandRequest(t, svc, Buffer.from(xml, 'utf8').toString('base64')));
      const wall = Math.round(performance.now() - started);
      const a = answerOfCall(t, r);
      const ms = Math.max(wall, a.response?.latencyMs ?? 0);
      const limit = t.timeouts.paDemandPaymentNotice;
      const inTime = !!a.response && a.response.transport !== 'timeout' && ms <= limit;
      t.check({
        id: 'demand-in-time',
        title: `paDemandPaymentNotice is answered within the Nodo timeout (${limit} ms): no PPT_STAZIONE_INT_PA_TIMEOUT`,
        requirement: 'NM-SPONT-TO-01',
        level: 'MUST',
        held: inTime,
        message: inTime ? `${ms} ms` : `${a.problem ?? `${ms} ms`} (limit ${limit} ms)`,
        entries: [a.request, a.response],
      });
      const problems = a.problem ? [a.problem] : [...(a.response?.xsd?.valid ? [] : (a.response?.xsd?.errors ?? []).slice(0, 2)), ...answerProblems(a, 'paDemandPaymentNotice')];
      t.check({
        id: 'demand-valid',
        title: 'the answer is valid (no PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE / _ERRORE_RESPONSE) and OK for valid service data',
        requirement: 'NM-SPONT-TO-01',
        level: 'MUST',
        held: problems.length === 0 && a.outcome === 'OK',
        message: problems.length ? problems.join('; ') : describeAnswer(a),
        entries: [a.request, a.response],
      });
      if (inTime) t.check({ id: 'demand-service-level', title: 'paDemandPaymentNotice within the 2 s service level (one sample)', requirement: 'NM-SLA-TO-02', level: 'SHOULD', held: ms <= 2000, message: `${ms} ms`, entries: [a.response] });
      if (a.outcome !== 'OK') return;
      const qr = child(a.body, 'qrCode');
      const fc = textOf(qr, 'fiscalCode');
      const nn = textOf(qr, 'noticeNumber') ?? '';
      const p = t.profile.ec;
      const parts = parseNotice(nn);
      const codeOk = p.auxDigit === 3 ? parts?.code === p.segregationCode : p.auxDigit === 0 ? parts?.code === p.applicationCode : true;
      const digitOk = p.auxDigit === 1 || noticeCheckDigitOk(nn);
      t.check({
        id: 'demand-notice-number',
        title: `the notice returned follows the station's numbering (aux digit ${p.auxDigit}${p.auxDigit === 3 ? `, segregation code ${p.segregationCode}` : p.auxDigit === 0 ? `, application code ${p.applicationCode}` : ''}, check digits) and names an EC fiscal code`,
        requirement: 'NM-X-NAV-01',
        level: 'MUST',
        held: !!parts && parts.auxDigit === p.auxDigit && codeOk && digitOk && isFiscalCodePA(fc),
        message: `qrCode ${fc}/${nn}: aux digit ${parts?.auxDigit}, code ${parts?.code ?? '-'}, check digits ${digitOk ? 'ok' : 'wrong'}`,
        entries: [a.response],
      });
    },
  },
];

export const isPostalIban = (iban: string): boolean => /^IT\d{2}[A-Z]07601/.test(iban);
