// Payments started at the EC (catalogue §3.2, features ecStarted): the candidate sends a cart of RPTs
// (nodoInviaCarrelloRPT, asked with the old-cart trigger action), the payer goes through the
// harness's WISP and the emulated PSP's page in a real headless browser (JavaScript off), and comes
// back to the EC's return page with idDominio, idSession and esito OK / ERROR / DIFFERITO (I02),
// which is judged from the browser; the RTs reach the EC with paaInviaRT.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { PageVisit } from '../../../actors/payer/index.js';
import { textOf } from '../../../src/wire/xml.js';
import type { PayScript } from '../../../actors/psp/old/index.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import type { Bi } from '../../../src/core/text.js';
import { type Answer, askOldEc, esitoOf, noAnswer, pspWaitMs, said, stationExchanges } from './lib.js';
import { checkCredentials, checkOk } from './judge.js';

type Def = ScenarioDef<OldEcContext>;
const MODEL = { seat: 'ec' as const, model: 'old', feature: 'ecStarted' as const };

/** What a page says of the payment, in Italian or English (a return page states the outcome in words). */
const SUCCESS = /pagamento\s+(eseguito|completato|riuscito|effettuato)|payment\s+(completed|successful|done)|pagato con successo/i;
const FAILURE = /non\s+(eseguito|riuscito|completato|effettuato|andato a buon fine)|annullat|fallit|rifiutat|not\s+(completed|successful)|failed|cancelled/i;

/**
 * The cart the candidate sent after the trigger (old-cart with `params`), the Nodo's answer, the WISP
 * URL and the RPTs' keys; `judgeSent` judges what was sent before the Nodo's answer can end the scenario.
 */
export async function cartOf(t: OldEcContext, params: Record<string, unknown>, judgeSent?: (sent: Awaited<ReturnType<typeof askOldEc>>) => void) {
  const sent = await askOldEc(t, 'old-cart', params, 'nodoInviaCarrelloRPT');
  judgeSent?.(sent);
  checkCredentials(t, 'cart-credentials', sent.answer, 'nodoInviaCarrelloRPT');
  const url = sent.answer.body ? textOf(sent.answer.body, 'url') : undefined;
  const session = url ? new URL(url).searchParams.get('idSession') ?? undefined : undefined;
  const held = esitoOf(sent.answer) === 'OK' && !!session;
  const idCarrello = sent.request.correlation.idCarrello ?? '';
  const answered = said(sent.answer);
  t.check({
    id: 'cart-accepted',
    held,
    message: held ? [`the Nodo accepted the cart ${idCarrello}: WISP session ${session}`, `il Nodo ha accettato il carrello ${idCarrello}: sessione WISP ${session}`] : [`the Nodo refused the cart: ${answered[0]}`, `il Nodo ha rifiutato il carrello: ${answered[1]}`],
    entries: [sent.request, sent.response],
  });
  const cart = session ? t.nodo.session(session) : undefined;
  if (!held || !cart) return t.inconclusive([`the cart could not go on to WISP: ${answered[0]}`, `il carrello non è potuto proseguire verso WISP: ${answered[1]}`]);
  return { cart, sent, wisp: `${t.nodo.urls.wisp}?idSession=${encodeURIComponent(cart.idSession)}` };
}

/**
 * The payer's way through WISP and the PSP's page; the deadline covers the Nodo's calls each step waits
 * for. `outside`: the payer chose (`psp`: a WISP option, idPSP or "idPSP|idChannel") a PSP that
 * authorises outside pagoPA (L1502): no PSP page, the one way back to the EC from WISP's page.
 * The browser's own diagnostic is quoted in the Italian (it is the payer actor's, in English).
 */
export async function payThroughWisp(t: OldEcContext, wisp: string, press: 'pay' | 'cancel' | 'outside', rpts: number, psp: string = t.psp.ids.idPSP): Promise<{ back?: PageVisit; problem?: Bi }> {
  const payer = t.browser();
  const deadline = (rpts + 1) * pspWaitMs('nodoInviaRT');
  const choice = await payer.open(wisp, deadline);
  if (choice.problem) return { problem: [`WISP: ${choice.problem}`, `WISP: "${choice.problem}"`] };
  const atPsp = await payer.choosePsp(psp, deadline);
  if (atPsp.problem) return { problem: [`choosing the PSP on WISP: ${atPsp.problem}`, `scelta del PSP su WISP: "${atPsp.problem}"`] };
  const atEc = (hop: PageVisit) => hop.url.split('?', 1)[0] === t.station.returnUrl.split('?', 1)[0];
  const back = press === 'pay' ? await payer.pay(deadline) : press === 'cancel' ? await payer.cancel(deadline) : await payer.followUntil(atEc, deadline);
  return { back: back.final, problem: back.problem === undefined ? undefined : [back.problem, `"${back.problem}"`] };
}

