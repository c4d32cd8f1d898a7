// Wire robustness of the candidate beyond the single-primitive cases of robustness.ts: every
// primitive written in other valid namespace forms and with a SOAP Header, each compared with the
// answer to the same request in canonical form (only a difference is a namespace defect), with an
// aggregate check that the EC never answers with an invalid response (NM-PSPPAY-ERR-10,
// NM-X-SYN-01); an oversized request; allCCP against the postal IBANs (NM-PSPPAY-PAY-05); the
// answer time and the notice returned by paDemandPaymentNotice (NM-SPONT-TO-01, NM-X-NAV-01).
import { spec, type ScenarioDef, type Notice } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { featureOn } from '../../src/profile/index.js';
import { NS, OPERATIONS } from '../../interfaces/index.js';
import { type NodeObj, child, childrenNamed, serialize, textOf } from '../../src/wire/xml.js';
import { isoDate } from '../../src/core/clock.js';
import { isFiscalCodePA, isPostalIban, noticeCheckDigitOk, parseAmount, parseNotice } from '../../domain/common.js';
import { fillUnique } from './spontaneous.js';
import { type Answer, type PaPrimitive, answerOfCall, answered, describeAnswer, readAnswer, transfersOf } from './lib.js';
import { answerSaid, problemSaid } from '../../src/wire/answer.js';
import { type Bi, type Said, joinSaid, quotedSaid } from '../../src/core/text.js';
import { NO_SERVICES, demandRequest, getPaymentRequest, receiptFromData, sendRtRequest, verifyRequest } from './negative.js';
import { EC_SERVICE_LEVEL_MS } from '../../domain/service-levels.js';
import { stationPrimitive } from '../../domain/registry.js';

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

export async function sendForm(t: EcContext, primitive: PaPrimitive, form: EnvelopeForm, content: NodeObj): Promise<Answer> {
  const r = await t.nodo.callStation(primitive, { rawEnvelope: envelopeIn(form, primitive, content) }, { note: `valid request, ${form}` });
  return answerOfCall(t, r);
}

export const FORM_REQ: Record<EnvelopeForm, { requirement: string; level: 'MUST' | 'SHOULD'; what: string; whatIt: string }> = {
  'other-prefix': { requirement: 'IF-X-04', level: 'MUST', what: 'other namespace prefixes (S:, ns2:)', whatIt: 'altri prefissi di namespace (S:, ns2:)' },
  'default-namespace': { requirement: 'IF-X-05', level: 'MUST', what: 'default namespaces (children undeclared with xmlns="")', whatIt: 'namespace di default (figli non dichiarati con xmlns="")' },
  // SOAP 1.1 §4.2: a header block without mustUnderstand may be ignored; no paForNode WSDL defines one (inference → SHOULD)
  'soap-header': { requirement: 'IF-X-01', level: 'SHOULD', what: 'a SOAP Header block (no mustUnderstand)', whatIt: 'un blocco SOAP Header (senza mustUnderstand)' },
};
/** A form's name in an Italian sentence. */
const FORM_IT: Record<EnvelopeForm, string> = { 'other-prefix': 'con altri prefissi', 'default-namespace': 'con namespace di default', 'soap-header': 'con SOAP Header' };
export const FORMS: EnvelopeForm[] = ['other-prefix', 'default-namespace', 'soap-header'];

/**
 * A namespace-form variant is judged against the answer to the same request in canonical form:
 * only a difference (outcome or fault code) is a defect of the form; a refusal the canonical form
 * also gets says nothing about namespaces, and without a SOAP answer to the canonical form there is
 * nothing to compare with.
 */
