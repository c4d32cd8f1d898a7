// Payments of a notice at the PSP (catalogue §3.1, §3.6, §3.7, §3.5 stand-in flag): the harness asks
// the candidate to pay a notice the emulated EC holds and judges the verify → activate → outcome
// sequence it sends to the Nodo.
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, outcomeSpecs, reportSpecs, runPay, same } from './lib.js';
import { WIRE_SPECS, judgeWire } from './wire.js';
import { QR_SPECS, checkQrCode, judgePaid, paidSpecs } from './paid.js';
import { amountScenarios } from './amounts.js';

type S = ScenarioDef<PspContext>;

export const paymentScenarios: S[] = [
  {
    id: 'PSP-PAY-01',
    title: 'Nominal payment with verify (V1): verify, activate, outcome OK before expiry',
    titleIt: 'Pagamento nominale con verifica (V1): verify, activate, esito OK prima della scadenza',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('verified', ['the PSP verified the notice as asked', 'il PSP ha verificato l’avviso come richiesto'], 'NM-PSPPAY-PAY-01'), ...paidSpecs('NM-PSPPAY-PAY-01', { version: true, also: ['NM-OPT-PAY-01'] }), ...reportSpecs('NM-PSPPAY-PAY-01')],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'pay', primitives: 'v1', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const verify = t.requests('verifyPaymentNotice')[0];
      t.check({ id: 'verified', held: !!verify, message: verify ? ['verifyPaymentNotice sent', 'verifyPaymentNotice inviata'] : ['no verify', 'nessuna verifica'], entries: verify ? [verify] : t.requests().slice(0, 1) });
      judgePaid(f, n, { v2: false });
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-PAY-02',
    title: 'Nominal payment with the V2 primitives (activatePaymentNoticeV2, sendPaymentOutcomeV2)',
    titleIt: 'Pagamento nominale con le primitive V2',
    seat: 'psp',
    feature: 'v2',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-PSPPAY-PAY-03', { version: true }), spec('outcome-v2', ['the outcome of a V2 activation is sendPaymentOutcomeV2', 'l’esito di un’attivazione V2 è sendPaymentOutcomeV2'], ['NM-PSPPAY-PAY-03', 'IF-sendPaymentOutcomeV2-F06']), ...reportSpecs('NM-PSPPAY-PAY-03')],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'pay', primitives: 'v2', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const act = judgePaid(f, n, { v2: true });
      const out = t.requests(OUTCOMES)[0];
      if (act && out) f.check({ id: 'outcome-v2', held: out.primitive === 'sendPaymentOutcomeV2', message: [`outcome via ${out.primitive}`, `esito tramite ${out.primitive}`], entries: [act, out] });
      else f.skip('outcome-v2', act ? ['no outcome was sent', 'nessun esito è stato inviato'] : ['no activation succeeded', 'nessuna attivazione riuscita']);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-PAY-03',
    title: 'Verify only: the user does not pay, no activation and no outcome',
    titleIt: 'Solo verifica: l’utente non paga, nessuna attivazione e nessun esito',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...QR_SPECS, spec('verify-sent', ['the PSP verifies the notice', 'il PSP verifica l’avviso'], 'NM-PSPPAY-PAY-04'), spec('nothing-else', ['no activation and no outcome follow a verify the user did not pursue', 'nessuna attivazione e nessun esito seguono una verifica a cui l’utente non ha dato seguito'], 'NM-PSPPAY-PAY-04')],
    async run(t) {
      const n = t.position();
      const { h } = await runPay(t, { action: 'verify-only', fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents }, ['verifyPaymentNotice', ...ACTIVATES]);
      const f = judgeWire(t);
      checkQrCode(t, n);
      const v = t.requests('verifyPaymentNotice');
      const more = t.requests([...ACTIVATES, ...OUTCOMES]);
      t.check({ id: 'verify-sent', held: v.length > 0, message: [`${v.length} verify`, `${v.length} verifiche`], entries: v.length ? v : more });
      const va = v[0] ? answer(t, v[0]) : undefined;
      if (v[0] && va?.outcome !== 'OK' && !more.length) f.skip('nothing-else', [`the verify was not answered OK (${va?.fault?.faultCode ?? 'no valid answer'}): no verified notice the user could have pursued`, `la verifica non ha avuto risposta OK (${va?.fault?.faultCode ?? 'nessuna risposta valida'}): nessun avviso verificato a cui l’utente potesse dare seguito`], [v[0], va?.response]);
      else f.check({ id: 'nothing-else', held: more.length === 0, message: more.length ? same(more.map((e) => e.primitive).join(', ')) : [`nothing else sent within the trigger's ${h.request.deadlineMs} ms`, `nient’altro inviato entro i ${h.request.deadlineMs} ms del trigger`], entries: more.length ? more : [v[0], va?.response] });
    },
  },
  {
    id: 'PSP-PAY-04',
    title: 'The user abandons after the activation: outcome KO, nothing reported as paid',
    titleIt: 'L’utente abbandona dopo l’attivazione: esito KO, nulla risulta pagato',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...QR_SPECS, spec('outcome-ko', ['an abandoned payment is closed with sendPaymentOutcome KO, never OK', 'un pagamento abbandonato è chiuso con sendPaymentOutcome KO, mai OK'], 'NM-PSPPAY-PAY-06'), ...outcomeSpecs(), ...reportSpecs('NM-PSPPAY-PAY-06')],
    async run(t) {
      const n = t.position();
      const { report } = await runPay(t, { action: 'abandon', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      checkQrCode(t, n);
      const acted = t.requests(ACTIVATES).some((e) => answer(t, e).outcome === 'OK');
      const outs = t.requests(OUTCOMES);
      const oks = outs.filter((e) => textOf(bodyOf(e), 'outcome') === 'OK');
      if (!acted && !outs.length) f.skip('outcome-ko', ['no activation succeeded: there was no session to close', 'nessuna attivazione riuscita: non c’era alcuna sessione da chiudere']);
      else {
        const sent = outs.map((e) => textOf(bodyOf(e), 'outcome')).join(', ');
        f.check({ id: 'outcome-ko', held: outs.length > 0 && oks.length === 0, message: sent ? same(sent) : ['no outcome', 'nessun esito'], entries: outs.length ? outs : t.requests(ACTIVATES) });
      }
      checkOutcomeInTime(f);
      checkReport(f, report, ['not-paid']);
    },
  },
  {
    id: 'PSP-PAY-06',
    title: 'Multi-beneficiary notice (transfers to two ECs) paid like any other',
    titleIt: 'Avviso multi-beneficiario (versamenti a due EC) pagato come ogni altro',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-MB-PAY-01'), spec('split-notice-paid', ['a notice whose activation lists transfers to several ECs is paid with one accepted OK outcome', 'un avviso la cui attivazione elenca versamenti a più EC è pagato con un solo esito OK accettato'], ['NM-MB-PAY-01', 'IF-activatePaymentNotice-F47']), spec('sct-per-iban', ['the PSP credits each transfer to its own IBAN', 'il PSP accredita ogni versamento sul proprio IBAN'], 'NM-MB-PAY-01'), ...reportSpecs('NM-MB-PAY-01')],
    async run(t) {
      const n = t.position({ transfers: 2, secondary: true, amountCents: 20000 });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const act = judgePaid(f, n);
      if (act) {
        const transfers = childrenNamed(child(answer(t, act).body, 'transferList'), 'transfer');
        const ecs = new Set(transfers.map((x) => textOf(x, 'fiscalCodePA')));
        if (ecs.size < 2) t.harnessError(`the emulated EC's notice ${n.noticeNumber} was activated with transfers to ${ecs.size} EC(s), not a multi-beneficiary one`);
        const out = t.requests(OUTCOMES).find((e) => textOf(bodyOf(e), 'outcome') === 'OK' && answer(t, e).outcome === 'OK');
        f.check({
          id: 'split-notice-paid', held: !!out,
          message: [
            `transfers to ${[...ecs].join(', ')} (${transfers.map((x) => textOf(x, 'IBAN')).join(', ')}); ${out ? 'OK outcome accepted' : 'no accepted OK outcome'}`,
            `versamenti a ${[...ecs].join(', ')} (${transfers.map((x) => textOf(x, 'IBAN')).join(', ')}); ${out ? 'esito OK accettato' : 'nessun esito OK accettato'}`,
          ],
          entries: [act, answer(t, act).response, out],
        });
      } else f.skip('split-notice-paid', ['no activation succeeded', 'nessuna attivazione riuscita']);
      f.skip('sct-per-iban', [
        'the credit transfers the PSP orders are outside the nodeForPsp wire and the trigger report carries no per-transfer credits',
        'i bonifici disposti dal PSP sono fuori dai messaggi nodeForPsp e il resoconto del trigger non riporta gli accrediti per versamento',
      ]);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-PAY-07',
    title: 'Mono-beneficiary notice with several transfers (multi-IBAN) paid without verify',
    titleIt: 'Avviso mono-beneficiario con più versamenti (più IBAN) pagato senza verifica',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-MB-PAY-02'), ...reportSpecs('NM-MB-PAY-02')],
    async run(t) {
      const n = t.position({ transfers: 3, amountCents: 30003 });
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      judgePaid(f, n);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-SI-01',
    title: 'Activation answered in Stand-In (standin=true): the PSP accepts it and completes the payment',
    titleIt: 'Attivazione servita in Stand-In (standin=true): il PSP la accetta e completa il pagamento',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-SI-PAY-03').map((c) => (c.id === 'activated' || c.id === 'outcome-ok' ? { ...c, requirements: ['NM-SI-PAY-03', 'IF-activatePaymentNotice-F53', 'IF-verifyPaymentNotice-F46'] } : c)), ...reportSpecs('NM-SI-PAY-03')],
    async run(t) {
      const n = t.position();
      t.script(async (op, _b, proceed) => {
        const r = await proceed();
        if ((op === 'verifyPaymentNotice' || op.startsWith('activatePaymentNotice')) && r.outcome === 'OK') r.standin = true;
        return r;
      });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      judgePaid(f, n);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-PAY-08',
    title: 'Verify through verificaBollettino (Poste Italiane Data Matrix)',
    titleIt: 'Verifica tramite verificaBollettino (Data Matrix di Poste Italiane)',
    seat: 'psp',
    feature: 'poste',
    checks: [spec('bollettino', ['the Poste PSP verifies a postal notice with verificaBollettino', 'il PSP Poste verifica un avviso postale con verificaBollettino'], ['NM-PSPPAY-PAY-05', 'IF-verificaBollettino-F05'], 'MAY')],
    // a gap of the harness, not of the candidate: never counted as coverage, never INCONCLUSIVE
    notYet: 'the reference Nodo does not serve verificaBollettino yet, so the Poste flow cannot be judged',
    notYetIt: 'il Nodo di riferimento non serve ancora verificaBollettino, quindi il flusso Poste non può essere giudicato',
    async run() {},
  },
  {
    id: 'PSP-OPT-01',
    title: 'Instalment plan: each instalment is paid with its own notice number, paying one leaves the other payable',
    titleIt: 'Piano rateale: ogni rata si paga con il proprio numero avviso, pagarne una lascia pagabile l’altra',
    seat: 'psp',
    feature: 'paymentOptions',
    // the PSP's part of NM-OPT-PAY-02/03: the option picked is paid through its own notice number
    checks: [...WIRE_SPECS, spec('instalment-paid', ['the instalment asked is activated with its own notice number and paid', 'la rata richiesta è attivata con il proprio numero avviso e pagata'], ['NM-OPT-PAY-03', 'NM-OPT-PAY-02']), ...outcomeSpecs()],
    async run(t) {
      const plan = [t.position({ amountCents: 5000 }), t.position({ amountCents: 5000 })];
      for (const [i, n] of plan.entries()) {
        await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents, note: `instalment ${i + 1} of ${plan.length}` });
      }
      const f = judgeWire(t);
      for (const [i, n] of plan.entries()) {
        const acts = t.requests(ACTIVATES).filter((e) => textOf(child(bodyOf(e), 'qrCode'), 'noticeNumber') === n.noticeNumber);
        const toks = acts.map((e) => textOf(answer(t, e).body, 'paymentToken')).filter(Boolean);
        const out = t.requests(OUTCOMES).find((e) => textOf(bodyOf(e), 'outcome') === 'OK' && answer(t, e).outcome === 'OK' && toks.includes(textOf(bodyOf(e), 'paymentToken') ?? childrenNamed(child(bodyOf(e), 'paymentTokens'), 'paymentToken')[0]?.text.trim()));
        f.check({
          id: 'instalment-paid',
          title: [`instalment ${i + 1} (${n.noticeNumber}) is activated with its own notice number and paid`, `la rata ${i + 1} (${n.noticeNumber}) è attivata con il proprio numero avviso e pagata`],
          held: acts.length > 0 && !!out,
          message: acts.length ? (out ? ['activated and paid', 'attivata e pagata'] : ['activated, no accepted OK outcome', 'attivata, nessun esito OK accettato']) : ['never activated', 'mai attivata'],
          entries: [...acts, out],
        });
      }
      checkOutcomeInTime(f);
    },
  },
  ...amountScenarios,
];
