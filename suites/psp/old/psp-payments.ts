// Payments started at the PSP with a notice (modello 3, OLD-PSP-PAY-01..04, OLD-PSP-ERR-02..07): the
// candidate is asked (old-psp-pay / -verify / -abandon) to pay a notice of the emulated EC; the harness
// judges its nodoVerificaRPT / nodoAttivaRPT, its answer to the RPT the Nodo forwards (pspInviaRPT),
// the RT it sends and what it reports. Positions in the states the EC refuses show that the PSP stops
// (no second activation, no RT, no payment reported) — and re-activates with the returned amount
// after PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO (L1707-1720).
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { PositionState } from '../../../domain/common.js';
import type { OldNotice, OldPspContext } from '../../../seats/psp-old.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { type Bi, both, joinSaid } from '../../../src/core/text.js';
import { aboutIuv, ccpOf, checkExchangeOk, nodoToPsp, pspCalls, rptsOf } from './lib.js';
import { judgeReport, judgeRt } from './judge.js';
import { drainQueue, pullChannel, rtsGiven } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old', feature: 'pspStarted' as const };

/** Pays `n` at the candidate and judges the whole path to the RT (positive unless `abandon`). */
async function payAtPsp(t: OldPspContext, n: OldNotice, o: { verify: boolean; abandon?: boolean; printedCents?: number; req: string }): Promise<void> {
  const ask = await t.ask(o.abandon ? 'old-psp-abandon' : 'old-psp-pay', n, { verify: o.verify, amountCents: o.printedCents ?? n.amountCents });
  const attivaDone = await t.waitEntry((e) => e.direction === 'response' && e.from === 'nodo' && e.to === 'psp' && e.primitive === 'nodoAttivaRPT', ask.mark, 'nodoAttivaRPT');
  if (!attivaDone) {
    return t.inconclusive([
      `the candidate never acted: no nodoAttivaRPT at the harness's Nodo within ${t.deadlineMs} ms of the trigger (${ask.request.action})`,
      `il candidato non ha mai agito: nessuna nodoAttivaRPT al Nodo del collaudo entro ${t.deadlineMs} ms dal trigger (${ask.request.action})`,
    ]);
  }
  const verifies = pspCalls(t, 'nodoVerificaRPT', ask.mark, aboutIuv(n.iuv));
  if (o.verify) checkExchangeOk(t, 'verify', verifies, ['nodoVerificaRPT', 'nodoVerificaRPT']);
  const attiva = checkExchangeOk(t, 'attiva', pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(n.iuv)), ['nodoAttivaRPT', 'nodoAttivaRPT']);
  if (!attiva || attiva.answer.outcome !== 'OK') return;
  const ccp = ccpOf(attiva.request);
  // the EC's RPT, forwarded by the Nodo with pspInviaRPT (modello 4)
  await t.waitEntry((e) => e.direction === 'response' && e.to === 'nodo' && e.primitive === 'pspInviaRPT' && aboutIuv(n.iuv)(e), ask.mark, 'pspInviaRPT');
  checkExchangeOk(t, 'rpt-accepted', nodoToPsp(t, 'pspInviaRPT', ask.mark, aboutIuv(n.iuv)), ["the candidate's answer to pspInviaRPT (the EC's RPT after the activation)", "la risposta del candidato a pspInviaRPT (la RPT dell'EC dopo l'attivazione)"]);
  await judgeRt(t, 'rt', n, ccp, ask.mark, o.abandon ? 'negative' : 'positive', n.amountCents);
  const rts = rtsGiven(t, n.iuv, ask.mark);
  await judgeReport(t, 'report', ask, o.abandon ? 'not-paid' : 'paid', o.abandon ? undefined : n.amountCents, [attiva.request, attiva.response, ...rts.flatMap((r) => [r.request, r.response])]);
}

const payChecks = (req: string, level: 'MUST' | 'SHOULD' = 'MUST') => [
  spec('attiva', ['nodoAttivaRPT for the notice is well formed and authorised: the Nodo answers esito OK', "la nodoAttivaRPT per l'avviso è ben formata e autorizzata: il Nodo risponde esito OK"], req, level),
  spec('rpt-accepted', ['the RPT the EC sends after the activation (pspInviaRPT, modello 4) is accepted: esito OK', "la RPT che l'EC invia dopo l'attivazione (pspInviaRPT, modello 4) è accettata: esito OK"], req, level),
  spec(
    'rt',
    [
      "the RT for the RPT reaches the Nodo (nodoInviaRT OK, or the PULL queue) with the RPT's keys, codiceEsitoPagamento and the amount of the RPT, attested by the candidate",
      "la RT per la RPT giunge al Nodo (nodoInviaRT OK, o la coda PULL) con le chiavi della RPT, codiceEsitoPagamento e l'importo della RPT, attestata dal candidato",
    ],
    req,
    level,
  ),
  spec('report', ['the candidate reports the payment it made (paid, the activated amount) — never a payment it did not make', "il candidato riporta il pagamento eseguito (pagato, l'importo attivato) — mai un pagamento non eseguito"], req, level),
];