export function judgeForm(t: EcContext, id: string, canonical: Answer, variant: Answer, form: EnvelopeForm, title?: Said): void {
  const entries = [canonical.request, canonical.response, variant.request, variant.response];
  const [c, cIt] = answerSaid(canonical);
  if (!canonical.body)
    return t.notExercised(id, [`the same request in canonical form got no SOAP answer (${c}): nothing to compare the ${form} form with`, `la stessa richiesta in forma canonica non ha avuto risposta SOAP (${cIt}): nulla con cui confrontare la forma ${FORM_IT[form]}`], entries);
  const key = (a: Answer) => (a.body ? `${a.outcome}${a.fault ? ` ${a.fault.faultCode}` : ''}` : describeAnswer(a));
  const same = !!variant.body && key(variant) === key(canonical);
  const [v, vIt] = answerSaid(variant);
  t.check({
    id,
    title,
    held: same,
    message: same ? [`${v}, as the canonical form`, `${vIt}, come la forma canonica`] : [`${form} form: ${v}; canonical form: ${c}`, `forma ${FORM_IT[form]}: ${vIt}; forma canonica: ${cIt}`],
    entries,
  });
}

/** Every primitive the forms are tried on (V2 and paDemandPaymentNotice only when offered). */
const FORM_PRIMITIVES: PaPrimitive[] = ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2', 'paSendRT', 'paSendRTV2', 'paDemandPaymentNotice'];

// ---------------- answer validity (NM-PSPPAY-ERR-10, NM-X-SYN-01) ----------------

/** Semantic problems of one EC answer that make the Nodo reject it (PPT_STAZIONE_INT_PA_ERRORE_RESPONSE). */
export function answerProblems(a: Answer, primitive: string): string[] {
  return answerProblemsSaid(a, primitive).map(([en]) => en);
}

/** answerProblems in both languages. */
export function answerProblemsSaid(a: Answer, primitive: string): Bi[] {
  if (!a.body) return [];
  const out: Bi[] = [];
  const hasFault = !!child(a.body, 'fault');
  if ((a.outcome === 'KO') !== hasFault) out.push([`outcome ${a.outcome} with fault ${hasFault ? 'present' : 'absent'}`, `esito ${a.outcome} con fault ${hasFault ? 'presente' : 'assente'}`]);
  if (a.outcome === 'KO' && a.response?.httpStatus !== 200) out.push([`KO with HTTP ${a.response?.httpStatus}`, `KO con HTTP ${a.response?.httpStatus}`]);
  if (a.outcome !== 'OK') return out;
  if (primitive === 'paVerifyPaymentNotice' || primitive === 'paDemandPaymentNotice') {
    const options = childrenNamed(child(a.body, 'paymentList'), 'paymentOptionDescription');
    if (options.length !== 1) out.push([`${options.length} payment options (exactly one expected)`, `${options.length} opzioni di pagamento (attesa esattamente una)`]);
    const need = primitive === 'paVerifyPaymentNotice' ? ['paymentDescription', 'fiscalCodePA', 'companyName'] : ['qrCode'];
    for (const f of need) if (!child(a.body, f)) out.push([`OK without ${f}`, `OK senza ${f}`]);
  }
  if (primitive.startsWith('paGetPayment')) {
    const data = child(a.body, 'data');
    if (!data) return [...out, ['OK without data', 'OK senza data']];
    const transfers = transfersOf(data);
    if (transfers.length < 1 || transfers.length > 5) out.push([`${transfers.length} transfers`, `${transfers.length} trasferimenti`]);
    const sum = transfers.reduce((s, x) => s + (parseAmount(textOf(x, 'transferAmount')) ?? NaN), 0);
    const total = parseAmount(textOf(data, 'paymentAmount'));
    if (total !== sum) out.push([`paymentAmount ${textOf(data, 'paymentAmount')} ≠ Σ transferAmount (${sum} cents)`, `paymentAmount ${textOf(data, 'paymentAmount')} ≠ Σ transferAmount (${sum} centesimi)`]);
    const idt = transfers.map((x) => textOf(x, 'idTransfer'));
    if (new Set(idt).size !== idt.length) out.push([`duplicate idTransfer (${idt.join(', ')})`, `idTransfer duplicato (${idt.join(', ')})`]);
  }
  return out;
}

