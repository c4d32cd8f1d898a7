// Payments started on pagoPA touchpoints and from the EC front end (catalogue §3.4, §3.8):
// Checkout and App IO started by the citizen, the EC front end's Checkout cart (1..5 notices,
// return URLs as hints only), digital stamps bought through the EC front end (@e.bollo).
import { spec, type CheckSpec, type ScenarioDef, type Notice } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { formatAmount, parseAmount } from '../../domain/common.js';
import type { Cart } from '../../actors/platform/checkout.js';
import type { JournalEntry } from '../../src/core/journal.js';
import { checkKo, checkOk, checkSchema, child, describeAnswer, exchanges, getPrimitive, lastExchange, rtPrimitive, schemaChecks, textOf, transfersOf, verifyAtEc } from './lib.js';
import { askEc, platformExchanges, platformOf } from './platform-lib.js';
import { answerSaid } from '../../src/wire/answer.js';
import { type Bi, dataSaid, joinSaid, quotedSaid } from '../../src/core/text.js';

type S = ScenarioDef<EcContext>;
const getPrim = getPrimitive;
const rtPrim = rtPrimitive;

/** The checks of `receiptsClose` for a flow of `count` notices, bound to the flow's requirement. */
const receiptChecks = (count: number, requirement: string): CheckSpec[] =>
  Array.from({ length: count }, (_, i) => [
    spec(`receipt-${i + 1}`, [`the receipt of notice ${i + 1} is answered OK`, `la ricevuta dell’avviso ${i + 1} riceve esito OK`], requirement),
    spec(`closed-${i + 1}`, [`after its receipt, notice ${i + 1} is closed (PAA_PAGAMENTO_DUPLICATO)`, `dopo la sua ricevuta, l’avviso ${i + 1} è chiuso (PAA_PAGAMENTO_DUPLICATO)`], requirement),
  ]).flat();

/** Every token's receipt reached the EC and was answered OK; then each notice is closed at the EC. */
async function receiptsClose(t: EcContext, tokens: string[], notices: Notice[]): Promise<void> {
  for (const [i, token] of tokens.entries()) {
    const n = notices[i]!;
    const d = await t.nodo.waitDelivery(token, n.fiscalCode).catch((e: Error) => ({ state: 'missing', reason: e.message }) as const);
    // judged on the EC's answer to the first send, whatever the delivery became
    const a = exchanges(t, rtPrim(t), n.noticeNumber)[0];
    if (!a) return t.harnessError(`the harness Nodo sent no receipt for paid notice ${n.noticeNumber} (delivery ${d.state})`);
    if (checkOk(t, a, { id: `receipt-${i + 1}` })) checkKo(t, await verifyAtEc(t, n), { id: `closed-${i + 1}`, accept: ['PAA_PAGAMENTO_DUPLICATO'] });
    else t.notExercised(`closed-${i + 1}`, ['the receipt was not accepted', 'la ricevuta non è stata accettata']);
  }
}

const touchpointChecks = (requirement: string): CheckSpec[] => [
  ...schemaChecks('verify', 'IF-paVerifyPaymentNotice-F40'),
  spec('verify-ok', ['the notice entered on the touchpoint is verified OK', 'l’avviso inserito sul touchpoint è verificato con esito OK'], requirement),
  spec('getpayment-ok', ['the activation from the touchpoint (activatePaymentNoticeV2) is answered OK', 'l’attivazione dal touchpoint (activatePaymentNoticeV2) riceve esito OK'], requirement),
  spec('token', ['the Nodo accepts the EC data and issues a token', 'il Nodo accetta i dati dell’EC ed emette un token'], requirement),
  ...receiptChecks(1, requirement),
];

/** Citizen-initiated payment on a touchpoint: the EC sees verify → getPayment → receipt, as at any PSP. */
async function touchpoint(t: EcContext, tp: 'CHECKOUT' | 'IO'): Promise<void> {
  const n = await t.ownNotice('payable');
  const r = await platformOf(t).checkout.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, tp);
  const v = lastExchange(t, 'paVerifyPaymentNotice', n.noticeNumber);
  checkSchema(t, v, 'paVerifyPaymentNotice');
  if (!checkOk(t, v, { id: 'verify-ok', title: [`the notice entered on ${tp} is verified OK`, `l’avviso inserito su ${tp} è verificato con esito OK`] })) return;
  const g = lastExchange(t, getPrim(t), n.noticeNumber);
  if (!checkOk(t, g, { id: 'getpayment-ok', title: [`the activation from ${tp} (activatePaymentNoticeV2, touchPoint ${tp}) is answered OK`, `l’attivazione da ${tp} (activatePaymentNoticeV2, touchPoint ${tp}) riceve esito OK`] })) return;
  t.check({ id: 'token', held: !!r.activate?.paymentToken, message: r.activate?.paymentToken ? dataSaid(`token ${r.activate.paymentToken}`) : answerSaid(r.activate ?? {}), entries: [g.response] });
  if (!r.activate?.paymentToken) return;
  if (r.outcome?.outcome !== 'OK') return t.harnessError(`the harness Nodo refused the outcome of its own Checkout: ${describeAnswer(r.outcome ?? {})}`);
  await receiptsClose(t, [r.activate.paymentToken], [n]);
}