const pay01: Def = {
  id: 'PSP-OLD-PAY-01',
  title: 'Payment at the PSP with a notice: activation first (nodoAttivaRPT), the EC\'s RPT accepted, the positive RT',
  titleIt: 'Pagamento presso il PSP con avviso: prima l\'attivazione (nodoAttivaRPT), la RPT dell\'EC accettata, la RT positiva',
  ...MODEL,
  checks: payChecks('OLD-PSP-PAY-01'),
  async run(t) {
    await payAtPsp(t, t.position({ amountCents: 15050 }), { verify: false, req: 'OLD-PSP-PAY-01' });
  },
};

const pay02: Def = {
  id: 'PSP-OLD-PAY-02',
  title: 'Payment at the PSP with a notice: verification (nodoVerificaRPT), then the activation with the EC\'s amount and the RT',
  titleIt: 'Pagamento presso il PSP con avviso: verifica (nodoVerificaRPT), poi l\'attivazione con l\'importo dell\'EC e la RT',
  ...MODEL,
  checks: [
    spec('verify', ['nodoVerificaRPT for the notice is answered esito OK (a well-formed, authorised request)', "la nodoVerificaRPT per l'avviso riceve risposta esito OK (una richiesta ben formata e autorizzata)"], 'OLD-PSP-PAY-02', 'SHOULD'),
    ...payChecks('OLD-PSP-PAY-02', 'SHOULD'),
  ],
  async run(t) {
    // the printed amount differs: the EC's, returned by the verification, prevails (L1707)
    const n = t.position({ amountCents: 9900 });
    await payAtPsp(t, n, { verify: true, printedCents: 8800, req: 'OLD-PSP-PAY-02' });
  },
};

const pay03: Def = {
  id: 'PSP-OLD-PAY-03',
  title: 'Verification only, the payer declines: nodoVerificaRPT and no activation',
  titleIt: 'Sola verifica, il pagatore rinuncia: nodoVerificaRPT e nessuna attivazione',
  ...MODEL,
  checks: [
    spec('verify', ['nodoVerificaRPT for the notice is answered esito OK', "la nodoVerificaRPT per l'avviso riceve risposta esito OK"], 'OLD-PSP-PAY-03', 'MAY'),
    spec('no-attiva', ['no nodoAttivaRPT follows a verification the payer declined, and no RT', 'nessuna nodoAttivaRPT segue una verifica a cui il pagatore ha rinunciato, e nessuna RT'], 'OLD-PSP-PAY-03', 'MAY'),
    // an activation made anyway is one the payer did not authorise: only a negative RT may follow (PAY-04)
    spec('not-charged', ['the payer who declined is not charged: no positive RT, no payment reported', 'al pagatore che ha rinunciato non viene addebitato nulla: nessuna RT positiva, nessun pagamento riportato'], ['OLD-PSP-PAY-04', 'OLD-PSP-PAY-03']),
  ],
  async run(t) {
    const n = t.position({ amountCents: 4200 });
    const ask = await t.ask('old-psp-verify', n, { amountCents: n.amountCents });
    const seen = await t.waitEntry((e) => e.direction === 'response' && e.from === 'nodo' && e.primitive === 'nodoVerificaRPT', ask.mark, 'nodoVerificaRPT');
    if (!seen) return t.inconclusive([`the candidate never acted: no nodoVerificaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoVerificaRPT entro ${t.deadlineMs} ms dal trigger`]);
    const v = checkExchangeOk(t, 'verify', pspCalls(t, 'nodoVerificaRPT', ask.mark, aboutIuv(n.iuv)), ['nodoVerificaRPT', 'nodoVerificaRPT']);
    await t.done(ask);
    await drainQueue(t);
    const rts = rtsGiven(t, n.iuv, ask.mark);
    const after = [...pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(n.iuv)).map((x) => x.request), ...rts.map((r) => r.request)];
    t.check({
      id: 'no-attiva',
      held: after.length === 0,
      message: after.length
        ? [
            `the candidate went on after the payer declined: ${after.map((x) => (x.primitive === 'pspChiediRT' ? 'an RT in its PULL queue' : x.primitive)).join(', ')}`,
            `il candidato è andato avanti dopo la rinuncia del pagatore: ${after.map((x) => (x.primitive === 'pspChiediRT' ? 'una RT nella sua coda PULL' : x.primitive)).join(', ')}`,
          ]
        : [
            `after the verification the candidate sent no nodoAttivaRPT and no RT${pullChannel(t) ? ' (none in its PULL queue)' : ''}`,
            `dopo la verifica il candidato non ha inviato alcuna nodoAttivaRPT né alcuna RT${pullChannel(t) ? ' (nessuna nella sua coda PULL)' : ''}`,
          ],
      entries: [v?.request, v?.response, ...after],
    });
    const positive = rts.filter((r) => r.esito === '0');
    const report = await t.report(ask);
    const charged = positive.length > 0 || report?.result === 'paid';
    const paidReport = report?.result === 'paid';
    t.check({
      id: 'not-charged',
      held: !charged,
      message: charged
        ? [
            `the payer declined, yet ${positive.length ? `${positive.length} positive RT(s) were pushed` : ''}${positive.length && paidReport ? ' and ' : ''}${paidReport ? 'the report says paid' : ''}`,
            `il pagatore ha rinunciato, eppure ${positive.length ? `il candidato ha inviato ${positive.length} RT positive` : ''}${positive.length && paidReport ? ' e ' : ''}${paidReport ? 'il resoconto dice "paid"' : ''}`,
          ]
        : [`no positive RT, report ${report?.result ?? 'none'}`, `nessuna RT positiva, resoconto ${report ? `"${report.result}"` : 'assente'}`],
      entries: [v?.request, v?.response, ...rts.map((r) => r.request)],
    });
  },
};