/** Aggregate over every paForNode answer of the scenario: schema (NM-X-SYN-01) and semantics (NM-PSPPAY-ERR-10). */
function checkEveryAnswer(t: EcContext): void {
  const responses = t.journal.filter((e) => e.direction === 'response' && !!e.primitive && OPERATIONS[e.primitive]?.iface === 'paForNode');
  const answers = responses.map((r) => ({ primitive: r.primitive!, a: readAnswer(t.journal.entries.find((e) => e.direction === 'request' && e.exchange === r.exchange), r) }));
  const schemaBad = answers.filter(({ primitive, a }) => !!a.problem || a.body?.name !== OPERATIONS[primitive]!.response || !a.response?.xsd?.valid);
  if (!answers.length) {
    const none: Bi = ['no answer of the EC to judge', 'nessuna risposta dell’EC da valutare'];
    t.notExercised('every-answer-schema-valid', none);
    return t.notExercised('every-answer-coherent', none);
  }
  // why an answer is not valid: its problem, else the validator's diagnostics (quoted in the Italian), else its element
  const whyBad = (a: Answer): Bi =>
    a.problem !== undefined ? problemSaid(a, ['', '']) : a.response?.xsd?.errors ? quotedSaid(a.response.xsd.errors.slice(0, 2)) : [`element ${a.body?.name}`, `elemento ${a.body?.name}`];
  t.check({
    id: 'every-answer-schema-valid',
    title: [`every answer of the EC (${answers.length}) is a SOAP message of the right element, valid against paForNode.xsd`, `ogni risposta dell’EC (${answers.length}) è un messaggio SOAP dell’elemento giusto, valido rispetto a paForNode.xsd`],
    held: schemaBad.length === 0 && answers.length > 0,
    message: schemaBad.length
      ? joinSaid(schemaBad.slice(0, 5).map(({ primitive, a }) => joinSaid([[primitive, primitive], whyBad(a)], ': ')), ' | ')
      : [`${answers.length} answers, all valid`, `${answers.length} risposte, tutte valide`],
    entries: schemaBad.length ? schemaBad.flatMap(({ a }) => [a.request, a.response]) : answers.flatMap(({ a }) => [a.request, a.response]),
  });
  const semantic = answers.map(({ primitive, a }) => ({ primitive, a, problems: answerProblemsSaid(a, primitive) })).filter((x) => x.problems.length);
  t.check({
    id: 'every-answer-coherent',
    held: semantic.length === 0 && answers.length > 0,
    message: semantic.length
      ? joinSaid(semantic.slice(0, 5).map((x) => joinSaid([[x.primitive, x.primitive], joinSaid(x.problems, ', ')], ': ')), ' | ')
      : [`${answers.length} answers, none invalid`, `${answers.length} risposte, nessuna non valida`],
    entries: semantic.length ? semantic.flatMap((x) => [x.a.request, x.a.response]) : answers.flatMap(({ a }) => [a.request, a.response]),
  });
}

/** Receipt forms: a new receipt in canonical form, the same again (the reference answer to a re-delivery), then each form re-delivers it. */
async function formsForReceipt(t: EcContext, n: Notice, version: 1 | 2): Promise<void> {
  const gp = await t.nodo.callStation('paGetPayment', getPaymentRequest(t, n, undefined, isoDate(t.clock.now() + 30 * 86_400_000)), { note: 'data for the receipt' });
  const g = answerOfCall(t, gp);
  const data = child(g.body, 'data');
  const primitive: PaPrimitive = stationPrimitive('sendRT', version);
  if (!data) {
    const [d, dIt] = answerSaid(g);
    for (const form of FORMS)
      t.notExercised(`${primitive}-${form}`, [`paGetPayment of ${n.noticeNumber} answered ${d}: no data to build a valid receipt`, `paGetPayment di ${n.noticeNumber} ha risposto ${dIt}: nessun dato per costruire una ricevuta valida`], [g.request, g.response]);
    return;
  }
  const content = sendRtRequest(t, receiptFromData(n, data, `collaudoForms${version}${n.noticeNumber.slice(-8)}`, t.clock.now()), version);
  await t.nodo.callStation(primitive, content, { note: 'canonical form: a new receipt' });
  const again = answerOfCall(t, await t.nodo.callStation(primitive, content, { note: 'canonical form: the same receipt again (reference for the forms)' }));
  for (const form of FORMS) judgeForm(t, `${primitive}-${form}`, again, await sendForm(t, primitive, form, content), form);
}

