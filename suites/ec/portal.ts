// EC-initiated payments through an intermediary portal, GovPay style (catalogue §3.4 NM-EC-PAY-06
// and the NM-EC-ST-* rows, NM-SM-GOVPAY): the harness plays the portal (POST /pagamenti with the
// pendenze, then the user on Checkout, the return with idSession + esito, GET /pagamenti/{id}).
// Readings: esito OK/ERROR/DIFFERITO are hints; the session state follows the receipts; a cart the
// user left unpaid (return on the cancel URL, esito KO) settles the unpaid notices as not paid.
import type { ScenarioDef, Notice } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import type { Cart, CartPayment } from '../../mocks/checkout/checkout.js';
import { restCall, type RestCall } from '../../mocks/platform/index.js';
import { checkRestBody, ecSurface, platformOf } from './platform-lib.js';

type S = ScenarioDef<EcContext>;
interface Session { id: string; idSession: string; location: string }

async function startSession(t: EcContext, notices: Notice[]): Promise<{ session?: Session; cart?: Cart }> {
  const url = ecSurface(t, 'intermediary portal API', '/govpay/pagamenti');
  const r = await restCall({ method: 'POST', url, body: { pendenze: notices.map((n) => ({ idDominio: n.fiscalCode, numeroAvviso: n.noticeNumber })), urlRitorno: `https://portale.collaudo.invalid/ritorno/${t.scenarioId}` }, journal: t.journal, clock: t.clock, from: 'portal', to: 'ec-portal', operation: 'avviaPagamento' });
  if (!checkRestBody(t, r, 'govpay-portal', 'PagamentoCreato', { id: 'session-started', title: 'POST /pagamenti answers 201 with id, idSession and the redirect location', requirement: 'NM-EC-PAY-06', status: 201 })) return {};
  const session = r.json as Session;
  const cart = platformOf(t).checkout.cartByLocation(session.location);
  t.check({ id: 'session-cart', title: 'the location sends the user to a Checkout cart holding the pendenze', requirement: 'NM-EC-PAY-06', level: 'MUST', held: !!cart && cart.request.paymentNotices.length === notices.length, message: cart ? `cart ${cart.id} with ${cart.request.paymentNotices.length} notice(s)` : `location ${session.location} is no cart of the harness Checkout`, entries: [r.response] });
  return { session, cart };
}

async function state(t: EcContext, s: Session, tag: string): Promise<{ r: RestCall; stato?: string; idSession?: string }> {
  const url = ecSurface(t, 'intermediary portal API', `/govpay/pagamenti/${encodeURIComponent(s.id)}`);
  const r = await restCall({ method: 'GET', url, journal: t.journal, clock: t.clock, from: 'portal', to: 'ec-portal', operation: `getPagamento:${tag}` });
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
  for (let k = 0; k < o.notices; k++) notices.push(await t.notice('payable', k));
  const { session, cart } = await startSession(t, notices);
  if (!session || !cart) return;
  const co = platformOf(t).checkout;
  const pay = await co.payCart(cart.id, {
    outcome: o.outcome, perNotice: o.perNotice, returnTo: o.returnTo, follow: !o.early,
    beforeOutcome: o.early ? async () => { await co.returnUser(cart, o.early!); const st = await state(t, session, 'early'); onEarly(st.stato, st); } : undefined,
  });
  await settle(t, pay, notices);
  const st = await state(t, session, 'end');
  checkRestBody(t, st.r, 'govpay-portal', 'Pagamento', { id: 'session-read', title: 'GET /pagamenti/{id} answers 200 with a valid session, reconciled by idSession', requirement: 'NM-EC-PAY-06', status: 200 });
  t.check({ id: 'session-idsession', title: 'the session read back carries the idSession given at the start', requirement: 'NM-EC-PAY-06', level: 'MUST', held: st.idSession === session.idSession, message: `${st.idSession} vs ${session.idSession}` });
  onEnd(st.stato, st);
}

const common = { seat: 'ec' as const, feature: 'intermediary' as const };

