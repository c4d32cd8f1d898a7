// Payments of a notice at the PSP (catalogue §3.1, §3.6, §3.7, §3.5 stand-in flag): the harness asks
// the candidate to pay a notice the emulated EC holds and judges the verify → activate → outcome
// sequence it sends to the Nodo.
import type { ScenarioDef } from '../../src/scenario.js';
import type { PspContext } from '../../src/seats/psp.js';
import { parseAmount } from '../../src/domain.js';
import { child, textOf } from '../../src/protocol/xml.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, judgeWire, runPay } from './lib.js';

type S = ScenarioDef<PspContext>;

/** Checks of a nominal payment: amount, qrCode, outcome OK accepted, details, timing. */
function judgePaid(t: PspContext, n: { fiscalCode: string; noticeNumber: string }, req: string, o: { v2?: boolean } = {}): void {
  const acts = t.requests(ACTIVATES);
  const act = acts.find((e) => answer(t, e).outcome === 'OK');
  const ab = answer(t, act!);
  t.check({
    id: 'activated', title: 'the PSP activates the notice and gets a token', requirement: req, level: 'MUST',
    held: !!act, message: act ? `token ${textOf(ab.body, 'paymentToken')}` : `${acts.length} activation(s), none OK`, entries: [act ?? acts[0], ab.entry],
  });
  if (!act) return;
  if (o.v2 !== undefined) {
    const want = o.v2 ? 'activatePaymentNoticeV2' : 'activatePaymentNotice';
    t.check({ id: 'primitive-version', title: `the PSP uses ${want} as asked`, requirement: req, level: 'MUST', held: act.primitive === want, message: `used ${act.primitive}`, entries: [act] });
  }
  const b = bodyOf(act);
  const qr = child(b, 'qrCode');
  t.check({
    id: 'qrcode', title: 'qrCode = the EC fiscal code (11 digits) and the 18-digit notice number, copied verbatim', requirement: 'NM-X-NAV-01', level: 'MUST',
    held: textOf(qr, 'fiscalCode') === n.fiscalCode && textOf(qr, 'noticeNumber') === n.noticeNumber,
    message: `qrCode ${textOf(qr, 'fiscalCode')}/${textOf(qr, 'noticeNumber')}, expected ${n.fiscalCode}/${n.noticeNumber}`, entries: [act],
  });
  const exp = textOf(b, 'expirationTime');
  t.check({
    id: 'expiration', title: 'expirationTime, when sent, is at most 1800000 ms', requirement: 'NM-TOK-VAL-01', level: 'MUST',
    held: exp === undefined || Number(exp) <= 1_800_000, message: `expirationTime ${exp ?? '(absent: platform default)'}`, entries: [act],
  });
  const outs = t.requests(OUTCOMES);
  const out = outs.find((e) => answer(t, e).valid);
  const ob = bodyOf(out);
  t.check({
    id: 'outcome-ok', title: 'the PSP sends sendPaymentOutcome OK for the token and the Nodo accepts it', requirement: req, level: 'MUST',
    held: !!out && textOf(ob, 'outcome') === 'OK' && answer(t, out).outcome === 'OK', message: out ? `outcome ${textOf(ob, 'outcome')} → ${answer(t, out).outcome} ${answer(t, out).faultCode ?? ''}` : 'no answered outcome', entries: [out, answer(t, out ?? act).entry],
  });
  if (out) {
    t.check({
      id: 'details', title: 'an OK outcome carries the payment details (paymentMethod, fee, dates)', requirement: 'NM-TOK-VAL-04', level: 'SHOULD',
      held: textOf(ob, 'outcome') !== 'OK' || !!child(ob, 'details'), message: child(ob, 'details') ? 'details present' : 'no details', entries: [out],
    });
    const ansAt = answer(t, act).entry?.at ?? act.at;
    const gap = out.at - ansAt;
    t.check({
      id: 'outcome-2s', title: 'the outcome follows the end of the payment within 2 s (TPSPO, per message SHOULD)', requirement: 'NM-SLA-KPI-01', level: 'SHOULD',
      held: gap <= 2000, message: `${gap} ms between the activation answer and the outcome`, entries: [out],
    });
  }
  checkOutcomeInTime(t);
}

