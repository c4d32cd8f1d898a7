// Payments started on pagoPA touchpoints (Checkout, App IO, EC front end; catalogue §3.4): the
// emulated touchpoint activates with the candidate's idPSP, the user pays at the PSP, the Nodo sends
// pspNotifyPayment(V2); the PSP answers (OK or a CANALE_ fault) and, after an OK, sends an OK outcome
// before the token expires. Every notice is owned by the scenario; triggers tell the PSP whether the
// payment it is about to be notified of succeeded (notify-accept) or not (notify-refuse).
import type { ScenarioDef } from '../../src/scenario.js';
import type { PspContext } from '../../src/seats/psp.js';
import type { JournalEntry } from '../../src/journal.js';
import type { NodeObj } from '../../src/protocol/xml.js';
import { textOf } from '../../src/protocol/xml.js';
import { decodeEnvelope, encodeEnvelope, readFault } from '../../src/protocol/soap.js';
import { OPERATIONS } from '../../src/protocol/operations.js';
import { OUTCOMES, bodyOf, checkOutcomeInTime, checkReport, judgeWire, tokensOf, answer } from './lib.js';

type S = ScenarioDef<PspContext>;

/** The touchpoint activates the notices (V2 for carts), owned by the scenario. */
async function activateAtTouchpoint(t: PspContext, count: number, v2: boolean): Promise<{ tokens: string[]; notices: { fiscalCode: string; noticeNumber: string; amount: string }[] }> {
  const tokens: string[] = [];
  const notices: { fiscalCode: string; noticeNumber: string; amount: string }[] = [];
  for (let i = 0; i < count; i++) {
    const n = t.position();
    const a = await t.checkout.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, n.amountCents, { v2, touchPoint: 'CHECKOUT', paymentMethod: 'CP' });
    if (!a.paymentToken) return t.inconclusive(`the emulated touchpoint could not activate ${n.noticeNumber}: ${a.fault?.faultCode ?? a.problem}`);
    t.own(a.paymentToken);
    tokens.push(a.paymentToken);
    notices.push({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount });
  }
  return { tokens, notices };
}

function notifyAnswer(e: JournalEntry | undefined): { outcome?: string; faultCode?: string; id?: string; valid: boolean } {
  if (!e?.raw || e.transport) return { valid: false };
  const d = decodeEnvelope(e.raw);
  if (!d.ok || !d.msg.xsd.valid) return { valid: false };
  const f = readFault(d.msg.body);
  return { outcome: textOf(d.msg.body, 'outcome'), faultCode: f?.faultCode, id: f?.id, valid: true };
}

function notifyEntries(t: PspContext): { req?: JournalEntry; res?: JournalEntry } {
  const req = t.journal.entries.find((e) => e.direction === 'request' && e.from === 'nodo' && e.to === 'psp');
  return { req, res: t.answerOf(req) };
}