// ---------------- scenarios ----------------

export const wireScenarios: S[] = [
  {
    id: 'EC-ROB-01',
    title: 'Every primitive in other valid namespace forms and with a SOAP Header gets the answer of its canonical form; no answer of the EC is invalid',
    titleIt: 'Ogni primitiva con altre forme di namespace valide e con un SOAP Header riceve la risposta della forma canonica; nessuna risposta dell’EC è non valida',
    seat: 'ec',
    // generated from the same lists that drive the sends
    checks: [
      ...FORM_PRIMITIVES.flatMap((p) =>
        FORMS.map((f) =>
          spec(
            `${p}-${f}`,
            [`a valid ${p} written with ${FORM_REQ[f].what} gets the answer of the same request in canonical form`, `un ${p} valido scritto con ${FORM_REQ[f].whatIt} riceve la risposta della stessa richiesta in forma canonica`],
            FORM_REQ[f].requirement,
            FORM_REQ[f].level,
          ),
        ),
      ),
      spec('every-answer-schema-valid', ['every answer of the EC is a SOAP message of the right element, valid against paForNode.xsd', 'ogni risposta dell’EC è un messaggio SOAP dell’elemento giusto, valido rispetto a paForNode.xsd'], 'NM-X-SYN-01'),
      spec(
        'every-answer-coherent',
        [
          'no answer is one the Nodo must reject as invalid (outcome/fault, mandatory fields on OK, Σ transfers, transfer count, idTransfer)',
          'nessuna risposta è tra quelle che il Nodo deve rifiutare come non valide (outcome/fault, campi obbligatori con OK, Σ trasferimenti, numero di trasferimenti, idTransfer)',
        ],
        'NM-PSPPAY-ERR-10',
      ),
    ],
    // verify and paGetPayment leave the read notice as it is, so every answer stays comparable; each receipt closes its own notice
    reads: { payable: 1 },
    writes: { payable: 2 },
    async run(t) {
      const v2 = featureOn(t.profile, 'v2');
      const a = await t.notice('payable', 0);
      const prims: PaPrimitive[] = ['paVerifyPaymentNotice', 'paGetPayment', ...(v2 ? (['paGetPaymentV2'] as const) : [])];
      for (const p of prims) {
        const content = p === 'paVerifyPaymentNotice' ? verifyRequest(t, a) : getPaymentRequest(t, a, undefined, isoDate(t.clock.now() + 30 * 86_400_000));
        const canonical = answerOfCall(t, await t.nodo.callStation(p, content, { note: 'canonical form (reference for the namespace forms)' }));
        for (const form of FORMS) judgeForm(t, `${p}-${form}`, canonical, await sendForm(t, p, form, content), form);
      }
      await formsForReceipt(t, await t.ownNotice('payable', 0), 1);
      if (v2) await formsForReceipt(t, await t.ownNotice('payable', 1), 2);
      const svc = featureOn(t.profile, 'spontaneous') ? t.profile.spontaneous?.services[0] : undefined;
      if (svc) {
        // every demand creates its own position: the answers compare by outcome
        const demand = (tag: string) => demandRequest(t, svc, Buffer.from(fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${tag}/${t.clock.now()}/${Math.random()}`), 'utf8').toString('base64'));
        const canonical = answerOfCall(t, await t.nodo.callStation('paDemandPaymentNotice', demand('canonical'), { note: 'canonical form (reference for the namespace forms)' }));
        for (const form of FORMS) judgeForm(t, `paDemandPaymentNotice-${form}`, canonical, await sendForm(t, 'paDemandPaymentNotice', form, demand(form)), form);
      }
      checkEveryAnswer(t);
    },
  },
  {
    id: 'EC-ROB-02',
    title: 'Oversized request (1.5 MB): refused or answered, never a crash or a hang; the station still answers afterwards',
    titleIt: 'Richiesta sovradimensionata (1,5 MB): rifiutata o gestita, mai un crash o un blocco; la stazione risponde ancora dopo',
    seat: 'ec',
    checks: [
      spec('oversized-answered', ['a 1.5 MB request gets an answer (any refusal: KO, SOAP Fault, HTTP 413); never OK, never a hang', 'una richiesta di 1,5 MB riceve una risposta (qualunque rifiuto: KO, SOAP Fault, HTTP 413); mai OK, mai un blocco'], ['NM-X-VAL-01', 'IF-X-18']),
      spec('alive-after', ['the station still answers a normal verify after the oversized request (no crash)', 'la stazione risponde ancora a una verifica normale dopo la richiesta sovradimensionata (nessun crash)'], 'NM-X-VAL-01'),
    ],
    reads: { payable: 1 },
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
      const got = answered(a);
      t.check({
        id: 'oversized-answered',
        held: a.outcome !== 'OK' && (got || transport === 'reset'),
        // dropping the connection is a refusal too, if the station survives (checked next): WARNING
        verdict: a.outcome === 'OK' ? 'FAIL' : got ? 'PASS' : transport === 'reset' ? 'WARNING' : 'FAIL',
        message:
          a.outcome === 'OK'
            ? ['the oversized schema-invalid request was answered OK', 'la richiesta sovradimensionata e non valida per lo schema ha avuto risposta OK']
            : got
              ? joinSaid([['refused: ', 'rifiutata: '], answerSaid(a), [` (HTTP ${status})`, ` (HTTP ${status})`]], '')
              : problemSaid(a, ['no answer', 'nessuna risposta']),
        entries: [a.request, a.response],
      });
      const after = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'liveness after the oversized request' }));
      t.check({ id: 'alive-after', held: after.outcome === 'OK', message: answerSaid(after), entries: [after.request, after.response] });
    },
  },
  {
    id: 'EC-ROB-03',
    title: 'allCCP (what a Poste verificaBollettino relies on) is true only if every transfer is credited to a postal IBAN with transferType=POSTAL',
    titleIt: 'allCCP (su cui si basa verificaBollettino di Poste) è true solo se ogni trasferimento è accreditato su IBAN postale con transferType=POSTAL',
    seat: 'ec',
    checks: [
      spec(
        'allccp-postal',
        ['allCCP=true only if every transfer can be credited to a postal account (IBAN IT, ABI 07601, with transferType=POSTAL)', 'allCCP=true solo se ogni trasferimento può essere accreditato su un conto postale (IBAN IT, ABI 07601, con transferType=POSTAL)'],
        'NM-PSPPAY-PAY-05',
      ),
      spec(
        'postal-ibans',
        ['with transferType=POSTAL and postal accounts for every transfer (allCCP=true), the EC returns postal IBANs', 'con transferType=POSTAL e conti postali per ogni trasferimento (allCCP=true), l’EC restituisce IBAN postali'],
        'IF-paGetPayment-F73',
        'SHOULD',
      ),
    ],
    reads: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      // the Nodo serves verificaBollettino with the same paVerifyPaymentNotice: its allCCP is what the Poste PSP relies on
      const first = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'allCCP of the notice' }));
      if (first.outcome !== 'OK') {
        const [d, dIt] = answerSaid(first);
        return t.inconclusive([`verify of the payable notice ${n.noticeNumber} answered ${d}: no allCCP to judge (see EC-VAL-01)`, `la verifica dell’avviso pagabile ${n.noticeNumber} ha risposto ${dIt}: nessun allCCP da valutare (vedi EC-VAL-01)`]);
      }
      const allCCP = textOf(child(child(first.body, 'paymentList'), 'paymentOptionDescription'), 'allCCP');
      const g = answerOfCall(t, await t.nodo.callStation('paGetPayment', { ...getPaymentRequest(t, n, undefined, isoDate(t.clock.now() + 30 * 86_400_000)), paymentNote: undefined, transferType: 'POSTAL' }, { note: 'activation by Poste (transferType POSTAL)' }));
      if (g.outcome !== 'OK') {
        const [d, dIt] = answerSaid(g);
        return t.inconclusive([`paGetPayment with transferType=POSTAL answered ${d}: no transfers to compare allCCP with (see EC-VAL-02)`, `paGetPayment con transferType=POSTAL ha risposto ${dIt}: nessun trasferimento con cui confrontare allCCP (vedi EC-VAL-02)`]);
      }
      const ibans = transfersOf(child(g.body, 'data')).map((x) => textOf(x, 'IBAN') ?? '(no IBAN)');
      const ibansIt = ibans.map((i) => (i === '(no IBAN)' ? '(nessun IBAN)' : i));
      const postal = ibans.filter(isPostalIban);
      const claimsAll = allCCP === 'true' || allCCP === '1';
      t.check({
        id: 'allccp-postal',
        held: !claimsAll || postal.length === ibans.length,
        message: [
          `allCCP=${allCCP}; with transferType=POSTAL ${postal.length} of ${ibans.length} transfer IBAN(s) postal: ${ibans.join(', ')}`,
          `allCCP=${allCCP}; con transferType=POSTAL ${postal.length} IBAN di trasferimento postali su ${ibans.length}: ${ibansIt.join(', ')}`,
        ],
        entries: [first.response, g.request, g.response],
      });
      if (!claimsAll)
        return t.notExercised(
          'postal-ibans',
          [
            `allCCP=${allCCP}: the EC holds no postal account for every transfer, and whether it holds one for some cannot be told from the wire`,
            `allCCP=${allCCP}: l’EC non ha un conto postale per ogni trasferimento, e se ne abbia uno per alcuni non si ricava dai messaggi`,
          ],
          [first.response, g.response],
        );
      t.check({ id: 'postal-ibans', held: postal.length === ibans.length, message: [`${postal.length} of ${ibans.length} postal`, `${postal.length} postali su ${ibans.length}`], entries: [g.response] });
    },
  },
  {
    id: 'EC-SPONT-TO-01',
    title: 'paDemandPaymentNotice is answered in time with a valid notice of the station (no timeout, no invalid response)',
    titleIt: 'paDemandPaymentNotice riceve risposta in tempo con un avviso valido della stazione (nessun timeout, nessuna risposta non valida)',
    seat: 'ec',
    feature: 'spontaneous',
    checks: [
      spec('demand-in-time', ['paDemandPaymentNotice is answered within the Nodo timeout: no PPT_STAZIONE_INT_PA_TIMEOUT', 'paDemandPaymentNotice riceve risposta entro il timeout del Nodo: nessun PPT_STAZIONE_INT_PA_TIMEOUT'], 'NM-SPONT-TO-01'),
      spec(
        'demand-valid',
        ['the answer is valid (no PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE / _ERRORE_RESPONSE) and OK for valid service data', 'la risposta è valida (nessun PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE / _ERRORE_RESPONSE) e OK per dati di servizio validi'],
        'NM-SPONT-TO-01',
      ),
      spec('demand-service-level', ['paDemandPaymentNotice within the 2 s service level (one sample)', 'paDemandPaymentNotice entro il livello di servizio di 2 s (un solo campione)'], 'NM-SLA-TO-02', 'SHOULD'),
      spec(
        'demand-notice-number',
        [
          "the notice returned follows the station's numbering (aux digit, segregation/application code, check digits) and names an EC fiscal code",
          'l’avviso restituito segue la numerazione della stazione (aux digit, codice di segregazione/applicazione, cifre di controllo) e indica il codice fiscale di un EC',
        ],
        'NM-X-NAV-01',
      ),
    ],
    async run(t) {
      const svc = t.profile.spontaneous?.services[0];
      if (!svc) return t.inconclusive(NO_SERVICES);
      const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${Math.random()}`);
      const r = await t.nodo.callStation('paDemandPaymentNotice', demandRequest(t, svc, Buffer.from(xml, 'utf8').toString('base64')));
      const a = answerOfCall(t, r);
      // measured on the run's clock (real against a candidate, virtual in demo and self-tests)
      const ms = a.response?.latencyMs ?? r.latencyMs;
      const limit = t.timeouts.paDemandPaymentNotice;
      const inTime = !!a.response && a.response.transport !== 'timeout' && ms <= limit;
      const [late, lateIt] = problemSaid(a, [`${ms} ms`, `${ms} ms`]);
      t.check({
        id: 'demand-in-time',
        title: [`paDemandPaymentNotice is answered within the Nodo timeout (${limit} ms): no PPT_STAZIONE_INT_PA_TIMEOUT`, `paDemandPaymentNotice riceve risposta entro il timeout del Nodo (${limit} ms): nessun PPT_STAZIONE_INT_PA_TIMEOUT`],
        held: inTime,
        message: inTime ? [`${ms} ms`, `${ms} ms`] : [`${late} (limit ${limit} ms)`, `${lateIt} (limite ${limit} ms)`],
        entries: [a.request, a.response],
      });
      // a problem (no usable answer) is the one thing said; else the validator's diagnostics (quoted in the Italian) and the semantic problems
      const problems: Bi[] = a.problem
        ? [problemSaid(a, ['', ''])]
        : [...(a.response?.xsd?.valid ? [] : (a.response?.xsd?.errors ?? []).slice(0, 2).map((e) => quotedSaid([e]))), ...answerProblemsSaid(a, 'paDemandPaymentNotice')];
      t.check({ id: 'demand-valid', held: problems.length === 0 && a.outcome === 'OK', message: problems.length ? joinSaid(problems) : answerSaid(a), entries: [a.request, a.response] });
      if (inTime) t.check({ id: 'demand-service-level', held: ms <= EC_SERVICE_LEVEL_MS, message: [`${ms} ms`, `${ms} ms`], entries: [a.response] });
      else t.notExercised('demand-service-level', ['no answer in time to measure', 'nessuna risposta in tempo da misurare'], [a.response]);
      if (a.outcome !== 'OK') {
        const [d, dIt] = answerSaid(a);
        return t.notExercised('demand-notice-number', [`no notice returned (${d})`, `nessun avviso restituito (${dIt})`], [a.response]);
      }
      const qr = child(a.body, 'qrCode');
      const fc = textOf(qr, 'fiscalCode');
      const nn = textOf(qr, 'noticeNumber') ?? '';
      const p = t.profile.ec;
      const parts = parseNotice(nn);
      const codeOk = p.auxDigit === 3 ? parts?.code === p.segregationCode : p.auxDigit === 0 ? parts?.code === p.applicationCode : true;
      const digitOk = p.auxDigit === 1 || noticeCheckDigitOk(nn);
      const codeOf = (it: boolean) =>
        p.auxDigit === 3 ? `, ${it ? 'codice di segregazione' : 'segregation code'} ${p.segregationCode}` : p.auxDigit === 0 ? `, ${it ? 'codice di applicazione' : 'application code'} ${p.applicationCode}` : '';
      t.check({
        id: 'demand-notice-number',
        title: [
          `the notice returned follows the station's numbering (aux digit ${p.auxDigit}${codeOf(false)}, check digits) and names an EC fiscal code`,
          `l’avviso restituito segue la numerazione della stazione (aux digit ${p.auxDigit}${codeOf(true)}, cifre di controllo) e indica il codice fiscale di un EC`,
        ],
        held: !!parts && parts.auxDigit === p.auxDigit && codeOk && digitOk && isFiscalCodePA(fc),
        message: [
          `qrCode ${fc}/${nn}: aux digit ${parts?.auxDigit}, code ${parts?.code ?? '-'}, check digits ${digitOk ? 'ok' : 'wrong'}`,
          `qrCode ${fc}/${nn}: aux digit ${parts?.auxDigit}, codice ${parts?.code ?? '-'}, cifre di controllo ${digitOk ? 'corrette' : 'errate'}`,
        ],
        entries: [a.response],
      });
    },
  },
];
