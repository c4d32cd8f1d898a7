// Payments started on pagoPA touchpoints and from the EC front end (catalogue §3.4, §3.8):
// Checkout and App IO started by the citizen, the EC front end's Checkout cart (1..5 notices,
// return URLs as hints only), digital stamps bought through the EC front end (@e.bollo).
import type { ScenarioDef, Notice } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { parseAmount } from '../../src/domain.js';
import type { Cart } from '../../mocks/checkout/checkout.js';
import { checkKo, checkOk, checkSchema, child, describeAnswer, exchanges, lastExchange, textOf, transfersOf, verifyAtEc } from './lib.js';
import { askEc, platformExchanges, platformOf } from './platform-lib.js';

type S = ScenarioDef<EcContext>;
const getPrim = (t: EcContext) => (t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment');
const rtPrim = (t: EcContext) => (t.station.version === 2 ? 'paSendRTV2' : 'paSendRT');

/** Every token's receipt reached the EC and was answered OK; then each notice is closed at the EC. */
async function receiptsClose(t: EcContext, tokens: string[], notices: Notice[], requirement: string): Promise<void> {
  for (const [i, token] of tokens.entries()) {
    const n = notices[i]!;
    const d = await t.nodo.waitDelivery(token, n.fiscalCode).catch((e: Error) => ({ state: 'missing', reason: e.message }) as const);
    const a = exchanges(t, rtPrim(t), n.noticeNumber).at(-1) ?? { problem: 'no receipt was sent' };
    checkOk(t, a, { id: `receipt-${i + 1}`, title: `the receipt of notice ${i + 1} is answered OK`, requirement });
    if (d.state !== 'delivered') continue;
    checkKo(t, await verifyAtEc(t, n), { id: `closed-${i + 1}`, title: `after its receipt, notice ${i + 1} is closed (PAA_PAGAMENTO_DUPLICATO)`, requirement, accept: ['PAA_PAGAMENTO_DUPLICATO'] });
  }
}

/** Citizen-initiated payment on a touchpoint: the EC sees verify → getPayment → receipt, as at any PSP. */
async function touchpoint(t: EcContext, tp: 'CHECKOUT' | 'IO', requirement: string): Promise<void> {
  const n = await t.notice('payable');
  const r = await platformOf(t).checkout.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, tp);
  const v = lastExchange(t, 'paVerifyPaymentNotice', n.noticeNumber);
  checkSchema(t, v, 'paVerifyPaymentNotice', 'IF-paVerifyPaymentNotice-F40');
  if (!checkOk(t, v, { id: 'verify-ok', title: `the notice entered on ${tp} is verified OK`, requirement })) return;
  const g = lastExchange(t, getPrim(t), n.noticeNumber);
  if (!checkOk(t, g, { id: 'getpayment-ok', title: `the activation from ${tp} (activatePaymentNoticeV2, touchPoint ${tp}) is answered OK`, requirement })) return;
  t.check({ id: 'token', title: 'the Nodo accepts the EC data and issues a token', requirement, level: 'MUST', held: !!r.activate?.paymentToken, message: r.activate?.paymentToken ? `token ${r.activate.paymentToken}` : describeAnswer(r.activate ?? {}), entries: [g.response] });
  if (!r.activate?.paymentToken || r.outcome?.outcome !== 'OK') return;
  await receiptsClose(t, [r.activate.paymentToken], [n], requirement);
}

/**
 * The EC front end, asked through the trigger, started a cart at Checkout in this scenario (or
 * Checkout refused it): read from the wire, the POST /carts askEc waited for.
 */
async function cartFromEc(t: EcContext, action: 'checkout-cart' | 'stamp-cart', notices: Notice[], params: { document?: string } = {}): Promise<{ cart?: Cart }> {
  const since = t.clock.now();
  const pf = platformOf(t);
  if (action === 'checkout-cart') await askEc(t, action, { notice: notices[0], params: { notices: notices.map((n) => ({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, ...(n.amountCents !== undefined ? { amount: (n.amountCents / 100).toFixed(2) } : {}) })) } });
  else await askEc(t, action, { params });
  const carts = pf.checkout.cartsSince(since);
  const refused = pf.checkout.refusedSince(since);
  const posts = platformExchanges(t, 'postCarts');
  t.check({
    id: 'cart-valid',
    title: 'the EC front end sends Checkout a valid cart (1..5 notices of 18 digits, 11-digit fiscal codes, amounts ≥ 1 cent, return URLs): no 400',
    requirement: 'NM-EC-VAL-01',
    level: 'MUST',
    held: posts.length > 0 && refused.length === 0,
    message: posts.length === 0 ? 'the EC never called POST /carts' : refused.length ? `Checkout refused: ${refused[0]!.verdict.errors.slice(0, 3).join('; ')}` : `${carts.length} cart(s) accepted (302)`,
    entries: posts.flatMap((p) => [p.request, p.response]),
  });
  return { cart: carts.at(-1) };
}

