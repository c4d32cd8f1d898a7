// Nominal payments of a notice at a PSP, seen from the EC (SANP 3.x "Pagamento di un avviso presso PSP").
import { spec, type CheckSpec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import type { Delivery } from '../../actors/nodo/index.js';
import { parseAmount } from '../../domain/common.js';
import { checkKo, checkOk, checkSchema, exchanges, lastExchange, verifyAtEc, getPaymentAtEc, getPrimitive, rtPrimitive, schemaChecks, verifiedAmount, child, textOf } from './lib.js';
import { answerSaid } from '../../src/wire/answer.js';
import { dataSaid } from '../../src/core/text.js';

type S = ScenarioDef<EcContext>;

/** After a receipt, the EC must say the notice is paid (IF-paSendRT-F71, NM-PSPPAY-PAY-08). */
export const closedCheck = spec('position-closed', ['after the receipt, a new verify at the EC is answered PAA_PAGAMENTO_DUPLICATO', 'dopo la ricevuta, una nuova verifica presso l’EC riceve PAA_PAGAMENTO_DUPLICATO'], ['NM-PSPPAY-PAY-08', 'IF-paSendRT-F71']);
async function checkClosed(t: EcContext, n: { fiscalCode: string; noticeNumber: string }): Promise<void> {
  checkKo(t, await verifyAtEc(t, n, 'is the position closed?'), { id: 'position-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
}

/** Waits for the end of the receipt's delivery; the caller judges the EC's answers from the journal whatever happens. */
async function delivery(t: EcContext, token: string, fiscalCode: string): Promise<Delivery> {
  const d = await t.nodo.waitDelivery(token, fiscalCode);
  return d;
}

/**
 * The receipt reached the EC and its first answer was OK (NM-RT-PAY-01). Judged on the EC's answer
 * to the first send: a delivery that never settles (an error page, a hang) is the candidate's
 * FAIL here, never the harness's ERROR.
 */
async function checkReceiptAccepted(t: EcContext, token: string, n: { fiscalCode: string; noticeNumber: string }): Promise<boolean> {
  const d = await delivery(t, token, n.fiscalCode).catch(() => undefined);
  const primitive = rtPrimitive(t);
  const a = exchanges(t, primitive, n.noticeNumber)[0] ?? { transport: 'none', problem: `the Nodo never sent ${primitive} (delivery ${d?.state ?? 'not settled'})` };
  if (!a.request) return t.harnessError(`the harness Nodo did not deliver the receipt of a paid token: ${a.problem}`);
  checkSchema(t, a, primitive);
  return checkOk(t, a, { id: 'receipt-accepted', title: [`the EC answers ${primitive} OK`, `l’EC risponde OK a ${primitive}`] });
}

function nominalChecks(o: { verify: boolean; v2: boolean }): CheckSpec[] {
  return [
    ...(o.verify ? [...schemaChecks('verify', 'IF-paVerifyPaymentNotice-F40'), spec('verify-ok', ['a payable notice is verified OK', 'un avviso pagabile è verificato con esito OK'], 'NM-PSPPAY-PAY-01')] : []),
    // V2 makes data.companyName (and V2 transfers) mandatory: the V2 answer's schema validity is IF-paGetPaymentV2-F60
    ...schemaChecks('getpayment', ['IF-paGetPayment-F40', 'IF-paGetPayment-F41', 'IF-paGetPaymentV2-F60'], o.v2 ? 'v2' : undefined),
    spec('getpayment-ok', ['a payable notice is activated OK', 'un avviso pagabile è attivato con esito OK'], o.v2 ? 'NM-PSPPAY-PAY-03' : o.verify ? 'NM-PSPPAY-PAY-01' : 'NM-PSPPAY-PAY-02'),
    spec('activation-accepted', ['the Nodo accepts the EC data and issues a payment token (no PPT_STAZIONE_INT_PA_ERRORE_RESPONSE, PPT_IBAN_NON_CENSITO, timeout)', 'il Nodo accetta i dati dell’EC ed emette un token di pagamento (nessun PPT_STAZIONE_INT_PA_ERRORE_RESPONSE, PPT_IBAN_NON_CENSITO, timeout)'], 'IF-paGetPayment-F70'),
    ...schemaChecks('receipt', 'IF-paSendRT-F40'),
    spec('receipt-accepted', ['the EC answers the receipt OK', 'l’EC risponde OK alla ricevuta'], o.v2 ? ['NM-RT-PAY-01', 'NM-RT-PAY-02', 'IF-paSendRT-F75'] : 'NM-RT-PAY-01', 'MUST'),
    closedCheck,
  ];
}

async function nominal(t: EcContext, opts: { verify: boolean; v2: boolean }): Promise<void> {
  const n = await t.ownNotice('payable');
  const qr = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber };
  // towards the EC the Nodo uses the station's configured version (IF-A-07); opts.v2 is the PSP side
  const getPrim = getPrimitive(t);
  let amount = n.amountCents;
  if (opts.verify) {
    const v = await t.psp.verify(qr);
    const a = lastExchange(t, 'paVerifyPaymentNotice', n.noticeNumber);
    checkSchema(t, a, 'paVerifyPaymentNotice');
    if (!checkOk(t, a, { id: 'verify-ok' })) return;
    amount = v.amountCents ?? amount;
  }
  const act = await t.psp.activate(qr, amount ?? 1000, { v2: opts.v2 });
  const g = lastExchange(t, getPrim, n.noticeNumber);
  if (g.request) checkSchema(t, g, getPrim);
  if (!checkOk(t, g, { id: 'getpayment-ok', title: [`a payable notice is activated OK (${getPrim}${opts.verify ? ' after verify' : ' without a previous verify'})`, `un avviso pagabile è attivato con esito OK (${getPrim}${opts.verify ? ' dopo la verifica' : ' senza una verifica precedente'})`] })) return;
  t.check({
    id: 'activation-accepted',
    held: act.outcome === 'OK' && !!act.paymentToken,
    message:
      act.outcome === 'OK'
        ? dataSaid(`token ${act.paymentToken}`)
        : [`activate answered ${act.fault?.faultCode ?? act.problem}: ${act.fault?.description ?? ''}`, `l’attivazione ha risposto ${act.fault?.faultCode ?? act.problemIt ?? act.problem}: "${act.fault?.description ?? ''}"`],
    entries: [g.response],
  });
  if (!act.paymentToken) return;
  const out = await t.psp.outcome(act.paymentToken, 'OK', { v2: opts.v2 });
  if (out.outcome !== 'OK') return t.harnessError(`the harness Nodo refused the outcome of its own PSP: ${out.fault?.faultCode ?? out.problem}`);
  if (await checkReceiptAccepted(t, act.paymentToken, n)) await checkClosed(t, n);
}

export const paymentScenarios: S[] = [
  {
    id: 'EC-PAY-01',
    title: 'Nominal payment with verify, receipt closes the position (station’s primitive version)',
    titleIt: 'Pagamento nominale con verifica, la ricevuta chiude la posizione (versione delle primitive della stazione)',
    seat: 'ec',
    checks: nominalChecks({ verify: true, v2: false }),
    writes: { payable: 1 },
    run: (t) => nominal(t, { verify: true, v2: false }),
  },
  {
    id: 'EC-PAY-02',
    title: 'Nominal payment without verify: paGetPayment with no previous paVerifyPaymentNotice',
    titleIt: 'Pagamento nominale senza verifica: paGetPayment senza paVerifyPaymentNotice precedente',
    seat: 'ec',
    checks: nominalChecks({ verify: false, v2: false }),
    writes: { payable: 1 },
    run: (t) => nominal(t, { verify: false, v2: false }),
  },
  {
    id: 'EC-PAY-03',
    title: 'Nominal payment with V2 primitives (paGetPaymentV2, paSendRTV2)',
    titleIt: 'Pagamento nominale con primitive V2 (paGetPaymentV2, paSendRTV2)',
    seat: 'ec',
    feature: 'v2',
    primitives: 'v2',
    checks: nominalChecks({ verify: true, v2: true }),
    writes: { payable: 1 },
    run: (t) => nominal(t, { verify: true, v2: true }),
  },
  {
    id: 'EC-PAY-04',
    title: 'Verify changes nothing: repeated verify, then the notice is still payable',
    titleIt: 'La verifica non cambia nulla: verifica ripetuta, poi l’avviso è ancora pagabile',
    seat: 'ec',
    checks: [
      spec('verify-1', ['first verify OK', 'prima verifica con esito OK'], 'NM-PSPPAY-PAY-04'),
      spec('verify-2', ['a repeated verify (as after a lost answer) is answered OK again', 'una verifica ripetuta (come dopo una risposta persa) riceve di nuovo esito OK'], 'NM-PSPPAY-RETRY-01'),
      spec('verify-same-data', ['the repeated verify returns the same amount', 'la verifica ripetuta restituisce lo stesso importo'], 'NM-PSPPAY-RETRY-01'),
      spec('still-payable', ['after the verifies the position is still open: paGetPayment answers OK', 'dopo le verifiche la posizione è ancora aperta: paGetPayment risponde OK'], ['IF-paVerifyPaymentNotice-F72', 'NM-PSPPAY-PAY-04']),
    ],
    // the activation at the end may lock the position at a non-conformant EC
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const first = await verifyAtEc(t, n);
      const second = await verifyAtEc(t, n);
      checkOk(t, first, { id: 'verify-1' });
      checkOk(t, second, { id: 'verify-2' });
      if (first.outcome === 'OK' && second.outcome === 'OK') {
        t.check({ id: 'verify-same-data', held: verifiedAmount(first) !== undefined && verifiedAmount(first) === verifiedAmount(second), message: [`${verifiedAmount(first)} then ${verifiedAmount(second)}`, `${verifiedAmount(first)} poi ${verifiedAmount(second)}`], entries: [first.response, second.response] });
      } else t.notExercised('verify-same-data', ['one of the verifies was not answered OK', 'una delle verifiche non ha ricevuto esito OK'], [first.response, second.response]);
      checkOk(t, await getPaymentAtEc(t, n), { id: 'still-payable' });
    },
  },
  {
    id: 'EC-PAY-05',
    title: 'Outcome KO: no receipt is sent and the notice stays payable at the EC',
    titleIt: 'Esito KO: nessuna ricevuta, l’avviso resta pagabile presso l’EC',
    seat: 'ec',
    checks: [
      spec('payable-again', ['after an outcome KO (no receipt), a new activation is answered OK by the EC: it never waits for a negative receipt', 'dopo un esito KO (nessuna ricevuta), l’EC risponde OK a una nuova attivazione: non attende mai una ricevuta negativa'], ['NM-PSPPAY-PAY-06', 'NM-RT-VAL-01', 'IF-paGetPayment-F74']),
    ],
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const qr = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber };
      const act = await t.psp.activate(qr, n.amountCents ?? 1000);
      if (!act.paymentToken) {
        const [en, it] = answerSaid(act);
        return t.inconclusive([`activation failed (${en}): covered by EC-PAY-02`, `attivazione non riuscita (${it}): coperta da EC-PAY-02`]);
      }
      await t.psp.outcome(act.paymentToken, 'KO', { details: null });
      // the harness's own Nodo sends no receipt for a KO outcome (NM-RT-VAL-01): its precondition, not the EC's behaviour
      if (t.nodo.deliveries(act.paymentToken).length > 0) return t.harnessError('the harness Nodo sent a receipt for a KO outcome');
      const before = exchanges(t, getPrimitive(t), n.noticeNumber).length;
      // a new activation after the KO reaches the EC again: the EC must still treat the position as open
      await t.psp.activate(qr, n.amountCents ?? 1000);
      const g = exchanges(t, getPrimitive(t), n.noticeNumber)[before];
      if (!g) return t.inconclusive(['the second activation never reached the EC (the Nodo answered it itself)', 'la seconda attivazione non è mai giunta all’EC (il Nodo ha risposto da sé)']);
      checkOk(t, g, { id: 'payable-again' });
    },
  },
  {
    id: 'EC-PAY-06',
    title: 'paGetPayment repeated for the same notice is answered OK each time (the EC never locks on activation)',
    titleIt: 'paGetPayment ripetuta sullo stesso avviso riceve OK ogni volta (l’EC non blocca in attivazione)',
    seat: 'ec',
    checks: [
      spec('getpayment-1', ['first paGetPayment OK', 'prima paGetPayment con esito OK'], 'NM-PSPPAY-PAY-02'),
      spec('getpayment-2', ['the second paGetPayment (a token expired or closed KO meanwhile) is answered OK', 'la seconda paGetPayment (nel frattempo un token è scaduto o chiuso con KO) riceve esito OK'], 'IF-paGetPayment-F74'),
      spec('getpayment-same', ['both answers describe the same payment (IUV and amount)', 'entrambe le risposte descrivono lo stesso pagamento (IUV e importo)'], 'IF-paGetPayment-F74'),
    ],
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const a1 = await getPaymentAtEc(t, n);
      const a2 = await getPaymentAtEc(t, n);
      checkOk(t, a1, { id: 'getpayment-1' });
      checkOk(t, a2, { id: 'getpayment-2' });
      const iuv = (a: typeof a1) => textOf(child(a.body, 'data'), 'creditorReferenceId');
      const amount = (a: typeof a1) => parseAmount(textOf(child(a.body, 'data'), 'paymentAmount'));
      if (a1.outcome !== 'OK' || a2.outcome !== 'OK') return t.notExercised('getpayment-same', ['one of the two activations was not answered OK', 'una delle due attivazioni non ha ricevuto esito OK'], [a1.response, a2.response]);
      t.check({
        id: 'getpayment-same',
        held: iuv(a1) !== undefined && iuv(a1) === iuv(a2) && amount(a1) !== undefined && amount(a1) === amount(a2),
        message: [`IUV ${iuv(a1)} / ${iuv(a2)}, amount ${amount(a1)} / ${amount(a2)}`, `IUV ${iuv(a1)} / ${iuv(a2)}, importo ${amount(a1)} / ${amount(a2)}`],
        entries: [a1.response, a2.response],
      });
    },
  },
];
