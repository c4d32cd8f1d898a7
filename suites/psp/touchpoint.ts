// Payments started on pagoPA touchpoints (Checkout, App IO, EC front end; catalogue §3.4): the
// emulated touchpoint activates with the candidate's idPSP, the user pays at the PSP, the Nodo sends
// pspNotifyPayment(V2); the PSP answers (OK or a CANALE_ fault) and, after an OK, sends an OK outcome
// before the token expires. Every notice is owned by the scenario; triggers tell the PSP whether the
// payment it is about to be notified of succeeded (notify-accept) or not (notify-refuse).
import { type CheckSpec, type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import type { JournalEntry } from '../../src/core/journal.js';
import type { NodeObj } from '../../src/wire/xml.js';
import { textOf } from '../../src/wire/xml.js';
import { encodeEnvelope } from '../../src/wire/soap.js';
import { ALL_OPERATIONS, OPERATIONS } from '../../interfaces/index.js';
import { type Answer, answerOfExchange, isUsable, transportSaid } from '../../src/wire/answer.js';
import { type Bi, joinSaid, quoted } from '../../src/core/text.js';
import { TNSPO_MS, TPNP_MS } from '../../domain/service-levels.js';
import { OUTCOMES, bodyOf, checkOutcomeInTime, checkReport, outcomeSpecs, reportSpecs, same, tokensOf, answer } from './lib.js';
import { type Flow, WIRE_SPECS, judgeWire } from './wire.js';


type S = ScenarioDef<PspContext>;

/** The touchpoint activates the notices (V2 for carts), owned by the scenario. */
async function activateAtTouchpoint(t: PspContext, count: number, v2: boolean): Promise<{ tokens: string[]; notices: { fiscalCode: string; noticeNumber: string; amount: string }[] }> {
  const tokens: string[] = [];
  const notices: { fiscalCode: string; noticeNumber: string; amount: string }[] = [];
  for (let i = 0; i < count; i++) {
    const n = t.position();
    const a = await t.checkout.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, n.amountCents, { v2, touchPoint: 'CHECKOUT', paymentMethod: 'CP' });
    if (!a.paymentToken) {
      return t.inconclusive([
        `the emulated touchpoint could not activate ${n.noticeNumber}: ${a.fault?.faultCode ?? a.problem}`,
        `il touchpoint emulato non ha potuto attivare ${n.noticeNumber}: ${a.fault?.faultCode ?? a.problemIt ?? a.problem}`,
      ]);
    }
    t.own(a.paymentToken);
    tokens.push(a.paymentToken);
    notices.push({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount });
  }
  return { tokens, notices };
}

/** A transport outcome in Italian (transportSaid's words). */
const transportIt = (x: string): string => transportSaid(x)[1];

/** The PSP's answer to a notification, read with validation. */
const notifyAnswer = (res: JournalEntry | undefined): Answer => answerOfExchange(undefined, res, { ops: ALL_OPERATIONS, validate: true });
/** A SOAP message valid against its schema came back (a SOAP Fault is one: then it has no outcome). */
const valid = (a: Answer): boolean => (!!a.body || !!a.soapFault) && !!a.xsd?.valid;

function notifyEntries(t: PspContext): { req?: JournalEntry; res?: JournalEntry } {
  const req = t.journal.entries.find((e) => e.direction === 'request' && e.from === 'nodo' && e.to === 'psp');
  return { req, res: t.answerOf(req) };
}