/**
 * The EC front end, asked through the trigger, started a cart at Checkout in this scenario (or
 * Checkout refused it): read from the wire, the POST /carts askEc waited for.
 */
const cartValid = spec(
  'cart-valid',
  [
    'the EC front end sends Checkout a valid cart (1..5 notices of 18 digits, 11-digit fiscal codes, amounts ≥ 1 cent, return URLs): no 400',
    'il frontend EC invia a Checkout un carrello valido (da 1 a 5 avvisi di 18 cifre, codici fiscali di 11 cifre, importi ≥ 1 centesimo, URL di ritorno): nessun 400',
  ],
  'NM-EC-VAL-01',
);

/** What Checkout made of the EC's POST /carts: none came, refused (its validator's words), or accepted. */
function cartMessage(posts: number, refusedErrors: readonly string[] | undefined, carts: number): Bi {
  if (posts === 0) return ['the EC never called POST /carts', 'l’EC non ha mai chiamato POST /carts'];
  if (refusedErrors) {
    const [en, it] = quotedSaid(refusedErrors.slice(0, 3));
    return [`Checkout refused: ${en}`, `Checkout ha rifiutato: ${it}`];
  }
  return [`${carts} cart(s) accepted (302)`, `${carts} carrello/i accettato/i (302)`];
}

async function cartFromEc(t: EcContext, action: 'checkout-cart' | 'stamp-cart', notices: Notice[], params: { document?: string } = {}): Promise<{ cart?: Cart; entries: JournalEntry[] }> {
  const since = t.clock.now();
  const pf = platformOf(t);
  if (action === 'checkout-cart') await askEc(t, action, { notice: notices[0], params: { notices: notices.map((n) => ({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, ...(n.amountCents !== undefined ? { amount: formatAmount(n.amountCents) } : {}) })) } });
  else await askEc(t, action, { params });
  const carts = pf.checkout.cartsSince(since);
  const refused = pf.checkout.refusedSince(since);
  const posts = platformExchanges(t, 'postCarts');
  const entries = posts.flatMap((p) => [p.request, p.response]).filter((e): e is JournalEntry => !!e);
  t.check({
    id: 'cart-valid',
    held: posts.length > 0 && refused.length === 0,
    message: cartMessage(posts.length, refused[0]?.verdict.errors, carts.length),
    entries,
  });
  return { cart: carts.at(-1), entries };
}