export const paymentScenarios: S[] = [
  {
    id: 'PSP-PAY-01',
    title: 'Nominal payment with verify (V1): verify, activate, outcome OK before expiry',
    titleIt: 'Pagamento nominale con verifica (V1): verify, activate, esito OK prima della scadenza',
    seat: 'psp',
    requirements: ['NM-PSPPAY-PAY-01', 'NM-OPT-PAY-01', 'NM-X-NAV-01', 'NM-X-SYN-01', 'NM-TOK-TO-01', 'NM-TOK-VAL-01', 'NM-TOK-VAL-03', 'NM-SLA-KPI-01', 'NM-SLA-KPI-04', 'IF-X-02', 'IF-activatePaymentNotice-F04', 'IF-sendPaymentOutcome-F04', 'IF-activatePaymentNotice-F75'],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'pay', primitives: 'v1', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      const verify = t.requests('verifyPaymentNotice')[0];
      t.check({ id: 'verified', title: 'the PSP verified the notice as asked', requirement: 'NM-PSPPAY-PAY-01', level: 'MUST', held: !!verify, message: verify ? 'verifyPaymentNotice sent' : 'no verify', entries: [verify] });
      judgePaid(t, n, 'NM-PSPPAY-PAY-01', { v2: false });
      checkReport(t, report, 'NM-PSPPAY-PAY-01', ['paid']);
    },
  },
  {
    id: 'PSP-PAY-02',
    title: 'Nominal payment with the V2 primitives (activatePaymentNoticeV2, sendPaymentOutcomeV2)',
    titleIt: 'Pagamento nominale con le primitive V2',
    seat: 'psp',
    feature: 'v2',
    requirements: ['NM-PSPPAY-PAY-03', 'IF-activatePaymentNoticeV2-F11', 'IF-activatePaymentNoticeV2-F12', 'IF-sendPaymentOutcomeV2-F06'],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'pay', primitives: 'v2', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      judgePaid(t, n, 'NM-PSPPAY-PAY-03', { v2: true });
      const out = t.requests(OUTCOMES)[0];
      t.check({ id: 'outcome-v2', title: 'the outcome of a V2 activation is sendPaymentOutcomeV2', requirement: 'IF-sendPaymentOutcomeV2-F06', level: 'MUST', held: out?.primitive === 'sendPaymentOutcomeV2', message: `outcome via ${out?.primitive ?? 'nothing'}`, entries: [out] });
      checkReport(t, report, 'NM-PSPPAY-PAY-03', ['paid']);
    },
  },
  {
    id: 'PSP-PAY-03',
    title: 'Verify only: the user does not pay, no activation and no outcome',
    titleIt: 'Solo verifica: l’utente non paga, nessuna attivazione e nessun esito',
    seat: 'psp',
    requirements: ['NM-PSPPAY-PAY-04', 'IF-verifyPaymentNotice-F04'],
    async run(t) {
      const n = t.position();
      await runPay(t, { action: 'verify-only', fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents }, ['verifyPaymentNotice', ...ACTIVATES]);
      judgeWire(t);
      const v = t.requests('verifyPaymentNotice');
      const more = t.requests([...ACTIVATES, ...OUTCOMES]);
      t.check({ id: 'verify-sent', title: 'the PSP verifies the notice', requirement: 'NM-PSPPAY-PAY-04', level: 'MUST', held: v.length > 0, message: `${v.length} verify`, entries: v });
      t.check({ id: 'nothing-else', title: 'no activation and no outcome follow a verify the user did not pursue', requirement: 'NM-PSPPAY-PAY-04', level: 'MUST', held: more.length === 0, message: more.length ? more.map((e) => e.primitive).join(', ') : 'nothing else sent', entries: more });
    },
  },
  {
    id: 'PSP-PAY-04',
    title: 'The user abandons after the activation: outcome KO, nothing reported as paid',
    titleIt: 'L’utente abbandona dopo l’attivazione: esito KO, nulla risulta pagato',
    seat: 'psp',
    requirements: ['NM-PSPPAY-PAY-06', 'NM-TOK-TO-01', 'IF-activatePaymentNotice-F75'],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'abandon', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t, { expectOutcome: true });
      const outs = t.requests(OUTCOMES);
      const oks = outs.filter((e) => textOf(bodyOf(e), 'outcome') === 'OK');
      t.check({ id: 'outcome-ko', title: 'an abandoned payment is closed with sendPaymentOutcome KO, never OK', requirement: 'NM-PSPPAY-PAY-06', level: 'MUST', held: outs.length > 0 && oks.length === 0, message: outs.map((e) => textOf(bodyOf(e), 'outcome')).join(', ') || 'no outcome', entries: outs });
      checkReport(t, report, 'NM-PSPPAY-PAY-06', ['not-paid']);
    },
  },
  {
    id: 'PSP-PAY-05',
    title: 'The EC updated the amount: the PSP collects the amount of the activation, not the printed one',
    titleIt: 'L’EC ha aggiornato l’importo: il PSP incassa l’importo dell’attivazione, non quello stampato',
    seat: 'psp',
    requirements: ['NM-PSPPAY-PAY-07', 'IF-activatePaymentNotice-F76', 'IF-activatePaymentNotice-F41'],
    async run(t) {
      const n = t.position({ amountCents: 12345, printedCents: 10000 });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t, { expectOutcome: true });
      const act = t.requests(ACTIVATES).find((e) => answer(t, e).outcome === 'OK');
      const total = parseAmount(textOf(answer(t, act ?? t.requests(ACTIVATES)[0]!).body, 'totalAmount'));
      const asked = parseAmount(textOf(bodyOf(act), 'amount'));
      t.check({ id: 'activate-current-amount', title: 'after a verify the activation asks the current amount (123.45), not the printed one (100.00)', requirement: 'NM-PSPPAY-PAY-07', level: 'MUST', held: asked === 12345, message: `activate amount ${asked} cents, printed ${n.amountCents}, current 12345`, entries: [act] });
      if (report?.amountCents !== undefined) {
        t.check({ id: 'charged-total', title: 'the user is charged the totalAmount of the activation', requirement: 'IF-activatePaymentNotice-F76', level: 'MUST', held: report.amountCents === total, message: `charged ${report.amountCents} cents, totalAmount ${total}`, entries: [answer(t, act!).entry] });
      }
      checkReport(t, report, 'NM-PSPPAY-PAY-07', ['paid']);
    },
  },
  {
    id: 'PSP-PAY-06',
    title: 'Multi-beneficiary notice (transfers to two ECs) paid like any other',
    titleIt: 'Avviso multi-beneficiario (versamenti a due EC) pagato come ogni altro',
    seat: 'psp',
    requirements: ['NM-MB-PAY-01', 'NM-MB-PAY-02', 'IF-activatePaymentNotice-F47'],
    async run(t) {
      const n = t.position({ transfers: 2, secondary: true, amountCents: 20000 });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      judgePaid(t, n, 'NM-MB-PAY-01');
      checkReport(t, report, 'NM-MB-PAY-02', ['paid']);
    },
  },
  {
    id: 'PSP-PAY-07',
    title: 'Mono-beneficiary notice with several transfers (multi-IBAN) paid without verify',
    titleIt: 'Avviso mono-beneficiario con più versamenti (più IBAN) pagato senza verifica',
    seat: 'psp',
    requirements: ['NM-MB-PAY-02', 'NM-OPT-PAY-01'],
    async run(t) {
      const n = t.position({ transfers: 3, amountCents: 30003 });
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      judgePaid(t, n, 'NM-MB-PAY-02');
      checkReport(t, report, 'NM-MB-PAY-02', ['paid']);
    },
  },
  {
    id: 'PSP-SI-01',
    title: 'Activation answered in Stand-In (standin=true): the PSP accepts it and completes the payment',
    titleIt: 'Attivazione servita in Stand-In (standin=true): il PSP la accetta e completa il pagamento',
    seat: 'psp',
    requirements: ['NM-SI-PAY-03', 'IF-activatePaymentNotice-F53', 'IF-verifyPaymentNotice-F46'],
    async run(t) {
      const n = t.position();
      t.script(async (op, _b, proceed) => {
        const r = await proceed();
        if ((op === 'verifyPaymentNotice' || op.startsWith('activatePaymentNotice')) && r.outcome === 'OK') r.standin = true;
        return r;
      });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      judgePaid(t, n, 'NM-SI-PAY-03');
      checkReport(t, report, 'NM-SI-PAY-03', ['paid']);
    },
  },
  {
    id: 'PSP-PAY-08',
    title: 'Verify through verificaBollettino (Poste Italiane Data Matrix)',
    titleIt: 'Verifica tramite verificaBollettino (Data Matrix di Poste Italiane)',
    seat: 'psp',
    feature: 'poste',
    requirements: ['NM-PSPPAY-PAY-05', 'IF-verificaBollettino-F05'],
    async run(t) {
      t.inconclusive('the reference Nodo of this version does not serve verificaBollettino: the Poste flow cannot be judged yet');
    },
  },
  {
    id: 'PSP-OPT-01',
    title: 'Payment options: the instalment asked is paid, the other instalment is left alone',
    titleIt: 'Opzioni di pagamento: si paga la rata richiesta, l’altra rata resta intatta',
    seat: 'psp',
    feature: 'paymentOptions',
    requirements: ['NM-OPT-PAY-02', 'NM-OPT-PAY-03'],
    async run(t) {
      const first = t.position({ amountCents: 5000 });
      const second = t.position({ amountCents: 5000 });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: first.fiscalCode, noticeNumber: first.noticeNumber, amount: first.amount, amountCents: first.amountCents, note: `instalment 1 of 2; instalment 2 is ${second.noticeNumber}` });
      judgeWire(t);
      judgePaid(t, first, 'NM-OPT-PAY-03');
      const touched = t.requests().filter((e) => e.raw.includes(second.noticeNumber));
      t.check({ id: 'other-instalment', title: 'the other instalment is neither activated nor paid', requirement: 'NM-OPT-PAY-02', level: 'MUST', held: touched.length === 0, message: touched.length ? `${touched.length} request(s) on ${second.noticeNumber}` : 'untouched', entries: touched });
      checkReport(t, report, 'NM-OPT-PAY-03', ['paid']);
    },
  },
];
