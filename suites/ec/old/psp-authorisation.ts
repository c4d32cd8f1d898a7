// Authorisation managed by the PSP (catalogue OLD-EC-PAY-04, feature pspAuthorisation; seed L356-361,
// L1201, L1500-1507, L1525-1529): the candidate's cart goes to WISP, the payer chooses the harness
// PSP's channel of payment model 2, whose pspInviaCarrelloRPT answer carries no redirect; WISP's
// thank-you page sends the payer back to the EC with esito DIFFERITO, the payer authorises with the
// PSP outside pagoPA (home banking, app, or a manleva given beforehand: then the EC puts the payer's
// IBAN in ibanAddebito, L1529) and the PSP's RTs reach the EC later with paaInviaRT. Judged black-box:
// the cart, the return page, the RTs taken, and for a manleva the RPTs' ibanAddebito.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { makeIban } from '../../../domain/common.js';
import { HARNESS_PSP_AUTH_CHANNEL } from '../../../domain/harness-parties.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { cartChecks, cartOf, judgeReturn, judgeRts, payThroughWisp } from './ec-payments.js';

type Def = ScenarioDef<OldEcContext>;
const MODEL = { seat: 'ec' as const, model: 'old', feature: 'pspAuthorisation' as const };

/** The account of a payer who signed a manleva with the harness's PSP for this EC's payments (no EC's own account). */
export const MANLEVA_IBAN = makeIban('IT', 'U0300203280000400162854');

/** What every RPT of the cart gives as ibanAddebito, against the payer's IBAN the EC was told (L1529). */
function judgeIbanAddebito(t: OldEcContext, id: string, keys: string[], exchange: number, iban: string): void {
  const recs = t.nodo.rpts().filter((r) => keys.includes(r.key));
  const wrong = recs.filter((r) => r.rpt.doc.datiVersamento.ibanAddebito !== iban);
  const entries = t.journal.filter((e) => e.exchange === exchange && e.direction === 'request' && e.primitive === 'nodoInviaCarrelloRPT#RPT');
  if (!recs.length) return t.notExercised(id, ['the Nodo holds no RPT of the cart', 'il Nodo non ha alcuna RPT del carrello'], entries);
  t.check({
    id,
    held: !wrong.length,
    message: wrong.length
      ? [
          wrong.map((r) => `RPT ${r.iuv}/${r.ccp}: ibanAddebito ${r.rpt.doc.datiVersamento.ibanAddebito ?? '(absent)'}, the payer's IBAN is ${iban}`).join('; '),
          wrong.map((r) => `RPT ${r.iuv}/${r.ccp}: ibanAddebito ${r.rpt.doc.datiVersamento.ibanAddebito ?? '(assente)'}, l'IBAN del pagatore è ${iban}`).join('; '),
        ]
      : [`every RPT (${recs.length}) carries ibanAddebito ${iban}`, `ogni RPT (${recs.length}) riporta ibanAddebito ${iban}`],
    entries,
  });
}

function flow(o: { id: string; title: string; titleIt: string; manleva: boolean }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      ...cartChecks(['OLD-EC-PAY-04']),
      ...(o.manleva ? [spec('iban-addebito', ["for a payer with a manleva, every RPT carries the payer's IBAN in datiVersamento/ibanAddebito (L1529)", "per un pagatore con manleva, ogni RPT riporta l'IBAN del pagatore in datiVersamento/ibanAddebito (L1529)"], 'OLD-EC-PAY-04')] : []),
      spec('return-page', ["the PSP answers without redirect (L1502): back from WISP with esito=DIFFERITO, the EC's return page answers HTTP 200", "il PSP risponde senza re-indirizzamento (L1502): di ritorno da WISP con esito=DIFFERITO, la pagina di ritorno dell'EC risponde HTTP 200"], 'OLD-EC-PAY-04'),
      spec('rts-ok', ["the RTs the PSP sends once the payer authorised outside pagoPA are answered esito OK (L1508-1512)", 'le RT che il PSP invia dopo che il pagatore ha autorizzato fuori da pagoPA ricevono esito OK (L1508-1512)'], 'OLD-EC-PAY-04'),
    ],
    async run(t) {
      t.browser();
      const { cart, sent, wisp } = await cartOf(t, o.manleva ? { amountsCents: [3100], ibanAddebito: MANLEVA_IBAN } : { amountsCents: [1500, 2500] });
      if (o.manleva) judgeIbanAddebito(t, 'iban-addebito', cart.keys, sent.request.exchange, MANLEVA_IBAN);
      const keys = cart.keys.map((k) => t.nodo.rpts().find((r) => r.key === k)!).map((r) => ({ iuv: r.iuv, ccp: r.ccp }));
      const r = await payThroughWisp(t, wisp, 'outside', keys.length, `${t.psp.ids.idPSP}|${HARNESS_PSP_AUTH_CHANNEL.idChannel}`);
      judgeReturn(t, 'return-page', r.back, r.problem, cart.idSession, 'DIFFERITO');
      const atPsp = [...t.psp.store.carts.values()].find((c) => c.rpts.some((x) => x.iuv === keys[0]!.iuv && x.ccp === keys[0]!.ccp));
      if (!atPsp) {
        const why = r.problem ?? ['the payer did not get that far', 'il pagatore non è arrivato fin lì'];
        return t.inconclusive([`the cart never reached the PSP of model 2: ${why[0]}`, `il carrello non ha mai raggiunto il PSP del modello 2: ${why[1]}`]);
      }
      if (atPsp.rpts.some((x) => x.modelloPagamento !== 2)) return t.harnessError(`the Nodo sent the cart to the model-2 channel with modelloPagamento ${atPsp.rpts[0]!.modelloPagamento}`);
      // the payer authorises with the PSP outside pagoPA (or the manleva does): the PSP sends the RTs
      const mark = t.journal.entries.length;
      await t.psp.sendPendingRts(atPsp.id);
      for (const k of keys) await t.nodo.waitDelivery(t.station.idDominio, k.iuv, k.ccp).catch(() => undefined);
      judgeRts(t, 'rts-ok', keys, mark, ['paaInviaRT after the authorisation at the PSP', "paaInviaRT dopo l'autorizzazione presso il PSP"]);
    },
  };
}

const deferred = flow({
  id: 'EC-OLD-PSPAUTH-01',
  title: 'Authorisation managed by the PSP: the cart taken without redirect, esito DIFFERITO on the return page, the RTs accepted once the payer authorised',
  titleIt: "Autorizzazione gestita dal PSP: carrello preso in carico senza re-indirizzamento, esito DIFFERITO alla pagina di ritorno, le RT accettate dopo l'autorizzazione del pagatore",
  manleva: false,
});

const manleva = flow({
  id: 'EC-OLD-PSPAUTH-02',
  title: "Pre-authorised debit (manleva): the RPT carries the payer's IBAN in ibanAddebito, esito DIFFERITO, the RT accepted",
  titleIt: "Addebito pre-autorizzato (manleva): la RPT riporta l'IBAN del pagatore in ibanAddebito, esito DIFFERITO, la RT accettata",
  manleva: true,
});

export const pspAuthorisationScenarios: Def[] = [deferred, manleva];
