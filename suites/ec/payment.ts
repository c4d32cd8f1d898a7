// Nominal payments of a notice at a PSP, seen from the EC (SANP 3.x "Pagamento di un avviso presso PSP").
import type { ScenarioDef } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { parseAmount } from '../../src/domain.js';
import { checkFaultBean, checkKo, checkOk, checkSchema, lastExchange, verifyAtEc, getPaymentAtEc, describeAnswer, child, textOf } from './lib.js';

type S = ScenarioDef<EcContext>;

/** After a receipt, the EC must say the notice is paid (IF-paSendRT-F71, NM-PSPPAY-PAY-08). */
async function checkClosed(t: EcContext, n: { fiscalCode: string; noticeNumber: string; state: 'payable' }): Promise<void> {
  const a = await verifyAtEc(t, { ...n });
  checkKo(t, a, {
    id: 'position-closed',
    title: 'after the receipt, a new verify at the EC is answered PAA_PAGAMENTO_DUPLICATO',
    requirement: 'NM-PSPPAY-PAY-08',
    accept: ['PAA_PAGAMENTO_DUPLICATO'],
  });
}

/** The receipt reached the EC and was accepted (NM-RT-PAY-01). */
async function checkReceiptAccepted(t: EcContext, token: string, fiscalCode: string, primitive: 'paSendRT' | 'paSendRTV2'): Promise<boolean> {
  const d = await t.nodo.waitDelivery(token, fiscalCode);
  const a = lastExchange(t, primitive);
  checkSchema(t, a, primitive, 'IF-paSendRT-F40');
  return checkOk(t, a, { id: 'receipt-accepted', title: `the EC answers ${primitive} OK`, requirement: 'NM-RT-PAY-01' }) && d.state === 'delivered';
}

async function nominal(t: EcContext, opts: { verify: boolean; v2: boolean }): Promise<void> {
  const n = await t.notice('payable');
  const qr = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber };
  // towards the EC the Nodo uses the station's configured version (IF-A-07); opts.v2 is the PSP side
  const getPrim = t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment';
  const rtPrim = t.station.version === 2 ? 'paSendRTV2' : 'paSendRT';
  let amount = n.amountCents;
  if (opts.verify) {
    const v = await t.psp.verify(qr);
    const a = lastExchange(t, 'paVerifyPaymentNotice', n.noticeNumber);
    checkSchema(t, a, 'paVerifyPaymentNotice', 'IF-paVerifyPaymentNotice-F40');
    if (!checkOk(t, a, { id: 'verify-ok', title: 'a payable notice is verified OK', requirement: 'NM-PSPPAY-PAY-01' })) return;
    amount = v.amountCents ?? amount;
  }
  const act = await t.psp.activate(qr, amount ?? 1000, { v2: opts.v2 });
  const g = lastExchange(t, getPrim, n.noticeNumber);
  checkSchema(t, g, getPrim, t.station.version === 2 ? 'IF-paGetPaymentV2-F80' : 'IF-paGetPayment-F41');
  const getOk = checkOk(t, g, {
    id: 'getpayment-ok',
    title: `a payable notice is activated OK (${getPrim}${opts.verify ? ' after verify' : ' without a previous verify'})`,
    requirement: opts.verify ? 'NM-PSPPAY-PAY-01' : 'NM-PSPPAY-PAY-02',
  });
  if (!getOk) return;
  t.check({
    id: 'activation-accepted',
    title: 'the Nodo accepts the EC data and issues a payment token (no PPT_STAZIONE_INT_PA_ERRORE_RESPONSE, PPT_IBAN_NON_CENSITO, timeout)',
    requirement: 'IF-paGetPayment-F70',
    level: 'MUST',
    held: act.outcome === 'OK' && !!act.paymentToken,
    message: act.outcome === 'OK' ? `token ${act.paymentToken}` : `activate answered ${act.fault?.faultCode ?? act.problem}: ${act.fault?.description ?? ''}`,
    entries: [g.response],
  });
  if (!act.paymentToken) return;
  const out = await t.psp.outcome(act.paymentToken, 'OK', { v2: opts.v2 });
  if (out.outcome !== 'OK') return t.inconclusive(`the harness Nodo refused the outcome: ${out.fault?.faultCode ?? out.problem}`);
  if (await checkReceiptAccepted(t, act.paymentToken, n.fiscalCode, rtPrim)) await checkClosed(t, { ...qr, state: 'payable' });
}