/** The EC's return page as the browser got it: the station's returnUrl, the three parameters, the words for `esito`. */
export function judgeReturn(t: OldEcContext, id: string, back: PageVisit | undefined, problem: Bi | undefined, idSession: string, esito: 'OK' | 'ERROR' | 'DIFFERITO'): void {
  const page = t.journal.filter((e) => e.primitive === 'page' && e.direction === 'response' && e.from === 'ec').at(-1);
  if (!back) {
    const why = problem ?? ['no page', 'nessuna pagina'];
    return void t.check({ id, held: false, message: [`the payer never reached the EC's return page: ${why[0]}`, `il pagatore non ha mai raggiunto la pagina di ritorno dell'EC: ${why[1]}`], entries: [page] });
  }
  const atReturn = back.url.split('?', 1)[0] === t.station.returnUrl.split('?', 1)[0];
  const q = back.query;
  const paramsOk = q.idDominio === t.station.idDominio && q.idSession === idSession && q.esito === esito;
  const text = back.text ?? '';
  const claimsSuccess = SUCCESS.test(text) && !FAILURE.test(text);
  const words = esito === 'ERROR' ? !claimsSuccess : esito === 'OK' ? !FAILURE.test(text) || SUCCESS.test(text) : true;
  const held = atReturn && paramsOk && back.status === 200 && words;
  const flat = text.replace(/\s+/g, ' ');
  t.check({
    id,
    held,
    message: held
      ? [`HTTP 200 at ${t.station.returnUrl} with esito=${esito}: "${flat.slice(0, 120)}"`, `HTTP 200 su ${t.station.returnUrl} con esito=${esito}: "${flat.slice(0, 120)}"`]
      : !atReturn
        ? [`the payer ended at ${back.url}, not at the station's return URL ${t.station.returnUrl}`, `il pagatore è arrivato a ${back.url}, non all'URL di ritorno della stazione ${t.station.returnUrl}`]
        : !paramsOk
          ? [
              `return parameters ${JSON.stringify(q)}, expected idDominio=${t.station.idDominio}, idSession=${idSession}, esito=${esito}`,
              `parametri di ritorno ${JSON.stringify(q)}, attesi idDominio=${t.station.idDominio}, idSession=${idSession}, esito=${esito}`,
            ]
          : back.status !== 200
            ? [`the return page answered HTTP ${back.status} on esito=${esito}`, `la pagina di ritorno ha risposto HTTP ${back.status} con esito=${esito}`]
            : [`on esito=${esito} the page says "${flat.slice(0, 160)}"`, `con esito=${esito} la pagina dice "${flat.slice(0, 160)}"`],
    entries: [page],
  });
}

/** Each RPT's RT reached the EC (for the RPT's own domain, when given) and was answered esito OK. */
export function judgeRts(t: OldEcContext, id: string, keys: { iuv: string; ccp: string; idDominio?: string }[], since: number, what: Bi): void {
  for (const k of keys) {
    const mine = (e: { correlation: Record<string, string | undefined> }) => e.correlation.iuv === k.iuv && e.correlation.ccp === k.ccp && (!k.idDominio || e.correlation.idDominio === k.idDominio);
    const key = `${k.idDominio ? `${k.idDominio}/` : ''}${k.iuv}/${k.ccp}`;
    const a: Answer = stationExchanges(t, 'paaInviaRT', mine, since).at(-1) ?? noAnswer('none', `no paaInviaRT for ${key}`, `nessuna paaInviaRT per ${key}`);
    checkOk(t, id, a, [`${what[0]} ${k.iuv}/${k.ccp}`, `${what[1]} ${k.iuv}/${k.ccp}`]);
  }
}

/** The title of the cart's caller check (every cart scenario declares it). */
export const CART_CREDENTIALS: Bi = ["the EC's nodoInviaCarrelloRPT passes the Nodo's caller checks", "la nodoInviaCarrelloRPT dell'EC supera i controlli del Nodo sul chiamante"];