function acceptSpecs(req: string, o: { lost?: boolean; cart?: boolean; extra?: string[] }): CheckSpec[] {
  const follows = o.lost ? ['NM-EC-ERR-02', 'NM-X-CHN-01'] : [req, ...(o.extra ?? [])];
  return [
    ...WIRE_SPECS,
    ...(o.lost
      ? []
      : [
          spec('notify-ok', ['the PSP answers the notification OK (valid pspNotifyPaymentRes)', 'il PSP risponde OK alla notifica (pspNotifyPaymentRes valida)'], [req, ...(o.extra ?? [])]),
          spec('notify-in-time', ['the answer comes within the Nodo timeout', 'la risposta arriva entro il timeout del Nodo'], ['NM-SLA-TO-01', 'NM-EC-TO-01']),
          spec('notify-2s', ['the answer comes within 2 s (TPNP, SHOULD per message)', 'la risposta arriva entro 2 s (TPNP, SHOULD per messaggio)'], 'NM-EC-TO-01', 'SHOULD'),
          spec('outcome-2s', ['the outcome follows the positive notification within 2 s (TNSPO, SHOULD)', 'l’esito segue la notifica positiva entro 2 s (TNSPO, SHOULD)'], 'NM-SLA-KPI-01', 'SHOULD'),
        ]),
    spec('outcome-follows', ['an OK outcome follows the accepted notification, for every token of it', 'un esito OK segue la notifica accettata, per ogni suo token'], follows),
    spec('outcome-not-ko', ['after accepting the notification the PSP never sends outcome KO', 'dopo aver accettato la notifica il PSP non invia mai esito KO'], o.lost ? ['NM-EC-ERR-02'] : ['NM-EC-ERR-04', 'IF-sendPaymentOutcome-F75']),
    ...(o.cart ? [spec('one-outcome-for-cart', ['one sendPaymentOutcomeV2 covers every token of the cart', 'un solo sendPaymentOutcomeV2 copre tutti i token del carrello'], [req, 'IF-sendPaymentOutcomeV2-F06'])] : []),
    ...outcomeSpecs(),
    ...reportSpecs(req),
  ];
}

/** Accept path: answer OK within the Nodo timeout, then an OK outcome for every token before expiry. */
function judgeAccepted(f: Flow, tokens: string[], o: { answerLost?: boolean } = {}): void {
  const t = f.t;
  const { req, res } = notifyEntries(t);
  const a = notifyAnswer(res);
  if (!o.answerLost) {
    const got = res?.transport ?? res?.httpStatus;
    const gotIt = res?.transport ? transportIt(res.transport) : res?.httpStatus;
    t.check({
      id: 'notify-ok', held: valid(a) && a.outcome === 'OK' && !a.fault?.faultCode,
      message: valid(a) ? [`outcome ${a.outcome} ${a.fault?.faultCode ?? ''}`, `esito ${a.outcome} ${a.fault?.faultCode ?? ''}`] : [`no valid answer (${got ?? 'none'})`, `nessuna risposta valida (${gotIt ?? 'nessuna'})`],
      entries: [req, res],
    });
    const timeout = t.rt.timeouts.pspNotifyPayment;
    const latency = `${res?.latencyMs ?? '?'} ms${res?.transport ? `, ${res.transport}` : ''}`;
    const latencyIt = `${res?.latencyMs ?? '?'} ms${res?.transport ? `, ${transportIt(res.transport)}` : ''}`;
    t.check({
      id: 'notify-in-time', title: [`the answer comes within the Nodo timeout (${timeout} ms)`, `la risposta arriva entro il timeout del Nodo (${timeout} ms)`],
      held: !!res && !res.transport && (res.latencyMs ?? 0) <= timeout, message: [`latency ${latency}`, `latenza ${latencyIt}`], entries: [req, res],
    });
    t.check({ id: 'notify-2s', held: (res?.latencyMs ?? Infinity) <= TPNP_MS, message: [`latency ${res?.latencyMs ?? '?'} ms`, `latenza ${res?.latencyMs ?? '?'} ms`], entries: [req, res] });
  }
  // an outcome after a refused or unanswered notification is judged elsewhere; here the PSP accepted
  if (!o.answerLost && !(valid(a) && a.outcome === 'OK')) {
    for (const id of ['outcome-follows', 'outcome-not-ko', 'outcome-2s']) f.skip(id, ['the PSP did not accept the notification (judged by notify-ok)', 'il PSP non ha accettato la notifica (giudicato da notify-ok)'], [res]);
    return;
  }
  const outs = t.requests(OUTCOMES);
  const covered = new Set(outs.flatMap((e) => tokensOf(bodyOf(e))));
  const missing = tokens.filter((x) => !covered.has(x));
  const kos = outs.filter((e) => textOf(bodyOf(e), 'outcome') !== 'OK');
  f.check({ id: 'outcome-follows', held: missing.length === 0 && outs.length > 0, message: missing.length ? [`no outcome for ${missing.join(', ')}`, `nessun esito per ${missing.join(', ')}`] : [`${outs.length} outcome(s)`, `${outs.length} esiti`], entries: [req, res, ...outs] });
  if (outs.length) f.check({ id: 'outcome-not-ko', held: kos.length === 0, message: kos.length ? [`${kos.length} KO outcome(s)`, `${kos.length} esiti KO`] : ['only OK', 'solo OK'], entries: kos.length ? kos : outs });
  const first = outs[0];
  if (!o.answerLost) {
    if (first && res) f.check({ id: 'outcome-2s', held: first.at - res.at <= TNSPO_MS, message: same(`${first.at - res.at} ms`), entries: [res, first] });
    else f.skip('outcome-2s', ['no outcome was sent', 'nessun esito è stato inviato']);
  }
  checkOutcomeInTime(f);
}