const pay04: Def = {
  id: 'PSP-OLD-PAY-04',
  title: 'Activation done, the payer does not authorise: a negative RT for the EC\'s RPT',
  titleIt: 'Attivazione eseguita, il pagatore non autorizza: RT negativa per la RPT dell\'EC',
  ...MODEL,
  checks: [
    spec('attiva', ['nodoAttivaRPT for the notice is answered esito OK', "la nodoAttivaRPT per l'avviso riceve risposta esito OK"], 'OLD-PSP-PAY-04'),
    spec('rpt-accepted', ["the EC's RPT after the activation is accepted (pspInviaRPT esito OK)", "la RPT dell'EC dopo l'attivazione è accettata (pspInviaRPT esito OK)"], 'OLD-PSP-PAY-04'),
    spec('rt', ['a negative RT (codiceEsitoPagamento 1, importoTotalePagato 0.00) reaches the Nodo for the RPT', 'una RT negativa (codiceEsitoPagamento 1, importoTotalePagato 0.00) giunge al Nodo per la RPT'], 'OLD-PSP-PAY-04'),
    spec('report', ['the candidate reports no payment', 'il candidato non riporta alcun pagamento'], 'OLD-PSP-PAY-04'),
  ],
  async run(t) {
    await payAtPsp(t, t.position({ amountCents: 3100 }), { verify: false, abandon: true, req: 'OLD-PSP-PAY-04' });
  },
};