export const portalScenarios: S[] = [
  {
    ...common,
    id: 'EC-GOV-01',
    title: 'Portal session, esito OK before the receipts: IN_CORSO, then ESEGUITO once every receipt arrived',
    titleIt: 'Sessione del portale, esito OK prima delle ricevute: IN_CORSO, poi ESEGUITO quando tutte le ricevute sono arrivate',
    requirements: ['NM-EC-PAY-06', 'NM-EC-ST-01', 'NM-EC-ST-02'],
    notices: { payable: 2 },
    run: (t) => flow(t, { notices: 2, early: 'ok' },
      (stato, st) => t.check({ id: 'in-corso', title: 'esito OK with receipts not all received: the session is IN_CORSO (never ESEGUITO before the receipts)', requirement: 'NM-EC-ST-01', level: 'MUST', held: stato === 'IN_CORSO', message: `stato ${stato}`, entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'eseguito', title: 'all receipts received, all positive: ESEGUITO', requirement: 'NM-EC-ST-02', level: 'MUST', held: stato === 'ESEGUITO', message: `stato ${stato}`, entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-02',
    title: 'Portal session not paid (outcome KO, user back with esito KO): NON_ESEGUITO',
    titleIt: 'Sessione del portale non pagata (esito KO, utente di ritorno con esito KO): NON_ESEGUITO',
    requirements: ['NM-EC-ST-03'],
    notices: { payable: 1 },
    run: (t) => flow(t, { notices: 1, outcome: 'KO', returnTo: 'cancel' }, () => undefined,
      (stato, st) => t.check({ id: 'non-eseguito', title: 'no receipt, payment not made: NON_ESEGUITO', requirement: 'NM-EC-ST-03', level: 'MUST', held: stato === 'NON_ESEGUITO', message: `stato ${stato}`, entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-03',
    title: 'Portal cart with mixed outcomes (one notice paid, one not): ESEGUITO_PARZIALE',
    titleIt: 'Carrello del portale con esiti misti (un avviso pagato, uno no): ESEGUITO_PARZIALE',
    requirements: ['NM-EC-ST-04'],
    notices: { payable: 2 },
    run: (t) => flow(t, { notices: 2, perNotice: ['OK', 'KO'], returnTo: 'cancel' }, () => undefined,
      (stato, st) => t.check({ id: 'parziale', title: 'mixed outcomes in the cart: ESEGUITO_PARZIALE', requirement: 'NM-EC-ST-04', level: 'MUST', held: stato === 'ESEGUITO_PARZIALE', message: `stato ${stato}`, entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-04',
    title: 'Portal session, esito ERROR before the receipts: never “not paid” (IN_CORSO), then ESEGUITO with the receipt',
    titleIt: 'Sessione del portale, esito ERROR prima delle ricevute: mai “non pagato” (IN_CORSO), poi ESEGUITO con la ricevuta',
    requirements: ['NM-EC-ST-05'],
    notices: { payable: 1 },
    run: (t) => flow(t, { notices: 1, early: 'error' },
      (stato, st) => t.check({ id: 'error-interim', title: 'esito ERROR: an interim state, never NON_ESEGUITO before the receipts settle', requirement: 'NM-EC-ST-05', level: 'MUST', held: stato === 'IN_CORSO', message: `stato ${stato}`, entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'error-then-paid', title: 'the receipt arrives: ESEGUITO', requirement: 'NM-EC-ST-05', level: 'MUST', held: stato === 'ESEGUITO', message: `stato ${stato}`, entries: [st.r.response] })),
  },
  {
    ...common,
    id: 'EC-GOV-05',
    title: 'Portal session, esito DIFFERITO: interim state until the receipt, then ESEGUITO',
    titleIt: 'Sessione del portale, esito DIFFERITO: stato intermedio fino alla ricevuta, poi ESEGUITO',
    requirements: ['NM-EC-ST-06'],
    notices: { payable: 1 },
    run: (t) => flow(t, { notices: 1, early: 'waiting' },
      (stato, st) => t.check({ id: 'differito-interim', title: 'esito DIFFERITO: the outcome is not known yet (IN_CORSO)', requirement: 'NM-EC-ST-06', level: 'MUST', held: stato === 'IN_CORSO', message: `stato ${stato}`, entries: [st.r.response] }),
      (stato, st) => t.check({ id: 'differito-paid', title: 'the outcome is known at the receipt: ESEGUITO', requirement: 'NM-EC-ST-06', level: 'MUST', held: stato === 'ESEGUITO', message: `stato ${stato}`, entries: [st.r.response] })),
  },
];