/** The checks `cartOf` makes: the cart accepted (judged for the scenario's requirements) and its caller checks. */
export const cartChecks = (accepted: string[] = ['OLD-EC-PAY-01', 'OLD-EC-PAY-03']) => [
  spec('cart-accepted', ['the cart of RPTs is valid and the Nodo accepts it (esitoComplessivoOperazione OK, WISP URL with idSession)', 'il carrello di RPT è valido e il Nodo lo accetta (esitoComplessivoOperazione OK, URL WISP con idSession)'], accepted),
  spec('cart-credentials', CART_CREDENTIALS, 'OLD-X-AUTH-01'),
];

function flow(o: { id: string; title: string; titleIt: string; press: 'pay' | 'cancel'; script?: PayScript; esito: 'OK' | 'ERROR' | 'DIFFERITO'; rtCheck: Bi }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      ...cartChecks(),
      spec('return-page', [`the EC's return page, reached with esito=${o.esito}, answers HTTP 200 and states the outcome`, `la pagina di ritorno dell'EC, raggiunta con esito=${o.esito}, risponde HTTP 200 e dichiara l'esito`], 'OLD-EC-PAY-01'),
      spec('rts-ok', o.rtCheck, ['OLD-EC-PAY-01', 'OLD-EC-PAY-03']),
    ],
    async run(t) {
      t.browser();
      const { cart, wisp } = await cartOf(t, { amountsCents: [1800, 2700] });
      const keys = cart.keys.map((k) => t.nodo.rpts().find((r) => r.key === k)!).map((r) => ({ iuv: r.iuv, ccp: r.ccp }));
      if (o.script) t.psp.script('next', o.script);
      const mark = t.journal.entries.length;
      const r = await payThroughWisp(t, wisp, o.press, keys.length);
      judgeReturn(t, 'return-page', r.back, r.problem, cart.idSession, o.esito);
      if (o.esito === 'DIFFERITO') await t.psp.sendPendingRts();
      for (const k of keys) await t.nodo.waitDelivery(t.station.idDominio, k.iuv, k.ccp).catch(() => undefined);
      judgeRts(t, 'rts-ok', keys, mark, o.esito === 'ERROR' ? ['paaInviaRT (negative RT)', 'paaInviaRT (RT negativa)'] : ['paaInviaRT', 'paaInviaRT']);
    },
  };
}

const paid = flow({
  id: 'EC-OLD-CART-01',
  title: 'Cart of RPTs paid through WISP: the payer back on the return page with esito OK, the RTs accepted',
  titleIt: "Carrello di RPT pagato tramite WISP: il pagatore torna alla pagina di ritorno con esito OK, le RT accettate",
  press: 'pay',
  esito: 'OK',
  rtCheck: ['every positive RT of the cart is answered esito OK', 'ogni RT positiva del carrello riceve esito OK'],
});
const cancelled = flow({
  id: 'EC-OLD-CART-02',
  title: 'Payment cancelled at the PSP: esito ERROR on the return page, the negative RTs accepted',
  titleIt: 'Pagamento annullato presso il PSP: esito ERROR alla pagina di ritorno, le RT negative accettate',
  press: 'cancel',
  esito: 'ERROR',
  rtCheck: ['every negative RT of the cart is answered esito OK (the EC takes negative RTs too, L363)', "ogni RT negativa del carrello riceve esito OK (l'EC accetta anche le RT negative, L363)"],
});
const deferred = flow({
  id: 'EC-OLD-CART-03',
  title: 'Outcome deferred by the PSP: esito DIFFERITO on the return page, the RTs accepted when they come',
  titleIt: "Esito differito dal PSP: esito DIFFERITO alla pagina di ritorno, le RT accettate quando arrivano",
  press: 'pay',
  script: { outcome: 'DIFFERITO' },
  esito: 'DIFFERITO',
  rtCheck: ['the RTs sent later are answered esito OK', 'le RT inviate in seguito ricevono esito OK'],
});

