// Payments started at the EC (OLD-EC-PAY-03, OLD-PSP-ERR-12, OLD-EC-ERR-07): the emulated EC sends a
// cart of RPTs (nodoInviaCarrelloRPT), the payer chooses the candidate on WISP in a real browser, the
// Nodo forwards the cart (pspInviaCarrelloRPT) and sends the payer to the candidate's page with its
// parametriPagamentoImmediato; the payer pays or cancels there and must come back through the Nodo to
// the EC with the outcome, and each RPT must get its RT (positive, or negative on a cancel) that the
// Nodo's checks accept (V-* against the RPT), consistent with the outcome of the redirect.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { PageVisit, Payer, PayerStep } from '../../../actors/payer/index.js';
import type { RptRecord } from '../../../actors/nodo/old/index.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import { checkExchangeOk, nodoToPsp } from './lib.js';
import { judgeRt } from './judge.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old', feature: 'ecStarted' as const };
/** the browser's time per step: the PSP's page and the Nodo's calls it waits for (TR-10, the PSP timeout) */
export const STEP_MS = 30_000;

/** A cart of the emulated EC naming WISP, opened in the payer's browser, a PSP chosen there. */
export interface CartAtWisp {
  payer: Payer;
  positions: ReturnType<OldPspContext['ec']['old']['payments']['positionsFor']>;
  idSession: string;
  /** the Nodo's records of the cart's RPTs */
  recs: RptRecord[];
  /** where the scenario's journal stood before the cart */
  mark: number;
  chosen: PayerStep;
}

/**
 * The emulated EC sends a cart of new positions of `amountsCents` (nodoInviaCarrelloRPT; `ibanAddebito`:
 * the payer's account under a manleva, L1529), the payer opens WISP in the real browser and chooses
 * `choice` (default the candidate's PSP; "idPSP|idChannel" for one of its channels).
 */
export async function cartAtWisp(t: OldPspContext, o: { amountsCents: number[]; choice?: string; ibanAddebito?: string }): Promise<CartAtWisp> {
  const payer = t.browser();
  const positions = t.ec.old.payments.positionsFor({ amountsCents: o.amountsCents });
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  const cart = await t.ec.old.payments.cart(positions, undefined, o.ibanAddebito ? { ibanAddebito: o.ibanAddebito } : {});
  if (!cart.url || !cart.idSession) return t.harnessError(`the harness's EC could not start the cart: ${cart.problem ?? 'no WISP URL'}`);
  const recs = (t.nodo.session(cart.idSession)?.keys ?? []).map((k) => t.nodo.rpts().find((r) => r.key === k)!).filter(Boolean);
  const open = await payer.open(cart.url, STEP_MS);
  const chosen = open.problem ? open : await payer.choosePsp(o.choice ?? t.channel.idPSP, STEP_MS);
  return { payer, positions, idSession: cart.idSession, recs, mark, chosen };
}

/** The check that the payer is back at the EC's return URL with `esito` for the cart's session. */
export function checkBackAtEc(t: OldPspContext, id: string, c: Pick<CartAtWisp, 'idSession' | 'mark'>, back: PageVisit | undefined, esito: string, problem?: string): boolean {
  const returnUrl = t.ec.oldUrls.returnUrl.split('?', 1)[0]!;
  const atEc = !!back && back.url.split('?', 1)[0] === returnUrl;
  const esitoOk = !!back && back.query.esito === esito && back.query.idSession === c.idSession;
  const pages = t.journal.filter((e) => e.seq > c.mark && (e.primitive === 'page' || !!e.primitive?.startsWith('WISP')));
  t.check({
    id,
    held: atEc && esitoOk,
    message: !back
      ? [`the payer never came back to the EC: ${problem ?? 'no page'}`, `il pagatore non è mai tornato all'EC: ${problem ? `"${problem}"` : 'nessuna pagina'}`]
      : !atEc
        ? [`the payer ended at ${back.url}, not at the EC's return URL`, `il pagatore è finito su ${back.url}, non sull'URL di ritorno dell'EC`]
        : esitoOk
          ? [`back at the EC with esito=${esito}`, `di ritorno all'EC con esito=${esito}`]
          : [`back at the EC with ${JSON.stringify(back.query)}, expected esito=${esito}, idSession=${c.idSession}`, `di ritorno all'EC con ${JSON.stringify(back.query)}, attesi esito=${esito}, idSession=${c.idSession}`],
    entries: pages.slice(-6),
  });
  return atEc && esitoOk;
}