export const touchpointScenarios: S[] = [
  {
    id: 'EC-TP-01',
    title: 'Payment started by the citizen on Checkout (notice number + EC code): verify, activation, receipt',
    titleIt: 'Pagamento avviato dal cittadino su Checkout (numero avviso + codice EC): verifica, attivazione, ricevuta',
    seat: 'ec',
    requirements: ['NM-EC-PAY-03', 'IF-paVerifyPaymentNotice-F40'],
    notices: { payable: 1 },
    run: (t) => touchpoint(t, 'CHECKOUT', 'NM-EC-PAY-03'),
  },
  {
    id: 'EC-TP-02',
    title: 'Payment from App IO (QR scan): the EC behaves as for any PSP',
    titleIt: 'Pagamento da App IO (scansione del QR): l’EC si comporta come per qualunque PSP',
    seat: 'ec',
    requirements: ['NM-EC-PAY-04', 'IF-paVerifyPaymentNotice-F40'],
    notices: { payable: 1 },
    run: (t) => touchpoint(t, 'IO', 'NM-EC-PAY-04'),
  },
  {
    id: 'EC-TP-03',
    title: 'EC front end → Checkout cart of two notices: valid cart, one token per notice, one receipt per notice closes each position',
    titleIt: 'Frontend EC → carrello Checkout di due avvisi: carrello valido, un token per avviso, una ricevuta per avviso chiude ogni posizione',
    seat: 'ec',
    feature: 'frontEnd',
    requirements: ['NM-EC-PAY-01', 'NM-EC-VAL-01'],
    notices: { payable: 2 },
    async run(t) {
      const notices = [await t.notice('payable', 0), await t.notice('payable', 1)];
      const { cart } = await cartFromEc(t, 'checkout-cart', notices);
      if (!cart) return;
      const asked = notices.map((n) => n.noticeNumber).sort().join(',');
      const got = cart.request.paymentNotices.map((n) => n.noticeNumber).sort().join(',');
      t.check({ id: 'cart-notices', title: 'the cart holds the notices the citizen chose', requirement: 'NM-EC-PAY-01', level: 'MUST', held: asked === got, message: `asked ${asked}, cart ${got}` });
      for (const [i, pn] of cart.request.paymentNotices.entries()) {
        const v = await verifyAtEc(t, { fiscalCode: pn.fiscalCode, noticeNumber: pn.noticeNumber, state: 'payable' });
        const due = parseAmount(textOf(child(child(v.body, 'paymentList'), 'paymentOptionDescription'), 'amount'));
        t.check({ id: `cart-amount-${i + 1}`, title: 'each cart amount is the notice amount in euro cents', requirement: 'NM-EC-VAL-01', level: 'MUST', held: due !== undefined && pn.amount === due, message: `cart ${pn.amount} cents, notice ${due ?? describeAnswer(v)} cents`, entries: [v.response] });
      }
      const pay = await platformOf(t).checkout.payCart(cart.id);
      t.check({ id: 'tokens', title: 'every notice of the cart is activated (the EC answers each paGetPayment OK)', requirement: 'NM-EC-PAY-01', level: 'MUST', held: pay.tokens.length === notices.length, message: pay.activations.map(describeAnswer).join('; ') });
      if (pay.tokens.length !== notices.length) return;
      const byNotice = cart.request.paymentNotices.map((pn) => notices.find((n) => n.noticeNumber === pn.noticeNumber)!);
      await receiptsClose(t, pay.tokens, byNotice, 'NM-EC-PAY-01');
    },
  },
  {
    id: 'EC-TP-04',
    title: 'Return to the EC front end is only a hint: the position stays open after returnOkUrl until the receipt, and after a cancelled cart',
    titleIt: 'Il ritorno al frontend EC è solo un’indicazione: la posizione resta aperta dopo returnOkUrl fino alla ricevuta, e dopo un carrello annullato',
    seat: 'ec',
    feature: 'frontEnd',
    requirements: ['NM-EC-PAY-02', 'NM-EC-VAL-01'],
    notices: { payable: 2 },
    async run(t) {
      const n = await t.notice('payable', 0);
      const { cart } = await cartFromEc(t, 'checkout-cart', [n]);
      if (!cart) return;
      const co = platformOf(t).checkout;
      const pay = await co.payCart(cart.id, {
        beforeOutcome: async () => {
          await co.returnUser(cart, 'ok');
          const v = await verifyAtEc(t, n);
          checkOk(t, v, { id: 'open-after-ok-return', title: 'after the user returned on returnOkUrl, before the receipt, the position is still open (verify OK)', requirement: 'NM-EC-PAY-02' });
        },
        follow: false,
      });
      if (pay.tokens[0]) await receiptsClose(t, pay.tokens, [n], 'NM-EC-PAY-02');
      const m = await t.notice('payable', 1);
      const c2 = await cartFromEc(t, 'checkout-cart', [m]);
      if (!c2.cart) return;
      await co.payCart(c2.cart.id, { outcome: 'KO', returnTo: 'cancel' });
      const v2 = await verifyAtEc(t, m);
      checkOk(t, v2, { id: 'open-after-cancel', title: 'after a cancelled cart (returnCancelUrl, outcome KO) the position stays open and payable', requirement: 'NM-EC-PAY-02' });
    },
  },
  {
    id: 'EC-TP-05',
    title: 'Digital stamp bought through the EC front end: richiestaMarcaDaBollo in paGetPaymentV2, MBDAttachment accepted in paSendRTV2',
    titleIt: 'Marca da bollo digitale acquistata dal frontend EC: richiestaMarcaDaBollo in paGetPaymentV2, MBDAttachment accettato in paSendRTV2',
    seat: 'ec',
    feature: 'stamps',
    primitives: 'v2',
    requirements: ['NM-BOLLO-PAY-01', 'NM-BOLLO-VAL-01', 'NM-EC-VAL-01'],
    async run(t) {
      if (t.station.version !== 2) return t.notApplicable('digital stamps travel only in the V2 primitives: the profile does not declare features.v2');
      const { cart } = await cartFromEc(t, 'stamp-cart', [], { document: `collaudo ${t.scenarioId}` });
      if (!cart) return;
      const pn = cart.request.paymentNotices[0]!;
      const pay = await platformOf(t).checkout.payCart(cart.id);
      const g = lastExchange(t, 'paGetPaymentV2', pn.noticeNumber);
      checkSchema(t, g, 'paGetPaymentV2', 'NM-BOLLO-VAL-01');
      const stampT = transfersOf(child(g.body, 'data')).filter((x) => child(x, 'richiestaMarcaDaBollo'));
      t.check({ id: 'stamp-transfer', title: 'the stamp notice has a transfer with richiestaMarcaDaBollo, and no IBAN in that transfer', requirement: 'NM-BOLLO-VAL-01', level: 'MUST', held: stampT.length > 0 && stampT.every((x) => !child(x, 'IBAN')), message: `${stampT.length} stamp transfer(s)`, entries: [g.response] });
      const r = child(stampT[0], 'richiestaMarcaDaBollo');
      const hash = textOf(r, 'hashDocumento') ?? '';
      const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(hash) && hash.length % 4 === 0 ? Buffer.from(hash, 'base64').length : -1;
      t.check({ id: 'stamp-hash', title: 'hashDocumento is the base64 of a SHA-256 digest (32 bytes); tipoBollo and provinciaResidenza are set', requirement: 'NM-BOLLO-VAL-01', level: 'MUST', held: bytes === 32 && !!textOf(r, 'tipoBollo') && !!textOf(r, 'provinciaResidenza'), message: `hashDocumento "${hash}" (${bytes} bytes)`, entries: [g.response] });
      const token = pay.tokens[0];
      t.check({ id: 'stamp-paid', title: 'the stamp is sold and the outcome with marcheDaBollo accepted', requirement: 'NM-BOLLO-PAY-01', level: 'MUST', held: !!token && pay.outcomes[0]?.outcome === 'OK', message: pay.outcomes.map(describeAnswer).join('; ') || describeAnswer(pay.activations[0] ?? {}) });
      if (!token) return;
      await t.nodo.waitDelivery(token, pn.fiscalCode).catch(() => undefined);
      const rt = lastExchange(t, 'paSendRTV2', pn.noticeNumber);
      t.check({ id: 'mbd-sent', title: 'the receipt carries the MBDAttachment in the stamp transfer', requirement: 'NM-BOLLO-PAY-01', level: 'MUST', held: !!rt.request?.raw.includes('MBDAttachment'), message: rt.request ? 'MBDAttachment present' : 'no paSendRTV2', entries: [rt.request] });
      checkOk(t, rt, { id: 'mbd-accepted', title: 'the EC accepts paSendRTV2 with the MBDAttachment', requirement: 'NM-BOLLO-PAY-01' });
      checkKo(t, await verifyAtEc(t, { fiscalCode: pn.fiscalCode, noticeNumber: pn.noticeNumber, state: 'payable' }), { id: 'stamp-closed', title: 'the stamp position is closed by the receipt', requirement: 'NM-BOLLO-PAY-01', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
    },
  },
];