/** Accept path: answer OK within the Nodo timeout, then an OK outcome for every token before expiry. */
function judgeAccepted(t: PspContext, tokens: string[], requirement: string, o: { answerLost?: boolean } = {}): void {
  const { req, res } = notifyEntries(t);
  const a = notifyAnswer(res);
  if (!o.answerLost) {
    t.check({ id: 'notify-ok', title: 'the PSP answers the notification OK (valid pspNotifyPaymentRes)', requirement, level: 'MUST', held: a.valid && a.outcome === 'OK' && !a.faultCode, message: a.valid ? `outcome ${a.outcome} ${a.faultCode ?? ''}` : `no valid answer (${res?.transport ?? res?.httpStatus ?? 'none'})`, entries: [req, res] });
    t.check({ id: 'notify-in-time', title: `the answer comes within the Nodo timeout (${t.rt.timeouts.pspNotifyPayment} ms)`, requirement: 'NM-SLA-TO-01', level: 'MUST', held: !!res && !res.transport && (res.latencyMs ?? 0) <= t.rt.timeouts.pspNotifyPayment, message: `latency ${res?.latencyMs ?? '?'} ms${res?.transport ? `, ${res.transport}` : ''}`, entries: [res] });
    t.check({ id: 'notify-2s', title: 'the answer comes within 2 s (TPNP, SHOULD per message)', requirement: 'NM-EC-TO-01', level: 'SHOULD', held: (res?.latencyMs ?? Infinity) <= 2000, message: `latency ${res?.latencyMs ?? '?'} ms`, entries: [res] });
  }
  const outs = t.requests(OUTCOMES);
  const covered = new Set(outs.flatMap((e) => tokensOf(bodyOf(e))));
  const missing = tokens.filter((x) => !covered.has(x));
  const kos = outs.filter((e) => textOf(bodyOf(e), 'outcome') !== 'OK');
  t.check({ id: 'outcome-follows', title: 'an OK outcome follows the accepted notification, for every token of it', requirement, level: 'MUST', held: missing.length === 0 && outs.length > 0, message: missing.length ? `no outcome for ${missing.join(', ')}` : `${outs.length} outcome(s)`, entries: outs });
  t.check({ id: 'outcome-not-ko', title: 'after accepting the notification the PSP never sends outcome KO', requirement: 'NM-EC-ERR-04', level: 'MUST', held: kos.length === 0, message: kos.length ? `${kos.length} KO outcome(s)` : 'only OK', entries: kos });
  const first = outs[0];
  if (first && res && !o.answerLost) {
    const gap = first.at - res.at;
    t.check({ id: 'outcome-2s', title: 'the outcome follows the positive notification within 2 s (TNSPO, SHOULD)', requirement: 'NM-SLA-KPI-01', level: 'SHOULD', held: gap <= 2000, message: `${gap} ms`, entries: [first] });
  }
  checkOutcomeInTime(t, 'IF-pspNotifyPayment-F71' === requirement ? 'NM-TOK-TO-01' : 'NM-TOK-TO-01');
}

function acceptScenario(d: { id: string; title: string; titleIt: string; requirements: string[]; feature?: S['feature']; count: number; v2: boolean; lost?: boolean; content?: (c: NodeObj) => NodeObj }): S {
  return {
    id: d.id,
    title: d.title,
    titleIt: d.titleIt,
    seat: 'psp',
    feature: d.feature,
    requirements: d.requirements,
    async run(t) {
      const { tokens, notices } = await activateAtTouchpoint(t, d.count, d.v2);
      const h = await t.trigger({ action: 'notify-accept', fiscalCode: notices[0]!.fiscalCode, noticeNumber: notices[0]!.noticeNumber, amount: notices[0]!.amount, notices, primitives: d.v2 ? 'v2' : 'v1', note: 'the user paid on the touchpoint: accept the pspNotifyPayment that follows' });
      if (d.lost) t.faults.add({ side: 'outbound', primitive: d.v2 ? 'pspNotifyPaymentV2' : 'pspNotifyPayment', match: { paymentToken: tokens[0]! }, fault: { kind: 'no-answer' }, times: 1 });
      const n = await t.notify(tokens, d.v2 ? 2 : 1, { content: d.content });
      // the PSP acted when it answered (or, with the answer lost, when it got the request);
      // from here a missing outcome is the PSP's failure, judged below, not a silent trigger
      if (!d.lost && (n.result.transport === 'refused' || n.result.transport === 'error')) return t.inconclusive(`the PSP's pspForNode endpoint ${t.rt.pspForNodeUrl} did not answer the notification (${n.result.transport}: ${n.result.error ?? ''})`);
      const report = await t.settle(h);
      judgeWire(t);
      judgeAccepted(t, tokens, d.requirements[0]!, { answerLost: d.lost });
      if (d.count > 1) {
        const outs = t.requests(OUTCOMES).filter((e) => answer(t, e).valid);
        const one = outs.find((e) => tokens.every((x) => tokensOf(bodyOf(e)).includes(x)));
        t.check({ id: 'one-outcome-for-cart', title: 'one sendPaymentOutcomeV2 covers every token of the cart', requirement: d.requirements[0]!, level: 'MUST', held: !!one, message: outs.map((e) => tokensOf(bodyOf(e)).length).join(', ') || 'no outcome', entries: outs });
      }
      checkReport(t, report, d.requirements[0]!, ['paid']);
    },
  };
}

/** Replaces the card block of a V1 notification with App IO's key/value payment data. */
function appIo(c: NodeObj): NodeObj {
  const { creditCardPayment: _cc, standin, ...rest } = c;
  return { ...rest, additionalPaymentInformations: { metadata: { mapEntry: [{ key: 'touchpoint', value: 'IO' }, { key: 'paymentMethod', value: 'CP' }] } }, standin };
}