function cartFlow(o: { id: string; title: string; titleIt: string; press: 'pay' | 'cancel'; esito: 'OK' | 'ERROR'; reqs: string[] }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      spec(
        'cart-accepted',
        [
          'the cart the Nodo forwards (pspInviaCarrelloRPT) is accepted: esito OK with parametriPagamentoImmediato for the redirect to the payment page',
          'il carrello che il Nodo inoltra (pspInviaCarrelloRPT) è accettato: esito OK con parametriPagamentoImmediato per il reindirizzamento alla pagina di pagamento',
        ],
        'OLD-EC-PAY-03',
      ),
      spec(
        'way-back',
        [
          `the candidate's page, reached from WISP, sends the payer back through the Nodo to the EC's return URL with esito=${o.esito}`,
          `la pagina del candidato, raggiunta da WISP, rimanda il pagatore attraverso il Nodo all'URL di ritorno dell'EC con esito=${o.esito}`,
        ],
        'OLD-EC-PAY-03',
      ),
      spec(
        'rts',
        [
          `each RPT of the cart gets its ${o.press === 'pay' ? 'positive' : 'negative'} RT, accepted by the Nodo's checks against the RPT, consistent with the redirect's outcome`,
          `ogni RPT del carrello riceve la sua RT ${o.press === 'pay' ? 'positiva' : 'negativa'}, accettata dai controlli del Nodo rispetto alla RPT, coerente con l'esito del reindirizzamento`,
        ],
        o.reqs,
      ),
    ],
    async run(t) {
      const c = await cartAtWisp(t, { amountsCents: [1800, 2700] });
      const { payer, positions, recs, mark, chosen } = c;
      const steps: { url?: string; problem?: string } = {};
      const forwarded = nodoToPsp(t, 'pspInviaCarrelloRPT', mark);
      const accepted = checkExchangeOk(t, 'cart-accepted', forwarded, ["the candidate's answer to pspInviaCarrelloRPT", 'la risposta del candidato a pspInviaCarrelloRPT']);
      const redirect = accepted && /<(?:[\w-]+:)?parametriPagamentoImmediato>[^<]+</.test(accepted.response?.raw ?? '');
      if (accepted && accepted.answer.outcome === 'OK' && !redirect) t.check({ id: 'cart-accepted', held: false, message: ['pspInviaCarrelloRPT answered OK without parametriPagamentoImmediato: WISP has no page to send the payer to', 'pspInviaCarrelloRPT con risposta OK senza parametriPagamentoImmediato: WISP non ha una pagina a cui mandare il pagatore'], entries: [accepted.request, accepted.response] });
      let back: PageVisit | undefined;
      if (chosen.problem) steps.problem = `WISP: ${chosen.problem}`;
      else {
        const r = o.press === 'pay' ? await payer.pay(STEP_MS) : await payer.cancel(STEP_MS);
        back = r.final;
        steps.problem = r.problem;
      }
      checkBackAtEc(t, 'way-back', c, back, o.esito, steps.problem);
      await t.settle();
      if (!recs.length) return t.check({ id: 'rts', held: false, message: ['the Nodo holds no RPT of the cart', 'il Nodo non ha alcuna RPT del carrello'] }) as never;
      const amounts = new Map(positions.map((p) => [p.iuv, p.amount]));
      for (const r of recs) await judgeRt(t, 'rts', { fiscalCode: r.idDominio, iuv: r.iuv, noticeNumber: `3${r.iuv}`, amountCents: amounts.get(r.iuv) ?? 0 }, r.ccp, mark, o.press === 'pay' ? 'positive' : 'negative', amounts.get(r.iuv) ?? 0);
    },
  };
}

export const ecStartedScenarios: Def[] = [
  cartFlow({
    id: 'PSP-OLD-CART-01',
    title: 'Cart started at the EC, paid on the PSP\'s page reached from WISP: the payer back at the EC with esito OK, a positive RT per RPT',
    titleIt: 'Carrello avviato dall\'EC, pagato sulla pagina del PSP raggiunta da WISP: il pagatore torna all\'EC con esito OK, una RT positiva per RPT',
    press: 'pay',
    esito: 'OK',
    reqs: ['OLD-EC-PAY-03', 'OLD-EC-ERR-07'],
  }),
  cartFlow({
    id: 'PSP-OLD-CART-02',
    title: 'Cart started at the EC, cancelled on the PSP\'s page: the payer back at the EC with esito ERROR, a negative RT per RPT (never a payment not made)',
    titleIt: 'Carrello avviato dall\'EC, annullato sulla pagina del PSP: il pagatore torna all\'EC con esito ERROR, una RT negativa per RPT (mai un pagamento non eseguito)',
    press: 'cancel',
    esito: 'ERROR',
    reqs: ['OLD-EC-PAY-03', 'OLD-PSP-ERR-12'],
  }),
];