function acceptScenario(d: { id: string; title: string; titleIt: string; requirement: string; extra?: string[]; feature?: S['feature']; count: number; v2: boolean; lost?: boolean; content?: (c: NodeObj) => NodeObj }): S {
  return {
    id: d.id,
    title: d.title,
    titleIt: d.titleIt,
    seat: 'psp',
    feature: d.feature,
    checks: acceptSpecs(d.requirement, { lost: d.lost, cart: d.count > 1, extra: d.extra }),
    async run(t) {
      const { tokens, notices } = await activateAtTouchpoint(t, d.count, d.v2);
      const h = await t.trigger({ action: 'notify-accept', fiscalCode: notices[0]!.fiscalCode, noticeNumber: notices[0]!.noticeNumber, amount: notices[0]!.amount, notices, primitives: d.v2 ? 'v2' : 'v1', note: 'the user paid on the touchpoint: accept the pspNotifyPayment that follows' });
      if (d.lost) t.faults.add({ side: 'outbound', primitive: d.v2 ? 'pspNotifyPaymentV2' : 'pspNotifyPayment', match: { paymentToken: tokens[0]! }, fault: { kind: 'no-answer' }, times: 1 });
      const n = await t.notify(tokens, d.v2 ? 2 : 1, { content: d.content });
      // the PSP acted when it answered (or, with the answer lost, when it got the request);
      // from here a missing outcome is the PSP's failure, judged below, not a silent trigger
      if (!d.lost && (n.result.transport === 'refused' || n.result.transport === 'error')) {
        return t.inconclusive([
          `the PSP's pspForNode endpoint ${t.rt.pspForNodeUrl} did not answer the notification (${n.result.transport}: ${n.result.error ?? ''})`,
          `l’endpoint pspForNode del PSP ${t.rt.pspForNodeUrl} non ha risposto alla notifica (${transportIt(n.result.transport)}: ${quoted(n.result.error ?? '')})`,
        ]);
      }
      const report = await t.settle(h);
      const f = judgeWire(t);
      judgeAccepted(f, tokens, { answerLost: d.lost });
      if (d.count > 1) {
        const outs = t.requests(OUTCOMES).filter((e) => isUsable(answer(t, e)));
        const one = outs.find((e) => tokens.every((x) => tokensOf(bodyOf(e)).includes(x)));
        if (outs.length) f.check({ id: 'one-outcome-for-cart', held: !!one, message: [outs.map((e) => `${tokensOf(bodyOf(e)).length} token(s)`).join(', '), outs.map((e) => `${tokensOf(bodyOf(e)).length} token`).join(', ')], entries: outs });
        else f.skip('one-outcome-for-cart', ['no answered outcome', 'nessun esito con risposta']);
      }
      checkReport(f, report, ['paid']);
    },
  };
}