/** A position the EC refuses: the PSP stops at the refusal (one activation, no RT, nothing paid). */
function refused(o: { id: string; req: string; code: string; state?: PositionState; unknown?: boolean; title: string; titleIt: string }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      spec('asked', [`the candidate asks the Nodo for the notice (nodoVerificaRPT or nodoAttivaRPT) and gets the EC's refusal ${o.code} relayed`, `il candidato chiede l'avviso al Nodo (nodoVerificaRPT o nodoAttivaRPT) e riceve inoltrato il rifiuto ${o.code} dell'EC`], o.req),
      spec('stops', ['after the refusal the candidate activates no other time, sends no RT and reports no payment', 'dopo il rifiuto il candidato non attiva di nuovo, non invia alcuna RT e non riporta alcun pagamento'], o.req),
    ],
    async run(t) {
      const n = o.unknown ? t.unknownNotice() : t.position({ state: o.state, amountCents: 7000 });
      const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
      const seen = await t.waitEntry((e) => e.direction === 'response' && e.from === 'nodo' && (e.primitive === 'nodoAttivaRPT' || e.primitive === 'nodoVerificaRPT'), ask.mark, 'nodoAttivaRPT');
      if (!seen) return t.inconclusive([`the candidate never acted: no nodoVerificaRPT / nodoAttivaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoVerificaRPT / nodoAttivaRPT entro ${t.deadlineMs} ms dal trigger`]);
      await t.done(ask);
      const calls = [...pspCalls(t, 'nodoVerificaRPT', ask.mark, aboutIuv(n.iuv)), ...pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(n.iuv))].sort((a, b) => a.request.seq - b.request.seq);
      const first = calls[0];
      if (!first) return t.inconclusive([`the candidate's calls named another notice: no nodoVerificaRPT / nodoAttivaRPT for IUV ${n.iuv}`, `le chiamate del candidato indicavano un altro avviso: nessuna nodoVerificaRPT / nodoAttivaRPT per lo IUV ${n.iuv}`]);
      const relayed = first.answer.outcome === 'KO' && (first.answer.fault?.faultCode === o.code || (first.answer.fault?.faultCode === 'PPT_ERRORE_EMESSO_DA_PAA' && (first.answer.fault as { originalFaultCode?: string }).originalFaultCode === o.code) || (first.response?.raw ?? '').includes(o.code));
      const [got, gotIt] = answerSaid(first.answer, 'esito');
      t.check({
        id: 'asked',
        held: relayed,
        message: relayed
          ? [`${first.request.primitive}: KO ${first.answer.fault?.faultCode} (${o.code})`, `${first.request.primitive}: KO ${first.answer.fault?.faultCode} (${o.code})`]
          : [`${first.request.primitive}: ${got}, expected the EC's ${o.code} (the harness's EC was set up for it)`, `${first.request.primitive}: ${gotIt}, atteso ${o.code} dell'EC (l'EC del collaudo era predisposto per questo)`],
        entries: [first.request, first.response],
      });
      if (!relayed) return;
      const activations = calls.filter((c) => c.request.primitive === 'nodoAttivaRPT');
      await drainQueue(t);
      const rts = rtsGiven(t, n.iuv, ask.mark);
      const report = await t.report(ask);
      const problems: Bi[] = [
        ...(activations.length > 1 ? [[`${activations.length} nodoAttivaRPT`, `${activations.length} nodoAttivaRPT`] as Bi] : []),
        ...(rts.length ? [[`${rts.length} RT(s) (${rts.map((r) => r.how).join(', ')})`, `${rts.length} RT (${rts.map((r) => r.how).join(', ')})`] as Bi] : []),
        ...(report?.result === 'paid' ? [['the trigger report says paid', 'il resoconto del trigger dice "paid"'] as Bi] : []),
      ];
      const went = joinSaid(problems, ', ');
      t.check({
        id: 'stops',
        held: !problems.length,
        message: problems.length
          ? [`after ${o.code} the candidate went on: ${went[0]}`, `dopo ${o.code} il candidato è andato avanti: ${went[1]}`]
          : [`after ${o.code}: no further activation, no RT${report ? `, report ${report.result}` : ''}`, `dopo ${o.code}: nessuna ulteriore attivazione, nessuna RT${report ? `, resoconto "${report.result}"` : ''}`],
        entries: [...calls.map((c) => c.request), ...rts.map((r) => r.request)],
      });
    },
  };
}

const errs: Def[] = [
  refused({ id: 'PSP-OLD-ERR-02', req: 'OLD-PSP-ERR-02', code: 'PAA_PAGAMENTO_SCONOSCIUTO', unknown: true, title: 'Notice unknown to the EC (PAA_PAGAMENTO_SCONOSCIUTO): the PSP stops', titleIt: 'Avviso sconosciuto all\'EC (PAA_PAGAMENTO_SCONOSCIUTO): il PSP si ferma' }),
  refused({ id: 'PSP-OLD-ERR-03', req: 'OLD-PSP-ERR-03', code: 'PAA_PAGAMENTO_DUPLICATO', state: 'paid', title: 'Notice already paid (PAA_PAGAMENTO_DUPLICATO): the PSP stops, no second payment', titleIt: 'Avviso già pagato (PAA_PAGAMENTO_DUPLICATO): il PSP si ferma, nessun secondo pagamento' }),
  refused({ id: 'PSP-OLD-ERR-04', req: 'OLD-PSP-ERR-04', code: 'PAA_PAGAMENTO_IN_CORSO', state: 'in-progress', title: 'Payment in progress (PAA_PAGAMENTO_IN_CORSO): the PSP stops', titleIt: 'Pagamento in corso (PAA_PAGAMENTO_IN_CORSO): il PSP si ferma' }),
  refused({ id: 'PSP-OLD-ERR-05', req: 'OLD-PSP-ERR-05', code: 'PAA_PAGAMENTO_ANNULLATO', state: 'cancelled', title: 'Notice annulled (PAA_PAGAMENTO_ANNULLATO): the PSP stops', titleIt: 'Avviso annullato (PAA_PAGAMENTO_ANNULLATO): il PSP si ferma' }),
  refused({ id: 'PSP-OLD-ERR-06', req: 'OLD-PSP-ERR-06', code: 'PAA_PAGAMENTO_SCADUTO', state: 'expired', title: 'Notice expired (PAA_PAGAMENTO_SCADUTO): the PSP stops', titleIt: 'Avviso scaduto (PAA_PAGAMENTO_SCADUTO): il PSP si ferma' }),
];

