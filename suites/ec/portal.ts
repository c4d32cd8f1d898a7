// EC-initiated payments through an intermediary portal, GovPay style (catalogue §3.4 NM-EC-PAY-06
// and the NM-EC-ST-* rows, NM-SM-GOVPAY): the harness plays the portal (POST /pagamenti with the
// pendenze, then the user on Checkout, the return with idSession + esito, GET /pagamenti/{id}).
// Readings: esito OK/ERROR/DIFFERITO are hints; the session state follows the receipts; a cart the
// user left unpaid (return on the cancel URL, esito KO) settles the unpaid notices as not paid.
import { spec, type CheckSpec, type ScenarioDef, type Notice } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import type { Cart, CartPayment } from '../../actors/platform/checkout.js';
import { restCall, type RestCall } from '../../actors/platform/index.js';
import { GOVPAY_PORTAL } from '../../interfaces/rest/index.js';
import { dataSaid } from '../../src/core/text.js';
import { checkRestBody, ecSurface, platformOf } from './platform-lib.js';

type S = ScenarioDef<EcContext>;
interface Session { id: string; idSession: string; location: string }

async function startSession(t: EcContext, notices: Notice[]): Promise<{ session?: Session; cart?: Cart }> {
  const url = ecSurface(t, 'intermediary portal API', '/govpay/pagamenti');
  const r = await restCall({ method: 'POST', url, body: { pendenze: notices.map((n) => ({ idDominio: n.fiscalCode, numeroAvviso: n.noticeNumber })), urlRitorno: `https://portale.collaudo.invalid/ritorno/${t.scenarioId}` }, journal: t.journal, clock: t.clock, from: 'portal', to: 'ec-portal', api: GOVPAY_PORTAL, operationId: 'avviaPagamento' });
  if (!checkRestBody(t, r, 'govpay-portal', 'PagamentoCreato', { id: 'session-started', status: 201 })) return {};
  const session = r.json as Session;
  const cart = platformOf(t).checkout.cartByLocation(session.location);
  t.check({ id: 'session-cart', held: !!cart && cart.request.paymentNotices.length === notices.length, message: cart
      ? [`cart ${cart.id} with ${cart.request.paymentNotices.length} notice(s)`, `carrello ${cart.id} con ${cart.request.paymentNotices.length} avviso/i`]
      : [`location ${session.location} is no cart of the harness Checkout`, `la location ${session.location} non è un carrello del Checkout del collaudo`], entries: [r.response] });
  return { session, cart };
}

async function state(t: EcContext, s: Session, tag: string): Promise<{ r: RestCall; stato?: string; idSession?: string }> {
  const url = ecSurface(t, 'intermediary portal API', `/govpay/pagamenti/${encodeURIComponent(s.id)}`);
  const r = await restCall({ method: 'GET', url, journal: t.journal, clock: t.clock, from: 'portal', to: 'ec-portal', api: GOVPAY_PORTAL, operationId: 'getPagamento', note: tag });
  const j = r.json as { stato?: string; idSession?: string } | undefined;
  return { r, stato: j?.stato, idSession: j?.idSession };
}

async function settle(t: EcContext, pay: CartPayment, notices: Notice[]): Promise<void> {
  // waitDelivery rejects at once for a token that was never paid (KO outcome): nothing to wait for
  for (const [i, a] of pay.activations.entries()) if (a.paymentToken) await t.nodo.waitDelivery(a.paymentToken, notices[i]!.fiscalCode).catch(() => undefined);
}

/** pays a one- or two-notice session; `early` returns the user with that esito before the outcome and reads the state */
async function flow(t: EcContext, o: { notices: number; early?: 'ok' | 'error' | 'waiting'; outcome?: 'OK' | 'KO'; perNotice?: ('OK' | 'KO')[]; returnTo?: CartPayment['returnKind'] }, onEarly: (stato: string | undefined, st: Awaited<ReturnType<typeof state>>) => void, onEnd: (stato: string | undefined, st: Awaited<ReturnType<typeof state>>) => void): Promise<void> {
  const notices: Notice[] = [];
  for (let k = 0; k < o.notices; k++) notices.push(await t.ownNotice('payable', k));
  const { session, cart } = await startSession(t, notices);
  if (!session || !cart) return;
  const co = platformOf(t).checkout;
  const pay = await co.payCart(cart.id, {
    outcome: o.outcome, perNotice: o.perNotice, returnTo: o.returnTo, follow: !o.early,
    beforeOutcome: o.early ? async () => { await co.returnUser(cart, o.early!); const st = await state(t, session, 'early'); onEarly(st.stato, st); } : undefined,
  });
  await settle(t, pay, notices);
  const st = await state(t, session, 'end');
  checkRestBody(t, st.r, 'govpay-portal', 'Pagamento', { id: 'session-read', status: 200 });
  t.check({ id: 'session-idsession', held: st.idSession === session.idSession, message: [`${st.idSession} vs ${session.idSession}`, `${st.idSession} rispetto a ${session.idSession}`], entries: [st.r.response] });
  onEnd(st.stato, st);
}