export const touchpointScenarios: S[] = [
  {
    id: 'EC-TP-01',
    title: 'Payment started by the citizen on Checkout (notice number + EC code): verify, activation, receipt',
    titleIt: 'Pagamento avviato dal cittadino su Checkout (numero avviso + codice EC): verifica, attivazione, ricevuta',
    seat: 'ec',
    checks: touchpointChecks('NM-EC-PAY-03'),
    writes: { payable: 1 },
    run: (t) => touchpoint(t, 'CHECKOUT'),
  },
  {
    id: 'EC-TP-02',
    title: 'Payment from App IO (QR scan): the EC behaves as for any PSP',
    titleIt: 'Pagamento da App IO (scansione del QR): l’EC si comporta come per qualunque PSP',
    seat: 'ec',
    checks: touchpointChecks('NM-EC-PAY-04'),
    writes: { payable: 1 },
    run: (t) => touchpoint(t, 'IO'),
  },
  {
    id: 'EC-TP-03',
    title: 'EC front end → Checkout cart of two notices: valid cart, one token per notice, one receipt per notice closes each position',
    titleIt: 'Frontend EC → carrello Checkout di due avvisi: carrello valido, un token per avviso, una ricevuta per avviso chiude ogni posizione',
    seat: 'ec',
    feature: 'frontEnd',
    checks: [
      cartValid,
      spec('cart-notices', ['the cart holds the notices the citizen chose', 'il carrello contiene gli avvisi scelti dal cittadino'], 'NM-EC-PAY-01'),
      spec('cart-amount-1', ['each cart amount is the notice amount in euro cents (notice 1)', 'ogni importo del carrello è l’importo dell’avviso in centesimi di euro (avviso 1)'], 'NM-EC-VAL-01'),
      spec('cart-amount-2', ['each cart amount is the notice amount in euro cents (notice 2)', 'ogni importo del carrello è l’importo dell’avviso in centesimi di euro (avviso 2)'], 'NM-EC-VAL-01'),
      spec('tokens', ['every notice of the cart is activated (the EC answers each paGetPayment OK)', 'ogni avviso del carrello è attivato (l’EC risponde OK a ogni paGetPayment)'], 'NM-EC-PAY-01'),
      ...receiptChecks(2, 'NM-EC-PAY-01'),
    ],
    writes: { payable: 2 },
    async run(t) {
      const notices = [await t.ownNotice('payable', 0), await t.ownNotice('payable', 1)];
      const { cart, entries } = await cartFromEc(t, 'checkout-cart', notices);
      if (!cart) return;
      const asked = notices.map((n) => n.noticeNumber).sort().join(',');
      const got = cart.request.paymentNotices.map((n) => n.noticeNumber).sort().join(',');
      t.check({ id: 'cart-notices', held: asked === got, message: [`asked ${asked}, cart ${got}`, `richiesti ${asked}, carrello ${got}`], entries });
      for (const [i, pn] of cart.request.paymentNotices.slice(0, 2).entries()) {
        const v = await verifyAtEc(t, { fiscalCode: pn.fiscalCode, noticeNumber: pn.noticeNumber });
        const due = parseAmount(textOf(child(child(v.body, 'paymentList'), 'paymentOptionDescription'), 'amount'));
        const [dueEn, dueIt] = due !== undefined ? dataSaid(String(due)) : answerSaid(v);
        t.check({ id: `cart-amount-${i + 1}`, held: due !== undefined && pn.amount === due, message: [`cart ${pn.amount} cents, notice ${dueEn} cents`, `carrello ${pn.amount} centesimi, avviso ${dueIt} centesimi`], entries: [...entries, v.response] });
      }
      const pay = await platformOf(t).checkout.payCart(cart.id);
      const gets = notices.flatMap((n) => exchanges(t, getPrim(t), n.noticeNumber).flatMap((a) => [a.request, a.response]));
      t.check({ id: 'tokens', held: pay.tokens.length === notices.length, message: joinSaid(pay.activations.map((a) => answerSaid(a))), entries: gets });
      if (pay.tokens.length !== notices.length) return;
      const byNotice = cart.request.paymentNotices.map((pn) => notices.find((n) => n.noticeNumber === pn.noticeNumber)!);
      await receiptsClose(t, pay.tokens, byNotice);
    },
  },
  {
    id: 'EC-TP-04',
    title: 'Return to the EC front end is only a hint: the position stays open after returnOkUrl until the receipt, and after a cancelled cart',
    titleIt: 'Il ritorno al frontend EC è solo un’indicazione: la posizione resta aperta dopo returnOkUrl fino alla ricevuta, e dopo un carrello annullato',
    seat: 'ec',
    feature: 'frontEnd',
    checks: [
      cartValid,
      spec('open-after-ok-return', ['after the user returned on returnOkUrl, before the receipt, the position is still open (verify OK)', 'dopo il ritorno dell’utente su returnOkUrl, prima della ricevuta, la posizione è ancora aperta (verifica OK)'], 'NM-EC-PAY-02'),
      ...receiptChecks(1, 'NM-EC-PAY-02'),
      spec('open-after-cancel', ['after a cancelled cart (returnCancelUrl, outcome KO) the position stays open and payable', 'dopo un carrello annullato (returnCancelUrl, esito KO) la posizione resta aperta e pagabile'], 'NM-EC-PAY-02'),
    ],
    writes: { payable: 2 },
    async run(t) {
      const n = await t.ownNotice('payable', 0);
      const { cart } = await cartFromEc(t, 'checkout-cart', [n]);
      if (!cart) return;
      const co = platformOf(t).checkout;
      const pay = await co.payCart(cart.id, {
        beforeOutcome: async () => {
          await co.returnUser(cart, 'ok');
          checkOk(t, await verifyAtEc(t, n), { id: 'open-after-ok-return' });
        },
        follow: false,
      });
      if (pay.tokens[0]) await receiptsClose(t, pay.tokens, [n]);
      const m = await t.ownNotice('payable', 1);
      const c2 = await cartFromEc(t, 'checkout-cart', [m]);
      if (!c2.cart) return;
      await co.payCart(c2.cart.id, { outcome: 'KO', returnTo: 'cancel' });
      checkOk(t, await verifyAtEc(t, m), { id: 'open-after-cancel' });
    },
  },
  {
    id: 'EC-TP-05',
    title: 'Digital stamp bought through the EC front end: richiestaMarcaDaBollo in paGetPaymentV2, MBDAttachment accepted in paSendRTV2',
    titleIt: 'Marca da bollo digitale acquistata dal frontend EC: richiestaMarcaDaBollo in paGetPaymentV2, MBDAttachment accettato in paSendRTV2',
    seat: 'ec',
    feature: 'stamps',
    primitives: 'v2',
    checks: [
      cartValid,
      ...schemaChecks('getpayment', ['IF-paGetPaymentV2-F60', 'NM-BOLLO-VAL-01'], 'v2'),
      spec('stamp-transfer', ['the stamp notice has a transfer with richiestaMarcaDaBollo, and no IBAN in that transfer', 'l’avviso con marca da bollo ha un trasferimento con richiestaMarcaDaBollo, senza IBAN in quel trasferimento'], ['NM-BOLLO-VAL-01', 'IF-paGetPaymentV2-F80']),
      spec('stamp-hash', ['hashDocumento is the base64 of a SHA-256 digest (32 bytes); tipoBollo and provinciaResidenza are set', 'hashDocumento è il base64 di un digest SHA-256 (32 byte); tipoBollo e provinciaResidenza sono valorizzati'], 'NM-BOLLO-VAL-01'),
      spec('mbd-accepted', ['the EC accepts paSendRTV2 with the MBDAttachment', 'l’EC accetta paSendRTV2 con l’MBDAttachment'], 'NM-BOLLO-PAY-01'),
      spec('stamp-closed', ['the stamp position is closed by the receipt', 'la posizione della marca da bollo è chiusa dalla ricevuta'], 'NM-BOLLO-PAY-01'),
    ],
    async run(t) {
      if (t.station.version !== 2) return t.notApplicable(['digital stamps travel only in the V2 primitives: the profile does not declare features.v2', 'le marche da bollo digitali viaggiano solo nelle primitive V2: il profilo non dichiara features.v2']);
      const { cart } = await cartFromEc(t, 'stamp-cart', [], { document: `collaudo ${t.scenarioId}` });
      if (!cart) return;
      const pn = cart.request.paymentNotices[0]!;
      const pay = await platformOf(t).checkout.payCart(cart.id);
      const g = lastExchange(t, 'paGetPaymentV2', pn.noticeNumber);
      checkSchema(t, g, 'paGetPaymentV2');
      const stampT = transfersOf(child(g.body, 'data')).filter((x) => child(x, 'richiestaMarcaDaBollo'));
      t.check({ id: 'stamp-transfer', held: stampT.length > 0 && stampT.every((x) => !child(x, 'IBAN')), message: [`${stampT.length} stamp transfer(s)`, `${stampT.length} trasferimento/i con marca da bollo`], entries: [g.response] });
      const r = child(stampT[0], 'richiestaMarcaDaBollo');
      const hash = textOf(r, 'hashDocumento') ?? '';
      const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(hash) && hash.length % 4 === 0 ? Buffer.from(hash, 'base64').length : -1;
      if (!r) t.notExercised('stamp-hash', ['no richiestaMarcaDaBollo to read', 'nessuna richiestaMarcaDaBollo da leggere'], [g.response]);
      else t.check({ id: 'stamp-hash', held: bytes === 32 && !!textOf(r, 'tipoBollo') && !!textOf(r, 'provinciaResidenza'), message: [`hashDocumento "${hash}" (${bytes} bytes)`, `hashDocumento "${hash}" (${bytes} byte)`], entries: [g.response] });
      const token = pay.tokens[0];
      // selling the stamp and the outcome are the harness's (Checkout, emulated PSP): preconditions, not the EC's checks
      if (!token) {
        const [en, it] = pay.activations.length ? joinSaid(pay.activations.map((a) => answerSaid(a))) : answerSaid(g);
        return t.inconclusive([`the stamp notice was not activated (${en}): nothing to deliver`, `l’avviso con marca da bollo non è stato attivato (${it}): nulla da consegnare`]);
      }
      if (pay.outcomes[0]?.outcome !== 'OK') return t.harnessError(`the harness Nodo refused the outcome with marcheDaBollo: ${pay.outcomes.map(describeAnswer).join('; ')}`);
      await t.nodo.waitDelivery(token, pn.fiscalCode).catch(() => undefined);
      const rt = exchanges(t, 'paSendRTV2', pn.noticeNumber)[0];
      if (!rt?.request?.raw.includes('MBDAttachment')) return t.harnessError(`the harness Nodo's paSendRTV2 ${rt ? 'carries no MBDAttachment' : 'was never sent'}`);
      if (checkOk(t, rt, { id: 'mbd-accepted' })) checkKo(t, await verifyAtEc(t, { fiscalCode: pn.fiscalCode, noticeNumber: pn.noticeNumber }), { id: 'stamp-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      else t.notExercised('stamp-closed', ['the receipt with the MBDAttachment was not accepted', 'la ricevuta con l’MBDAttachment non è stata accettata']);
    },
  },
];