const err07: Def = {
  id: 'PSP-OLD-ERR-07',
  title: 'Activation with the printed amount refused (PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO): the PSP re-activates with the amount the EC returned',
  titleIt: 'Attivazione con l\'importo stampato rifiutata (PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO): il PSP riattiva con l\'importo restituito dall\'EC',
  ...MODEL,
  checks: [
    spec('refused', ["the first nodoAttivaRPT, with the printed amount, gets the EC's PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO relayed", "la prima nodoAttivaRPT, con l'importo stampato, riceve inoltrato PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO dell'EC"], 'OLD-PSP-ERR-07'),
    spec('reactivated', ['the PSP activates again, once, with the amount of datiPagamentoPA, and the Nodo answers OK', "il PSP attiva di nuovo, una sola volta, con l'importo di datiPagamentoPA, e il Nodo risponde OK"], 'OLD-PSP-ERR-07'),
    spec('rt', ['the RT pays the amount the EC returned', "la RT paga l'importo restituito dall'EC"], 'OLD-PSP-ERR-07'),
  ],
  async run(t) {
    const n = t.position({ amountCents: 13500 });
    const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: 12000 });
    const seen = await t.waitEntry((e) => e.direction === 'response' && e.from === 'nodo' && e.primitive === 'nodoAttivaRPT', ask.mark, 'nodoAttivaRPT');
    if (!seen) return t.inconclusive([`the candidate never acted: no nodoAttivaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoAttivaRPT entro ${t.deadlineMs} ms dal trigger`]);
    await t.done(ask);
    const acts = pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(n.iuv));
    const first = acts[0];
    if (!first) return t.inconclusive([`the candidate's calls named another notice: no nodoAttivaRPT for IUV ${n.iuv}`, `le chiamate del candidato indicavano un altro avviso: nessuna nodoAttivaRPT per lo IUV ${n.iuv}`]);
    const refusedHeld = first.answer.outcome === 'KO' && (first.response?.raw ?? '').includes('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO');
    const [got, gotIt] = answerSaid(first.answer, 'esito');
    t.check({
      id: 'refused',
      held: refusedHeld,
      message: refusedHeld
        ? ['nodoAttivaRPT with the printed amount: KO PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', "nodoAttivaRPT con l'importo stampato: KO PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO"]
        : [`nodoAttivaRPT with the printed amount: ${got} (the harness's EC expected another amount)`, `nodoAttivaRPT con l'importo stampato: ${gotIt} (l'EC del collaudo attendeva un altro importo)`],
      entries: [first.request, first.response],
    });
    if (!refusedHeld) return;
    const second = acts[1];
    const amountOk = !!second && /<(?:[\w-]+:)?importoSingoloVersamento>135\.00</.test(second.request.raw);
    t.check({
      id: 'reactivated',
      held: acts.length === 2 && amountOk && second!.answer.outcome === 'OK',
      message: !second
        ? ['no second nodoAttivaRPT after PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', 'nessuna seconda nodoAttivaRPT dopo PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO']
        : acts.length > 2
          ? [`${acts.length} activations`, `${acts.length} attivazioni`]
          : !amountOk
            ? ['the second nodoAttivaRPT does not carry the amount the EC returned (135.00)', "la seconda nodoAttivaRPT non riporta l'importo restituito dall'EC (135.00)"]
            : both((l) => `${l === 'en' ? 'second nodoAttivaRPT with' : 'seconda nodoAttivaRPT con'} 135.00: ${answerSaid(second.answer, 'esito')[l === 'en' ? 0 : 1]}`),
      entries: acts.flatMap((a) => [a.request, a.response]),
    });
    if (second?.answer.outcome === 'OK') await judgeRt(t, 'rt', n, ccpOf(second.request), ask.mark, 'positive', n.amountCents);
  },
};

export const pspPaymentScenarios: Def[] = [pay01, pay02, pay03, pay04, ...errs, err07];
export { rptsOf };