const refusedCart: Def = {
  id: 'EC-OLD-CART-04',
  title: 'A cart the Nodo refuses leaves the positions payable: the next cart, with a new identificativoCarrello, is accepted',
  titleIt: "Un carrello rifiutato dal Nodo lascia le posizioni pagabili: il carrello successivo, con un nuovo identificativoCarrello, è accettato",
  ...MODEL,
  checks: [
    spec('refused-then-accepted', ['after PPT_IBAN_NON_CENSITO on its cart, the EC can start again: a new cart for the same position is accepted', "dopo PPT_IBAN_NON_CENSITO sul suo carrello, l'EC può ripartire: un nuovo carrello per la stessa posizione è accettato"], 'OLD-EC-ERR-03'),
    spec('new-cart-id', ['the new cart carries a new identificativoCarrello (unique in pagoPA, V-08)', 'il nuovo carrello riporta un nuovo identificativoCarrello (univoco in pagoPA, V-08)'], ['OLD-EC-ERR-03', 'OLD-EC-PAY-01']),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const notices = [{ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }];
    // the Nodo's configuration loses the EC's IBANs for one cart: its RPTs are refused with PPT_IBAN_NON_CENSITO
    const first = await t.withoutIbans(() => askOldEc(t, 'old-cart', { notices }, 'nodoInviaCarrelloRPT'));
    if (esitoOf(first.answer) !== 'KO') return t.inconclusive([`the Nodo did not refuse the first cart (${said(first.answer)[0]}): nothing to recover from`, `il Nodo non ha rifiutato il primo carrello (${said(first.answer)[1]}): non c'è nulla da cui ripartire`]);
    const second = await askOldEc(t, 'old-cart', { notices }, 'nodoInviaCarrelloRPT');
    checkOk(t, 'refused-then-accepted', second.answer, ['nodoInviaCarrelloRPT after a refused cart', 'nodoInviaCarrelloRPT dopo un carrello rifiutato']);
    const ids = [first.request.correlation.idCarrello, second.request.correlation.idCarrello];
    t.check({ id: 'new-cart-id', held: !!ids[1] && ids[0] !== ids[1], message: [`identificativoCarrello ${ids[0]} then ${ids[1]}`, `identificativoCarrello ${ids[0]} poi ${ids[1]}`], entries: [first.request, second.request] });
  },
};

const singleRpt: Def = {
  id: 'EC-OLD-RPT-01',
  title: 'A single RPT with online redirect (payment model 0, nodoInviaRPT) is accepted and its RT taken',
  titleIt: 'Una singola RPT con re-indirizzamento on-line (modello 0, nodoInviaRPT) è accettata e la sua RT ricevuta',
  ...MODEL,
  checks: [
    spec('rpt-accepted', ['the RPT is valid and the Nodo accepts it (esito OK)', 'la RPT è valida e il Nodo la accetta (esito OK)'], 'OLD-EC-PAY-06', 'MAY'),
    spec('rpt-credentials', ["the EC's nodoInviaRPT passes the Nodo's caller checks", "la nodoInviaRPT dell'EC supera i controlli del Nodo sul chiamante"], 'OLD-X-AUTH-01'),
  ],
  async run(t) {
    const sent = await askOldEc(t, 'old-rpt', { amountCents: 2300 }, 'nodoInviaRPT');
    checkCredentials(t, 'rpt-credentials', sent.answer, 'nodoInviaRPT');
    checkOk(t, 'rpt-accepted', sent.answer, ['nodoInviaRPT (model 0)', 'nodoInviaRPT (modello 0)']);
  },
};

const fullCart: Def = {
  id: 'EC-OLD-CART-05',
  title: 'A cart of five RPTs, the most listaRPT takes (TR-22), is accepted',
  titleIt: 'Un carrello di cinque RPT, il massimo di listaRPT (TR-22), è accettato',
  ...MODEL,
  checks: [
    spec('cart-of-five', ['asked for a cart of five positions, the EC sends one cart of five RPTs (1..5, TR-22) and the Nodo accepts it', "richiesto un carrello di cinque posizioni, l'EC invia un solo carrello di cinque RPT (1..5, TR-22) e il Nodo lo accetta"], ['OLD-EC-PAY-01', 'OLD-EC-PAY-03']),
    spec('cart-credentials', CART_CREDENTIALS, 'OLD-X-AUTH-01'),
  ],
  async run(t) {
    const sent = await askOldEc(t, 'old-cart', { amountsCents: [1000, 1100, 1200, 1300, 1400] }, 'nodoInviaCarrelloRPT');
    checkCredentials(t, 'cart-credentials', sent.answer, 'nodoInviaCarrelloRPT');
    const rpts = t.journal.filter((e) => e.exchange === sent.request.exchange && e.direction === 'request' && e.primitive === 'nodoInviaCarrelloRPT#RPT').length;
    const held = rpts === 5 && esitoOf(sent.answer) === 'OK';
    t.check({ id: 'cart-of-five', held, message: [`${rpts} RPT(s) in the cart; the Nodo answered ${said(sent.answer)[0]}`, `${rpts} RPT nel carrello; il Nodo ha risposto ${said(sent.answer)[1]}`], entries: [sent.request, sent.response] });
  },
};

export const ecPaymentScenarios: Def[] = [paid, cancelled, deferred, refusedCart, fullCart, singleRpt];
