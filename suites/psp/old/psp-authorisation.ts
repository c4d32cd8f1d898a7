// Authorisation managed by the PSP (OLD-EC-PAY-04, modelloPagamento 2, L1201, L1500-1502, L1525-1529):
// the emulated EC's cart names WISP, the payer chooses the candidate's channel of payment model 2 in a
// real browser; the Nodo forwards the cart with modelloPagamento 2 and the candidate takes it without a
// redirect URL, so WISP tells the payer the payment is taken over and sends them back to the EC with
// esito DIFFERITO. The payer then authorises at the PSP outside pagoPA (home banking, app: the trigger
// old-psp-authorise) — or has already, under a manleva naming their account in ibanAddebito — and
// each RPT gets its positive RT, which the Nodo's checks accept.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { Bi } from '../../../src/core/text.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import { STEP_MS, cartAtWisp, checkBackAtEc } from './ec-started.js';
import { checkExchangeOk, nodoToPsp } from './lib.js';
import { judgeRt } from './judge.js';
import { drainQueue, rtsGiven } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old', feature: 'pspAuthorisation' as const };
const REQ = 'OLD-EC-PAY-04';

const CHECKS = (rts: Bi) => [
  spec(
    'cart-taken',
    [
      "the cart the Nodo forwards on the candidate's model-2 channel (pspInviaCarrelloRPT, modelloPagamento 2) is accepted: esito OK, no CANALE_* fault, and no parametriPagamentoImmediato — the redirect URL is null (L1502)",
      'il carrello che il Nodo inoltra sul canale di modello 2 del candidato (pspInviaCarrelloRPT, modelloPagamento 2) è accettato: esito OK, nessun fault CANALE_*, e nessun parametriPagamentoImmediato — l\'URL di redirect è nullo (L1502)',
    ],
    REQ,
  ),
  spec(
    'way-back',
    [
      'with no page to go to, WISP sends the payer back to the EC with esito=DIFFERITO (the outcome comes with the RT)',
      "senza una pagina a cui andare, WISP rimanda il pagatore all'EC con esito=DIFFERITO (l'esito arriva con la RT)",
    ],
    REQ,
  ),
  spec('rts', rts, REQ),
];