export const touchpointScenarios: S[] = [
  acceptScenario({
    id: 'PSP-NOTIFY-01', count: 1, v2: false,
    title: 'Checkout payment: pspNotifyPayment answered OK, then an OK outcome before expiry',
    titleIt: 'Pagamento da Checkout: pspNotifyPayment con risposta OK, poi esito OK prima della scadenza',
    requirements: ['NM-EC-PAY-03', 'NM-EC-ERR-04', 'NM-EC-TO-01', 'NM-SLA-TO-01', 'NM-SLA-KPI-01', 'IF-pspNotifyPayment-F71', 'IF-pspNotifyPayment-F01'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-02', count: 1, v2: false, content: appIo,
    title: 'App IO payment (QR scan): pspNotifyPayment with key/value payment data, OK, then an OK outcome',
    titleIt: 'Pagamento da App IO (QR): pspNotifyPayment con dati chiave/valore, OK, poi esito OK',
    requirements: ['NM-EC-PAY-04', 'IF-pspNotifyPayment-F12'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-03', count: 1, v2: false, lost: true,
    title: 'The PSP\'s answer to pspNotifyPayment is lost: its outcome still follows, and it is OK',
    titleIt: 'La risposta del PSP a pspNotifyPayment va persa: l’esito segue comunque ed è OK',
    requirements: ['NM-EC-ERR-02', 'NM-X-CHN-01'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-04', count: 2, v2: true, feature: 'touchpoint',
    title: 'Cart of two notices settled in one pspNotifyPaymentV2 and one sendPaymentOutcomeV2',
    titleIt: 'Carrello di due avvisi saldato con un pspNotifyPaymentV2 e un sendPaymentOutcomeV2',
    requirements: ['NM-EC-PAY-05', 'IF-pspNotifyPaymentV2-F10', 'IF-sendPaymentOutcomeV2-F06'],
  }),
  acceptScenario({
    id: 'PSP-NOTIFY-05', count: 2, v2: true, feature: 'frontEnd',
    title: 'Cart from the EC front end (Checkout carts): pspNotifyPaymentV2 accepted, one outcome for the cart',
    titleIt: 'Carrello dal frontend dell’EC: pspNotifyPaymentV2 accettato, un esito per il carrello',
    requirements: ['NM-EC-PAY-01'],
  }),
  {
    id: 'PSP-NOTIFY-06',
    title: 'The PSP refuses pspNotifyPayment: a CANALE_ fault with its own id, and no outcome at all',
    titleIt: 'Il PSP rifiuta pspNotifyPayment: fault CANALE_ con il proprio id, e nessun esito',
    seat: 'psp',
    requirements: ['NM-EC-ERR-01', 'NM-EC-ERR-03', 'NM-X-FB-01', 'IF-X-10', 'IF-X-11', 'IF-pspNotifyPayment-F70'],
    async run(t) {
      const { tokens, notices } = await activateAtTouchpoint(t, 1, false);
      const h = await t.trigger({ action: 'notify-refuse', fiscalCode: notices[0]!.fiscalCode, noticeNumber: notices[0]!.noticeNumber, amount: notices[0]!.amount, notices, note: 'the payment failed at the PSP: refuse the pspNotifyPayment that follows' });
      await t.notify(tokens, 1);
      const report = await t.settle(h);
      judgeWire(t);
      const { req, res } = notifyEntries(t);
      const a = notifyAnswer(res);
      t.check({ id: 'refused', title: 'the PSP answers KO with a fault', requirement: 'NM-EC-ERR-01', level: 'MUST', held: a.valid && a.outcome === 'KO' && !!a.faultCode, message: a.valid ? `${a.outcome} ${a.faultCode ?? ''}` : 'no valid answer', entries: [req, res], verdict: a.valid ? undefined : 'INCONCLUSIVE' });
      t.check({ id: 'fault-shape', title: 'the fault is CANALE_* with id = the idPSP', requirement: 'NM-X-FB-01', level: 'MUST', held: !a.faultCode || (/^CANALE_/.test(a.faultCode) && a.id === t.candidate.idPSP), message: `faultCode ${a.faultCode}, id ${a.id}`, entries: [res] });
      const outs = t.requests(OUTCOMES);
      t.check({ id: 'no-outcome', title: 'after refusing the notification the PSP sends no outcome', requirement: 'NM-EC-ERR-03', level: 'MUST', held: outs.length === 0, message: outs.length ? `${outs.length} outcome(s): ${outs.map((e) => textOf(bodyOf(e), 'outcome')).join(', ')}` : 'none', entries: outs });
      checkReport(t, report, 'NM-EC-ERR-01', ['refused', 'not-paid']);
    },
  },
  {
    id: 'PSP-NOTIFY-07',
    title: 'Misaddressed or malformed pspNotifyPayment: CANALE_PSP_ERRATO / _INTERMEDIARIO_ERRATO / _CANALE_ERRATO / _SINTASSI_*',
    titleIt: 'pspNotifyPayment mal indirizzato o malformato: CANALE_PSP_ERRATO / _INTERMEDIARIO_ERRATO / _CANALE_ERRATO / _SINTASSI_*',
    seat: 'psp',
    requirements: ['NM-EC-ERR-05', 'NM-X-VAL-01', 'IF-X-17', 'IF-X-10'],
    async run(t) {
      const rows: { name: string; expect: RegExp; to?: Record<string, string>; raw?: (env: string) => string }[] = [
        { name: 'idPSP of another PSP', expect: /^CANALE_PSP_ERRATO$/, to: { idPSP: 'OTHERPSPXXX' } },
        { name: 'idBrokerPSP of another broker', expect: /^CANALE_INTERMEDIARIO_ERRATO$/, to: { idBrokerPSP: '00000000009' } },
        { name: 'idChannel of another channel', expect: /^CANALE_CANALE_ERRATO$/, to: { idChannel: '00000000009_99' } },
        { name: 'schema-invalid body', expect: /^CANALE_SINTASSI_(XSD|EXTRAXSD)$/, raw: (env) => env.replace(/<paymentToken>/, '<collaudoBogus>x</collaudoBogus><paymentToken>') },
      ];
      for (const r of rows) {
        const { tokens } = await activateAtTouchpoint(t, 1, false);
        const before = t.journal.entries.length;
        const rawEnvelope = r.raw ? r.raw(encodeEnvelope(OPERATIONS.pspNotifyPayment!, 'request', t.nodo.buildNotify(tokens, 1, t.candidate))) : undefined;
        await t.notify(tokens, 1, { to: r.to, rawEnvelope, note: `misaddressed/malformed: ${r.name}` });
        const entry = t.journal.entries.slice(before).find((e) => e.direction === 'request' && e.from === 'nodo' && e.to === 'psp');
        const ans = t.answerOf(entry);
        const a = notifyAnswer(ans);
        t.check({ id: `refuse-${r.name.replace(/\W+/g, '-')}`, title: `${r.name} → KO ${r.expect.source}`, requirement: 'NM-EC-ERR-05', level: 'MUST', held: a.valid && a.outcome === 'KO' && r.expect.test(a.faultCode ?? ''), message: a.valid ? `${a.outcome} ${a.faultCode ?? ''}` : 'no valid answer', entries: [entry, ans] });
      }
      await new Promise<void>((r) => setImmediate(r));
      const outs = t.requests(OUTCOMES);
      t.check({ id: 'no-outcome', title: 'no outcome for notifications the PSP refused', requirement: 'NM-X-VAL-01', level: 'MUST', held: outs.length === 0, message: `${outs.length} outcome(s)`, entries: outs });
    },
  },
  {
    id: 'PSP-BOLLO-01',
    title: 'Digital stamp (@e.bollo) bought on the touchpoint: one marcaDaBollo per stamp transfer in sendPaymentOutcomeV2',
    titleIt: 'Marca da bollo digitale acquistata dal touchpoint: una marcaDaBollo per versamento bollo in sendPaymentOutcomeV2',
    seat: 'psp',
    feature: 'stamps',
    requirements: ['NM-BOLLO-PAY-01', 'NM-BOLLO-VAL-01'],
    async run(t) {
      t.inconclusive('the emulated EC of this version cannot issue digital-stamp positions (richiestaMarcaDaBollo): stamp flows are not exercised yet');
    },
  },
];