const common = { seat: 'ec' as const, feature: 'intermediary' as const };
/** The session checks every portal flow records (NM-EC-PAY-06), plus the flow's own state checks. */
const sessionChecks = (...own: CheckSpec[]): CheckSpec[] => [
  spec('session-started', ['POST /pagamenti answers 201 with id, idSession and the redirect location', 'POST /pagamenti risponde 201 con id, idSession e la location di reindirizzamento'], 'NM-EC-PAY-06'),
  spec('session-cart', ['the location sends the user to a Checkout cart holding the pendenze', 'la location porta l’utente a un carrello Checkout che contiene le pendenze'], 'NM-EC-PAY-06'),
  spec('session-read', ['GET /pagamenti/{id} answers 200 with a valid session, reconciled by idSession', 'GET /pagamenti/{id} risponde 200 con una sessione valida, riconciliata tramite idSession'], 'NM-EC-PAY-06'),
  spec('session-idsession', ['the session read back carries the idSession given at the start', 'la sessione riletta riporta l’idSession fornito all’avvio'], 'NM-EC-PAY-06'),
  ...own,
];

export const portalScenarios: S[] = [
  {
    ...common,
    id: 'EC-GOV-01',
    title: 'Portal session, esito OK before the receipts: IN_CORSO, then ESEGUITO once every receipt arrived',
    titleIt: 'Sessione del portale, esito OK prima delle ricevute: IN_CORSO, poi ESEGUITO quando tutte le ricevute sono arrivate',
    checks: sessionChecks(spec('in-corso', ['esito OK with receipts not all received: the session is IN_CORSO (never ESEGUITO before the receipts)', 'esito OK con ricevute non tutte ricevute: la sessione è IN_CORSO (mai ESEGUITO prima delle ricevute)'], 'NM-EC-ST-01'), spec('eseguito', ['all receipts received, all positive: ESEGUITO', 'tutte le ricevute ricevute, tutte positive: ESEGUITO'], 'NM-EC-ST-02')),
    writes: { payable: 2 },
    run: (t) => flow(t, { notices: 2, early: 'ok' },
      (stato, st) => t.check({ id: 'in-corso', held: stato === 'IN_CORSO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'eseguito', held: stato === 'ESEGUITO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-02',
    title: 'Portal session not paid (outcome KO, user back with esito KO): NON_ESEGUITO',
    titleIt: 'Sessione del portale non pagata (esito KO, utente di ritorno con esito KO): NON_ESEGUITO',
    checks: sessionChecks(spec('non-eseguito', ['no receipt, payment not made: NON_ESEGUITO', 'nessuna ricevuta, pagamento non eseguito: NON_ESEGUITO'], 'NM-EC-ST-03')),
    writes: { payable: 1 },
    run: (t) => flow(t, { notices: 1, outcome: 'KO', returnTo: 'cancel' }, () => undefined,
      (stato, st) => t.check({ id: 'non-eseguito', held: stato === 'NON_ESEGUITO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-03',
    title: 'Portal cart with mixed outcomes (one notice paid, one not): ESEGUITO_PARZIALE',
    titleIt: 'Carrello del portale con esiti misti (un avviso pagato, uno no): ESEGUITO_PARZIALE',
    checks: sessionChecks(spec('parziale', ['mixed outcomes in the cart: ESEGUITO_PARZIALE', 'esiti misti nel carrello: ESEGUITO_PARZIALE'], 'NM-EC-ST-04')),
    writes: { payable: 2 },
    run: (t) => flow(t, { notices: 2, perNotice: ['OK', 'KO'], returnTo: 'cancel' }, () => undefined,
      (stato, st) => t.check({ id: 'parziale', held: stato === 'ESEGUITO_PARZIALE', message: dataSaid(`stato ${stato}`), entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-04',
    title: 'Portal session, esito ERROR before the receipts: never “not paid” (IN_CORSO), then ESEGUITO with the receipt',
    titleIt: 'Sessione del portale, esito ERROR prima delle ricevute: mai “non pagato” (IN_CORSO), poi ESEGUITO con la ricevuta',
    checks: sessionChecks(spec('error-interim', ['esito ERROR: an interim state, never NON_ESEGUITO before the receipts settle', 'esito ERROR: uno stato intermedio, mai NON_ESEGUITO prima che le ricevute siano definite'], 'NM-EC-ST-05'), spec('error-then-paid', ['the receipt arrives: ESEGUITO', 'arriva la ricevuta: ESEGUITO'], 'NM-EC-ST-05')),
    writes: { payable: 1 },
    run: (t) => flow(t, { notices: 1, early: 'error' },
      (stato, st) => t.check({ id: 'error-interim', held: stato === 'IN_CORSO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'error-then-paid', held: stato === 'ESEGUITO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-05',
    title: 'Portal session, esito DIFFERITO: interim state until the receipt, then ESEGUITO',
    titleIt: 'Sessione del portale, esito DIFFERITO: stato intermedio fino alla ricevuta, poi ESEGUITO',
    checks: sessionChecks(spec('differito-interim', ['esito DIFFERITO: the outcome is not known yet (IN_CORSO)', 'esito DIFFERITO: l’esito non è ancora noto (IN_CORSO)'], 'NM-EC-ST-06'), spec('differito-paid', ['the outcome is known at the receipt: ESEGUITO', 'l’esito è noto alla ricevuta: ESEGUITO'], 'NM-EC-ST-06')),
    writes: { payable: 1 },
    run: (t) => flow(t, { notices: 1, early: 'waiting' },
      (stato, st) => t.check({ id: 'differito-interim', held: stato === 'IN_CORSO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'differito-paid', held: stato === 'ESEGUITO', message: dataSaid(`stato ${stato}`), entries: [st.r.response] })),
  },
];