export const paymentScenarios: S[] = [
  {
    id: 'EC-PAY-01',
    title: 'Nominal payment with verify, receipt closes the position (station’s primitive version)',
    titleIt: 'Pagamento nominale con verifica, la ricevuta chiude la posizione (versione delle primitive della stazione)',
    seat: 'ec',
    requirements: ['NM-PSPPAY-PAY-01', 'NM-OPT-PAY-01', 'NM-RT-PAY-01', 'NM-PSPPAY-PAY-08', 'IF-paVerifyPaymentNotice-F40', 'IF-paGetPayment-F40', 'IF-paGetPayment-F41', 'IF-paGetPayment-F70', 'IF-paSendRT-F40', 'IF-paSendRT-F71', 'IF-X-07'],
    notices: { payable: 1 },
    run: (t) => nominal(t, { verify: true, v2: false }),
  },
  {
    id: 'EC-PAY-02',
    title: 'Nominal payment without verify: paGetPayment with no previous paVerifyPaymentNotice',
    titleIt: 'Pagamento nominale senza verifica: paGetPayment senza paVerifyPaymentNotice precedente',
    seat: 'ec',
    requirements: ['NM-PSPPAY-PAY-02', 'NM-RT-PAY-01', 'NM-PSPPAY-PAY-08', 'IF-paGetPayment-F41', 'IF-paGetPayment-F70', 'IF-paSendRT-F40', 'IF-paSendRT-F71'],
    notices: { payable: 1 },
    run: (t) => nominal(t, { verify: false, v2: false }),
  },
  {
    id: 'EC-PAY-03',
    title: 'Nominal payment with V2 primitives (paGetPaymentV2, paSendRTV2)',
    titleIt: 'Pagamento nominale con primitive V2 (paGetPaymentV2, paSendRTV2)',
    seat: 'ec',
    feature: 'v2',
    primitives: 'v2',
    requirements: ['NM-PSPPAY-PAY-03', 'NM-RT-PAY-02', 'NM-RT-PAY-01', 'IF-paGetPaymentV2-F60', 'IF-paGetPaymentV2-F80', 'IF-paSendRT-F40', 'IF-paSendRT-F75'],
    notices: { payable: 1 },
    run: (t) => nominal(t, { verify: true, v2: true }),
  },
  {
    id: 'EC-PAY-04',
    title: 'Verify changes nothing: repeated verify, then the notice is still payable',
    titleIt: 'La verifica non cambia nulla: verifica ripetuta, poi l’avviso è ancora pagabile',
    seat: 'ec',
    requirements: ['NM-PSPPAY-PAY-04', 'NM-PSPPAY-RETRY-01', 'IF-paVerifyPaymentNotice-F72'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const first = await verifyAtEc(t, n);
      const second = await verifyAtEc(t, n);
      checkOk(t, first, { id: 'verify-1', title: 'first verify OK', requirement: 'NM-PSPPAY-PAY-04' });
      checkOk(t, second, { id: 'verify-2', title: 'a repeated verify (as after a lost answer) is answered OK again', requirement: 'NM-PSPPAY-RETRY-01' });
      const amt = (a: typeof first) => textOf(child(child(a.body, 'paymentList'), 'paymentOptionDescription'), 'amount');
      t.check({
        id: 'verify-same-data',
        title: 'the repeated verify returns the same amount',
        requirement: 'NM-PSPPAY-RETRY-01',
        level: 'MUST',
        held: amt(first) !== undefined && amt(first) === amt(second),
        message: `${amt(first)} then ${amt(second)}`,
        entries: [first.response, second.response],
      });
      const g = await getPaymentAtEc(t, n);
      checkOk(t, g, { id: 'still-payable', title: 'after the verifies the position is still open: paGetPayment answers OK', requirement: 'IF-paVerifyPaymentNotice-F72' });
    },
  },
  {
    id: 'EC-PAY-05',
    title: 'Outcome KO: no receipt is sent and the notice stays payable at the EC',
    titleIt: 'Esito KO: nessuna ricevuta, l’avviso resta pagabile presso l’EC',
    seat: 'ec',
    requirements: ['NM-PSPPAY-PAY-06', 'NM-RT-VAL-01', 'IF-paGetPayment-F74'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const qr = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber };
      const act = await t.psp.activate(qr, n.amountCents ?? 1000);
      if (!act.paymentToken) return t.inconclusive(`activation failed (${describeAnswer(act)}): covered by EC-PAY-02`);
      await t.psp.outcome(act.paymentToken, 'KO', { details: null });
      // a new activation after the KO reaches the EC again: the EC must still treat the position as open
      const again = await t.psp.activate(qr, n.amountCents ?? 1000);
      const g = lastExchange(t, t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment', n.noticeNumber);
      checkOk(t, g, { id: 'payable-again', title: 'after an outcome KO, a new activation is answered OK by the EC', requirement: 'NM-PSPPAY-PAY-06' });
      t.check({
        id: 'no-receipt',
        title: 'no receipt was sent for the KO outcome, and the EC did not need one to reopen the position',
        requirement: 'NM-RT-VAL-01',
        level: 'MUST',
        held: t.nodo.deliveries(act.paymentToken).length === 0 && again.outcome === 'OK',
        message: `deliveries for the KO token: ${t.nodo.deliveries(act.paymentToken).length}; new activation ${describeAnswer(again)}`,
        entries: [g.response],
      });
    },
  },
  {
    id: 'EC-PAY-06',
    title: 'paGetPayment repeated for the same notice is answered OK each time (the EC never locks on activation)',
    titleIt: 'paGetPayment ripetuta sullo stesso avviso riceve OK ogni volta (l’EC non blocca in attivazione)',
    seat: 'ec',
    requirements: ['IF-paGetPayment-F74', 'NM-PSPPAY-PAY-02'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const a1 = await getPaymentAtEc(t, n);
      const a2 = await getPaymentAtEc(t, n);
      checkOk(t, a1, { id: 'getpayment-1', title: 'first paGetPayment OK', requirement: 'NM-PSPPAY-PAY-02' });
      checkOk(t, a2, { id: 'getpayment-2', title: 'the second paGetPayment (a token expired or closed KO meanwhile) is answered OK', requirement: 'IF-paGetPayment-F74' });
      const iuv = (a: typeof a1) => textOf(child(a.body, 'data'), 'creditorReferenceId');
      const amount = (a: typeof a1) => parseAmount(textOf(child(a.body, 'data'), 'paymentAmount'));
      t.check({
        id: 'getpayment-same',
        title: 'both answers describe the same payment (IUV and amount)',
        requirement: 'IF-paGetPayment-F74',
        level: 'MUST',
        held: a1.outcome !== 'OK' || a2.outcome !== 'OK' || (iuv(a1) === iuv(a2) && amount(a1) === amount(a2)),
        message: `IUV ${iuv(a1)} / ${iuv(a2)}, amount ${amount(a1)} / ${amount(a2)}`,
        entries: [a1.response, a2.response],
      });
      checkFaultBean(t, a2, 'paGetPayment', t.station.idPA);
    },
  },
];