function authorisationFlow(o: { id: string; title: string; titleIt: string; manleva: boolean }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      ...CHECKS(
        o.manleva
          ? [
              "under a manleva (ibanAddebito in every RPT, L1529) the payment is authorised with the request: each RPT gets its positive RT without the payer acting, accepted by the Nodo's checks against the RPT",
              'con una manleva (ibanAddebito in ogni RPT, L1529) il pagamento è autorizzato con la richiesta: ogni RPT riceve la sua RT positiva senza che il pagatore agisca, accettata dai controlli del Nodo rispetto alla RPT',
            ]
          : [
              "no RT before the payer authorised; once the payer authorises at the PSP, each RPT gets its positive RT, accepted by the Nodo's checks against the RPT",
              'nessuna RT prima che il pagatore abbia autorizzato; quando il pagatore autorizza presso il PSP, ogni RPT riceve la sua RT positiva, accettata dai controlli del Nodo rispetto alla RPT',
            ],
      ),
    ],
    async run(t) {
      const authChannel = t.channel.authChannel;
      if (!authChannel) return t.notApplicable(['the profile declares features pspAuthorisation but no channel of payment model 2 (old.psp.authChannel.idChannel)', 'il profilo dichiara la funzionalità pspAuthorisation ma nessun canale del modello di pagamento 2 (old.psp.authChannel.idChannel)']);
      const iban = t.channel.manlevaIban;
      if (o.manleva && !iban) return t.notApplicable([
          'the profile names no payer account the PSP holds a manleva for (old.psp.authChannel.manlevaIban): the harness cannot put a pre-authorised ibanAddebito in the RPTs',
          'il profilo non indica alcun conto del pagatore per cui il PSP detenga una manleva (old.psp.authChannel.manlevaIban): il collaudo non può mettere un ibanAddebito preautorizzato nelle RPT',
        ]);
      const c = await cartAtWisp(t, { amountsCents: [2100, 3400], choice: `${t.channel.idPSP}|${authChannel}`, ...(o.manleva ? { ibanAddebito: iban } : {}) });
      const onChannel = nodoToPsp(t, 'pspInviaCarrelloRPT', c.mark, (e) => e.raw.includes(authChannel));
      const taken = checkExchangeOk(t, 'cart-taken', onChannel, [
        `the candidate's answer to pspInviaCarrelloRPT on channel ${authChannel} (modelloPagamento 2)`,
        `la risposta del candidato a pspInviaCarrelloRPT sul canale ${authChannel} (modelloPagamento 2)`,
      ]);
      const raw = taken?.response?.raw ?? '';
      if (taken && /<(?:[\w-]+:)?parametriPagamentoImmediato>[^<]+</.test(raw)) t.check({ id: 'cart-taken', held: false, message: [
            'pspInviaCarrelloRPT on the model-2 channel answered with parametriPagamentoImmediato: the PSP authorises outside pagoPA, its redirect URL must be null (L1502)',
            "pspInviaCarrelloRPT sul canale di modello 2 con risposta che contiene parametriPagamentoImmediato: il PSP autorizza fuori da pagoPA, il suo URL di redirect deve essere nullo (L1502)",
          ], entries: [taken.request, taken.response] });
      let back = c.chosen.final;
      let problem = c.chosen.problem;
      if (!problem) {
        const returnUrl = t.ec.oldUrls.returnUrl.split('?', 1)[0]!;
        const r = await c.payer.followUntil((hop) => hop.url.split('?', 1)[0] === returnUrl, STEP_MS);
        back = r.final;
        problem = r.problem;
      }
      checkBackAtEc(t, 'way-back', c, back, 'DIFFERITO', problem);
      if (!c.recs.length) return t.check({ id: 'rts', held: false, message: ['the Nodo holds no RPT of the cart', 'il Nodo non ha alcuna RPT del carrello'] }) as never;
      const amounts = new Map(c.positions.map((p) => [p.iuv, p.amount]));
      const notice = (r: (typeof c.recs)[number]) => ({ fiscalCode: r.idDominio, iuv: r.iuv, noticeNumber: `3${r.iuv}`, amountCents: amounts.get(r.iuv) ?? 0 });
      let since = c.mark;
      if (!o.manleva) {
        // a non-contextual authorisation (L1527): nothing is paid before the payer acts at the PSP
        await t.settle();
        await drainQueue(t);
        const early = c.recs.flatMap((r) => rtsGiven(t, r.iuv, c.mark));
        if (early.length) t.check({ id: 'rts', held: false, message: [`${early.length} RT(s) (${early.map((x) => x.how).join(', ')}) before the payer authorised the payment at the PSP`, `${early.length} RT (${early.map((x) => x.how).join(', ')}) prima che il pagatore autorizzasse il pagamento presso il PSP`], entries: early.flatMap((x) => [x.request, x.response]) });
        const first = c.recs[0]!;
        const idCarrello = /<(?:[\w-]+:)?identificativoCarrello>([^<]+)</.exec(raw)?.[1];
        const ask = await t.ask('old-psp-authorise', notice(first), { params: { ...(idCarrello ? { idCarrello } : {}), idDominio: first.idDominio, iuv: first.iuv, ccp: first.ccp }, note: 'the payer authorises the payment of the cart at the PSP (home banking, app)' });
        since = ask.mark;
        await t.done(ask);
      } else await t.settle();
      for (const r of c.recs) await judgeRt(t, 'rts', notice(r), r.ccp, since, 'positive', amounts.get(r.iuv) ?? 0);
    },
  };
}

export const pspAuthorisationScenarios: Def[] = [
  authorisationFlow({
    id: 'PSP-OLD-AUTH-01',
    title: 'Authorisation managed by the PSP (modelloPagamento 2): cart taken without redirect, the payer back at the EC with DIFFERITO, then authorises at the PSP: a positive RT per RPT',
    titleIt: 'Autorizzazione gestita dal PSP (modelloPagamento 2): carrello preso in carico senza redirect, il pagatore torna all\'EC con DIFFERITO, poi autorizza presso il PSP: una RT positiva per RPT',
    manleva: false,
  }),
  authorisationFlow({
    id: 'PSP-OLD-AUTH-02',
    title: 'Authorisation managed by the PSP under a manleva (ibanAddebito in the RPTs): cart taken without redirect, DIFFERITO at the EC, the positive RTs follow with no action of the payer',
    titleIt: 'Autorizzazione gestita dal PSP con manleva (ibanAddebito nelle RPT): carrello preso in carico senza redirect, DIFFERITO all\'EC, le RT positive seguono senza azione del pagatore',
    manleva: true,
  }),
];