/** Replaces the card block of a V1 notification with App IO's key/value payment data. */
function appIo(c: NodeObj): NodeObj {
  const { creditCardPayment: _cc, standin, ...rest } = c;
  return { ...rest, additionalPaymentInformations: { metadata: { mapEntry: [{ key: 'touchpoint', value: 'IO' }, { key: 'paymentMethod', value: 'CP' }] } }, standin };
}

const DTD = '<!DOCTYPE soapenv:Envelope [<!ENTITY collaudo "expanded">]>';
const NOTIFY_ROWS: { id: string; name: string; nameIt: string; requirements: string[]; expect: RegExp; to?: Record<string, string>; raw?: (env: string) => string }[] = [
  { id: 'refuse-other-psp', name: 'idPSP of another PSP', nameIt: 'idPSP di un altro PSP', requirements: ['NM-EC-ERR-05', 'IF-X-17', 'IF-pspNotifyPayment-F01'], expect: /^CANALE_PSP_ERRATO$/, to: { idPSP: 'OTHERPSPXXX' } },
  { id: 'refuse-other-broker', name: 'idBrokerPSP of another broker', nameIt: 'idBrokerPSP di un altro intermediario', requirements: ['NM-EC-ERR-05', 'IF-X-17', 'IF-pspNotifyPayment-F02'], expect: /^CANALE_INTERMEDIARIO_ERRATO$/, to: { idBrokerPSP: '00000000009' } },
  { id: 'refuse-other-channel', name: 'idChannel of another channel', nameIt: 'idChannel di un altro canale', requirements: ['NM-EC-ERR-05', 'IF-X-17', 'IF-pspNotifyPayment-F03'], expect: /^CANALE_CANALE_ERRATO$/, to: { idChannel: '00000000009_99' } },
  { id: 'refuse-schema-invalid', name: 'schema-invalid body', nameIt: 'corpo non valido rispetto all’XSD', requirements: ['NM-EC-ERR-05', 'NM-X-VAL-01'], expect: /^CANALE_SINTASSI_(XSD|EXTRAXSD)$/, raw: (env) => env.replace(/<paymentToken>/, '<collaudoBogus>x</collaudoBogus><paymentToken>') },
  // unsafe XML is refused without expansion (NM-X-VAL-01)
  { id: 'refuse-dtd', name: 'DTD with an entity', nameIt: 'DTD con un’entità', requirements: ['NM-X-VAL-01'], expect: /^CANALE_SINTASSI_(XSD|EXTRAXSD)$/, raw: (env) => env.replace(/^(<\?xml[^>]*\?>)?/, `$1${DTD}`).replace(/<paymentDescription>[^<]*/, '<paymentDescription>&collaudo;') },
];

export const touchpointScenarios: S[] = [
  acceptScenario({
    id: 'PSP-NOTIFY-01', count: 1, v2: false,
    title: 'Checkout payment: pspNotifyPayment answered OK, then an OK outcome before expiry',
    titleIt: 'Pagamento da Checkout: pspNotifyPayment con risposta OK, poi esito OK prima della scadenza',
    requirement: 'NM-EC-PAY-03', extra: ['IF-pspNotifyPayment-F71'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-02', count: 1, v2: false, content: appIo,
    title: 'App IO payment (QR scan): pspNotifyPayment with key/value payment data, OK, then an OK outcome',
    titleIt: 'Pagamento da App IO (QR): pspNotifyPayment con dati chiave/valore, OK, poi esito OK',
    requirement: 'NM-EC-PAY-04', extra: ['IF-pspNotifyPayment-F12'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-03', count: 1, v2: false, lost: true,
    title: 'The PSP\'s answer to pspNotifyPayment is lost: its outcome still follows, and it is OK',
    titleIt: 'La risposta del PSP a pspNotifyPayment va persa: l’esito segue comunque ed è OK',
    requirement: 'NM-EC-ERR-02',
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-04', count: 2, v2: true, feature: 'touchpoint',
    title: 'Cart of two notices settled in one pspNotifyPaymentV2 and one sendPaymentOutcomeV2',
    titleIt: 'Carrello di due avvisi saldato con un pspNotifyPaymentV2 e un sendPaymentOutcomeV2',
    requirement: 'NM-EC-PAY-05', extra: ['IF-pspNotifyPaymentV2-F10'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-05', count: 2, v2: true, feature: 'frontEnd',
    title: 'Cart from the EC front end (Checkout carts): pspNotifyPaymentV2 accepted, one outcome for the cart',
    titleIt: 'Carrello dal frontend dell’EC: pspNotifyPaymentV2 accettato, un esito per il carrello',
    requirement: 'NM-EC-PAY-01',
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-08', count: 1, v2: false, content: (c) => ({ ...c, standin: true }),
    title: 'pspNotifyPayment of a payment served in Stand-In (standin=true): accepted like any other, then an OK outcome',
    titleIt: 'pspNotifyPayment di un pagamento servito in Stand-In (standin=true): accettato come ogni altro, poi esito OK',
    requirement: 'NM-SI-PAY-03', extra: ['IF-pspNotifyPayment-F13'],
  }),
  {
    id: 'PSP-NOTIFY-06',
    title: 'The PSP refuses pspNotifyPayment: a CANALE_ fault with its own id, and no outcome at all',
    titleIt: 'Il PSP rifiuta pspNotifyPayment: fault CANALE_ con il proprio id, e nessun esito',
    seat: 'psp',
    checks: [
      ...WIRE_SPECS,
      spec('refused', ['the PSP answers the notification KO', 'il PSP risponde KO alla notifica'], ['NM-EC-ERR-01', 'IF-pspNotifyPayment-F70']),
      spec('fault-shape', ['the KO travels in an HTTP 200 answer with a faultBean: a CANALE_* code with id = the idPSP', 'il KO viaggia in una risposta HTTP 200 con un faultBean: un codice CANALE_* con id = idPSP'], ['NM-X-FB-01', 'IF-X-07', 'IF-X-09', 'IF-X-10', 'IF-X-11']),
      spec('no-ok-outcome', ['after refusing the notification the PSP sends no OK outcome', 'dopo aver rifiutato la notifica il PSP non invia alcun esito OK'], ['NM-EC-ERR-01', 'IF-pspNotifyPayment-F70']),
      spec('discordant-final', ['an outcome sent after the refusal is answered KO (discordant): the PSP takes it as final and reports no payment', 'un esito inviato dopo il rifiuto riceve risposta KO (discorde): il PSP la prende come definitiva e non riporta pagamenti'], 'NM-EC-ERR-03'),
      ...reportSpecs('NM-EC-ERR-01'),
    ],
    async run(t) {
      const { tokens, notices } = await activateAtTouchpoint(t, 1, false);
      const h = await t.trigger({ action: 'notify-refuse', fiscalCode: notices[0]!.fiscalCode, noticeNumber: notices[0]!.noticeNumber, amount: notices[0]!.amount, notices, note: 'the payment failed at the PSP: refuse the pspNotifyPayment that follows' });
      await t.notify(tokens, 1);
      const report = await t.settle(h);
      const f = judgeWire(t);
      const { req, res } = notifyEntries(t);
      const a = notifyAnswer(res);
      // nothing refused, nothing to judge about a refusal: the PSP did not act on its trigger
      const got = res?.transport ?? res?.httpStatus;
      const gotIt = res?.transport ? transportIt(res.transport) : res?.httpStatus;
      if (!valid(a)) return t.inconclusive([`the PSP gave no valid answer to the notification it was asked to refuse (${got ?? 'no answer'})`, `il PSP non ha dato alcuna risposta valida alla notifica che doveva rifiutare (${gotIt ?? 'nessuna risposta'})`]);
      if (a.outcome !== 'KO') return t.inconclusive(['the PSP accepted the notification it was asked to refuse (notify-refuse): it did not act on the trigger', 'il PSP ha accettato la notifica che doveva rifiutare (notify-refuse): non ha dato seguito al trigger']);
      t.check({ id: 'refused', held: true, message: [`KO ${a.fault?.faultCode ?? '(no faultBean)'}`, `KO ${a.fault?.faultCode ?? '(nessun faultBean)'}`], entries: [req, res] });
      const problems: { msg: Bi; ids: string[] }[] = [];
      if (res?.httpStatus !== 200) problems.push({ msg: same(`HTTP ${res?.httpStatus}`), ids: ['NM-X-FB-01', 'IF-X-09'] });
      if (!a.fault?.faultCode) problems.push({ msg: ['KO without a faultBean', 'KO senza faultBean'], ids: ['NM-X-FB-01', 'IF-X-07'] });
      else {
        if (!/^CANALE_/.test(a.fault?.faultCode)) problems.push({ msg: [`faultCode ${a.fault?.faultCode} is not CANALE_*`, `faultCode ${a.fault?.faultCode} non è CANALE_*`], ids: ['NM-X-FB-01', 'IF-X-10'] });
        if (a.fault?.id !== t.candidate.idPSP) problems.push({ msg: [`faultBean id ${a.fault?.id ?? '(absent)'} ≠ idPSP ${t.candidate.idPSP}`, `faultBean id ${a.fault?.id ?? '(assente)'} ≠ idPSP ${t.candidate.idPSP}`], ids: ['NM-X-FB-01', 'IF-X-11'] });
      }
      t.check({
        id: 'fault-shape', requirements: problems.length ? [...new Set(problems.flatMap((p) => p.ids))] : undefined, held: problems.length === 0,
        message: problems.length ? joinSaid(problems.map((p) => p.msg)) : same(`faultCode ${a.fault?.faultCode}, id ${a.fault?.id}`), entries: [res],
      });
      const outs = t.requests(OUTCOMES).filter((e) => tokensOf(bodyOf(e)).some((x) => tokens.includes(x)));
      const oks = outs.filter((e) => textOf(bodyOf(e), 'outcome') === 'OK');
      f.check({ id: 'no-ok-outcome', held: oks.length === 0, message: oks.length ? [`${oks.length} OK outcome(s) after the refusal`, `${oks.length} esiti OK dopo il rifiuto`] : [`${outs.length} outcome(s), none OK`, `${outs.length} esiti, nessuno OK`], entries: oks.length ? oks : [req, res, ...outs] });
      // only when the PSP sent an outcome after refusing: the Nodo's discordant KO is final
      const answered = outs.filter((e) => answer(t, e).outcome === 'KO');
      if (answered.length) {
        const after = outs.filter((e) => e.seq > answered[0]!.seq);
        f.check({
          id: 'discordant-final', held: after.length === 0 && report?.result !== 'paid',
          message: [`${after.length} outcome(s) after the discordant KO; report: ${report?.result ?? 'none'}`, `${after.length} esiti dopo il KO discorde; resoconto: ${report ? quoted(report.result) : 'nessuno'}`],
          entries: [answered[0], answer(t, answered[0]!).response, ...after],
        });
      } else t.notExercised('discordant-final', ['the PSP sent no outcome after its refusal, so no discordant KO came back to be taken as final', 'il PSP non ha inviato alcun esito dopo il rifiuto, quindi nessun KO discorde è tornato da prendere come definitivo'], [req, res]);
      checkReport(f, report, ['refused', 'not-paid']);
    },
  },
  {
    id: 'PSP-NOTIFY-07',
    title: 'Misaddressed or malformed pspNotifyPayment: CANALE_PSP_ERRATO / _INTERMEDIARIO_ERRATO / _CANALE_ERRATO / _SINTASSI_*',
    titleIt: 'pspNotifyPayment mal indirizzato o malformato: CANALE_PSP_ERRATO / _INTERMEDIARIO_ERRATO / _CANALE_ERRATO / _SINTASSI_*',
    seat: 'psp',
    checks: [
      ...NOTIFY_ROWS.map((r) => spec(r.id, [`${r.name} → KO ${r.expect.source}`, `${r.nameIt} → KO ${r.expect.source}`], r.requirements)),
      spec('no-outcome', ['no outcome for notifications the PSP refused', 'nessun esito per le notifiche rifiutate dal PSP'], 'NM-X-VAL-01'),
    ],
    async run(t) {
      const refused: string[] = [];
      for (const r of NOTIFY_ROWS) {
        const { tokens } = await activateAtTouchpoint(t, 1, false);
        const before = t.journal.entries.length;
        const rawEnvelope = r.raw ? r.raw(encodeEnvelope(OPERATIONS.pspNotifyPayment!, 'request', t.nodo.buildNotify(tokens, 1, t.candidate))) : undefined;
        await t.notify(tokens, 1, { to: r.to, rawEnvelope, note: `misaddressed/malformed: ${r.name}` });
        const entry = t.journal.entries.slice(before).find((e) => e.direction === 'request' && e.from === 'nodo' && e.to === 'psp');
        const ans = t.answerOf(entry);
        const a = notifyAnswer(ans);
        if (valid(a) && a.outcome === 'KO') refused.push(...tokens);
        t.check({ id: r.id, held: valid(a) && a.outcome === 'KO' && r.expect.test(a.fault?.faultCode ?? ''), message: valid(a) ? same(`${a.outcome} ${a.fault?.faultCode ?? ''}`) : ['no valid answer', 'nessuna risposta valida'], entries: [entry, ans] });
      }
      if (!refused.length) return t.notExercised('no-outcome', ['the PSP refused none of the notifications', 'il PSP non ha rifiutato alcuna notifica']);
      // a PSP that went on anyway sends its outcome within the TNSPO service level (NM-EC-TO-01); the
      // embedded reference PSP (virtual clock) is awaited until its flows are over instead
      const wait = TNSPO_MS;
      const isLate = (e: JournalEntry) => e.direction === 'request' && OUTCOMES.includes(e.primitive ?? '') && tokensOf(bodyOf(e)).some((x) => refused.includes(x));
      const late = t.rt.idle
        ? (await t.settle(), t.journal.entries.find(isLate))
        : await t.journal.waitFor(isLate, wait, 'an outcome for a refused notification').catch(() => undefined);
      const outs = t.requests(OUTCOMES).filter((e) => tokensOf(bodyOf(e)).some((x) => refused.includes(x)));
      const notifies = t.journal.entries.filter((e) => e.direction === 'request' && e.from === 'nodo' && e.to === 'psp');
      t.check({
        id: 'no-outcome', held: !late,
        message: late
          ? [`${outs.length} outcome(s) for refused notifications`, `${outs.length} esiti per notifiche rifiutate`]
          : [`no outcome within ${wait} ms of the ${refused.length} refusal(s)`, `nessun esito entro ${wait} ms dai ${refused.length} rifiuti`],
        entries: late ? outs : notifies,
      });
    },
  },
  {
    id: 'PSP-BOLLO-01',
    title: 'Digital stamp (@e.bollo) bought on the touchpoint: one marcaDaBollo per stamp transfer in sendPaymentOutcomeV2',
    titleIt: 'Marca da bollo digitale acquistata dal touchpoint: una marcaDaBollo per versamento bollo in sendPaymentOutcomeV2',
    seat: 'psp',
    feature: 'stamps',
    checks: [spec('stamps', ['one marcaDaBollo per digital-stamp transfer in sendPaymentOutcomeV2', 'una marcaDaBollo per ogni versamento di marca da bollo digitale in sendPaymentOutcomeV2'], ['NM-BOLLO-PAY-01', 'NM-BOLLO-VAL-01'], 'MAY')],
    // a gap of the harness, not of the candidate: never counted as coverage, never INCONCLUSIVE
    notYet: 'the emulated EC cannot issue digital-stamp positions (richiestaMarcaDaBollo) yet, so stamp flows cannot be judged',
    notYetIt: 'l’EC emulato non può ancora emettere posizioni con marca da bollo digitale (richiestaMarcaDaBollo), quindi i flussi con marca da bollo non possono essere giudicati',
    async run() {},
  },
];
