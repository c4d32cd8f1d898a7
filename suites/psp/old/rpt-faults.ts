// What goes wrong around a payment at the PSP (OLD-PSP-ERR-01, -08, -09, -10): the Nodo refuses the
// activation, or its answer cannot be used; the EC's RPT never comes after the activation; the Nodo
// sends the same RPT twice; an RPT breaks the activation's terms. The candidate must not crash, must
// not report a payment it did not make, must not pay twice, must refuse what it must refuse (CANALE_*)
// and, for an RPT it refused after an activation, send a negative RT (L1760-1770).
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { TransportFault } from '../../../src/core/faults.js';
import type { OldNotice, OldPspContext } from '../../../seats/psp-old.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { aboutIuv, callPsp, ccpOf, checkExchangeKo, checkExchangeOk, harnessRpt, nodoToPsp, pspCalls, pspInviaRptContent, resendToPsp, usable } from './lib.js';
import { type GivenRt, awaitRt, drainQueue, pullChannel, rtsGiven } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old', feature: 'pspStarted' as const };

/** Asks the payment and waits for the candidate's activation at the Nodo; its CCP. */
async function activated(t: OldPspContext, n: OldNotice): Promise<{ ccp: string; mark: number; ask: Awaited<ReturnType<OldPspContext['ask']>> }> {
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  const answered = t.journal.waitFor((e) => e.seq > mark && e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoAttivaRPT' && aboutIuv(n.iuv)(e), t.deadlineMs, 'nodoAttivaRPT');
  const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
  const e = await answered.catch(() => undefined);
  const req = e && t.journal.entries.find((x) => x.exchange === e.exchange && x.direction === 'request');
  const ccp = ccpOf(req);
  if (!ccp) return t.inconclusive(neverActed(t));
  return { ccp, mark, ask };
}

/** The RTs the candidate gave for this IUV after `since` (pushed, or taken from its PULL queue after one more round of the Nodo's poll). */
async function givenRts(t: OldPspContext, iuv: string, since: number): Promise<GivenRt[]> {
  await drainQueue(t);
  return rtsGiven(t, iuv, since);
}

const viaOf = (rts: GivenRt[]): Bi => (rts.some((r) => r.how === 'pull') ? [' (PULL queue included)', ' (coda PULL compresa)'] : ['', '']);

/** The scenario's INCONCLUSIVE when the trigger brought no activation. */
const neverActed = (t: OldPspContext): Bi => [`the candidate never acted: no nodoAttivaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoAttivaRPT entro ${t.deadlineMs} ms dal trigger`];

const err08: Def = {
  id: 'PSP-OLD-ERR-08',
  title: 'The EC\'s RPT never arrives after the activation: the PSP sends no RT it cannot build',
  titleIt: 'La RPT dell\'EC non arriva dopo l\'attivazione: il PSP non invia una RT che non può costruire',
  ...MODEL,
  checks: [
    spec(
      'no-rt',
      [
        'without the RPT the PSP pushes no RT for the activation (the payment goes to the FdR with code 9 and the Tavolo Operativo, declared)',
        "senza la RPT il PSP non invia alcuna RT per l'attivazione (il pagamento va nel FdR con codice 9 e al Tavolo Operativo, dichiarato)",
      ],
      'OLD-PSP-ERR-08',
      'MAY',
    ),
  ],
  async run(t) {
    await t.withEcBehaviour('old-rpt-never-sent', async () => {
      const n = t.position({ amountCents: 2300 });
      const { mark, ask } = await activated(t, n);
      await t.done(ask);
      const acts = pspCalls(t, 'nodoAttivaRPT', mark, aboutIuv(n.iuv));
      const rts = await givenRts(t, n.iuv, mark);
      const rpts = nodoToPsp(t, 'pspInviaRPT', mark, aboutIuv(n.iuv));
      if (rpts.length) return t.harnessError('the emulated EC sent its RPT although it was told not to');
      const hows = rts.map((r) => r.how).join(', ');
      t.check({
        id: 'no-rt',
        held: rts.length === 0,
        message: rts.length
          ? [`${rts.length} RT(s) (${hows}) for an activation whose RPT never came`, `${rts.length} RT (${hows}) per un'attivazione la cui RPT non è mai arrivata`]
          : [
              `no RT given for the activation whose RPT never came${pullChannel(t) ? ' (none pushed, none in the PULL queue)' : ''}`,
              `nessuna RT fornita per l'attivazione la cui RPT non è mai arrivata${pullChannel(t) ? ' (nessuna inviata in push, nessuna nella coda PULL)' : ''}`,
            ],
        entries: [...acts.flatMap((a) => [a.request, a.response]), ...rts.flatMap((r) => [r.request, r.response])],
      });
    });
  },
};

const err09: Def = {
  id: 'PSP-OLD-ERR-09',
  title: 'The same RPT forwarded twice: the second pspInviaRPT is refused CANALE_RPT_DUPLICATA, no second RT',
  titleIt: 'La stessa RPT inoltrata due volte: la seconda pspInviaRPT è rifiutata CANALE_RPT_DUPLICATA, nessuna seconda RT',
  ...MODEL,
  checks: [
    spec('first', ["the RPT after the activation is accepted (pspInviaRPT esito OK)", "la RPT dopo l'attivazione è accettata (pspInviaRPT esito OK)"], 'OLD-PSP-ERR-09'),
    spec('duplicate', ['the same RPT sent again is refused: KO CANALE_RPT_DUPLICATA (V-18)', 'la stessa RPT inviata di nuovo è rifiutata: KO CANALE_RPT_DUPLICATA (V-18)'], 'OLD-PSP-ERR-09'),
    spec('one-rt', ['one RT for the RPT: the duplicate starts no second payment', 'una sola RT per la RPT: il duplicato non avvia un secondo pagamento'], 'OLD-PSP-ERR-09'),
  ],
  async run(t) {
    const n = t.position({ amountCents: 3300 });
    const { ccp, mark, ask } = await activated(t, n);
    await awaitRt(t, n.iuv, ccp, mark);
    const first = checkExchangeOk(t, 'first', nodoToPsp(t, 'pspInviaRPT', mark, aboutIuv(n.iuv)), ['pspInviaRPT', 'pspInviaRPT']);
    if (!first) return;
    checkExchangeKo(t, 'duplicate', [await resendToPsp(t, first.request, 'the same RPT again (OLD-PSP-ERR-09)')], ['CANALE_RPT_DUPLICATA'], ['the same pspInviaRPT sent again', 'la stessa pspInviaRPT inviata di nuovo']);
    await t.done(ask);
    const rts = await givenRts(t, n.iuv, mark);
    const positives = rts.filter((r) => r.esito === '0');
    const distinct = new Set(rts.map((r) => r.b64)).size;
    const via = viaOf(rts);
    t.check({
      id: 'one-rt',
      held: positives.length <= 1 && distinct <= 1,
      message: [
        `${rts.length} RT(s) given${via[0]} (${positives.length} positive)${distinct > 1 ? ' — distinct RTs for one RPT' : ''}`,
        `RT fornite${via[1]}: ${rts.length} (positive: ${positives.length})${distinct > 1 ? ' — RT distinte per una sola RPT' : ''}`,
      ],
      entries: rts.flatMap((r) => [r.request, r.response]),
    });
  },
};

const err10: Def = {
  id: 'PSP-OLD-ERR-10',
  title: 'An RPT that breaks the activation\'s terms (tipoVersamento not PO, another amount): refused CANALE_SEMANTICA, then a negative RT',
  titleIt: 'Una RPT che non rispetta l\'attivazione (tipoVersamento diverso da PO, altro importo): rifiutata CANALE_SEMANTICA, poi una RT negativa',
  ...MODEL,
  checks: [
    spec('refused', ['pspInviaRPT with the bent RPT is refused: KO CANALE_SEMANTICA (or CANALE_SINTASSI_*)', 'pspInviaRPT con la RPT alterata è rifiutata: KO CANALE_SEMANTICA (o CANALE_SINTASSI_*)'], 'OLD-PSP-ERR-10'),
    spec('negative-rt', ['a negative RT (codiceEsitoPagamento 1) follows for the refused RPT, and no positive one', 'segue una RT negativa (codiceEsitoPagamento 1) per la RPT rifiutata, e nessuna positiva'], 'OLD-PSP-ERR-10'),
  ],
  async run(t) {
    await t.withEcBehaviour('old-rpt-never-sent', async () => {
      const n = t.position({ amountCents: 4100 });
      const { ccp, mark, ask } = await activated(t, n);
      // the harness, as the Nodo, forwards an RPT for the activation's keys with BBT and 1.00 more
      const bent = harnessRpt(t, { idDominio: n.fiscalCode, iuv: n.iuv, ccp }, n.amountCents + 100, 'BBT');
      const x = await callPsp(t, 'pspInviaRPT', pspInviaRptContent(t, bent), 'an RPT that breaks the activation (OLD-PSP-ERR-10)');
      checkExchangeKo(t, 'refused', [x], ['CANALE_SEMANTICA', 'CANALE_SINTASSI_XSD', 'CANALE_SINTASSI_EXTRAXSD'], ['pspInviaRPT (tipoVersamento BBT, amount +1.00)', 'pspInviaRPT (tipoVersamento BBT, importo +1.00)']);
      await awaitRt(t, n.iuv, ccp, mark);
      await t.done(ask);
      const rts = await givenRts(t, n.iuv, mark);
      const held = rts.some((r) => r.esito === '1') && !rts.some((r) => r.esito === '0');
      const via = viaOf(rts);
      t.check({
        id: 'negative-rt',
        held,
        message: rts.length
          ? [`RTs given${via[0]}: ${rts.map((r) => `codiceEsitoPagamento ${r.esito ?? '(unreadable)'}`).join(', ')}`, `RT fornite${via[1]}: ${rts.map((r) => `codiceEsitoPagamento ${r.esito ?? '(illeggibile)'}`).join(', ')}`]
          : ['no RT given for the refused RPT', 'nessuna RT fornita per la RPT rifiutata'],
        entries: rts.flatMap((r) => [r.request, r.response]),
      });
    });
  },
};

/** The Nodo's answer to the activation distorted or negative: the candidate stays sane. */
function badActivation(o: { id: string; title: string; titleIt: string; fault?: TransportFault; foreignEc?: boolean }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    checks: [
      spec(
        'no-payment',
        [
          'after an activation refused or unusable the candidate reports no payment and sends no positive RT (a negative one for an RPT that still comes is right)',
          "dopo un'attivazione rifiutata o inutilizzabile il candidato non riporta alcun pagamento e non invia alcuna RT positiva (una negativa per una RPT che arriva comunque è corretta)",
        ],
        'OLD-PSP-ERR-01',
      ),
      spec('no-double', ["it never holds two activations of the notice answered OK (no double payment)", "non ha mai due attivazioni dell'avviso con esito OK (nessun doppio pagamento)"], 'OLD-PSP-ERR-01'),
      spec('alive', ['its PspPerNodo still answers (pspChiediAvanzamentoRPT gives a usable answer)', 'il suo PspPerNodo risponde ancora (pspChiediAvanzamentoRPT dà una risposta utilizzabile)'], 'OLD-PSP-ERR-01'),
    ],
    async run(t) {
      const n: OldNotice = o.foreignEc ? { ...t.unknownNotice(), fiscalCode: '00000000191' } : t.position({ amountCents: 2900 });
      if (o.fault) t.faults.add({ side: 'inbound', primitive: 'nodoAttivaRPT', match: { iuv: n.iuv }, fault: o.fault, times: 1 });
      const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
      const seen = await t.waitEntry((e) => e.direction === 'request' && e.from === 'psp' && e.primitive === 'nodoAttivaRPT', ask.mark, 'nodoAttivaRPT');
      if (!seen) return t.inconclusive(neverActed(t));
      await t.done(ask);
      const acts = pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(n.iuv));
      const rts = await givenRts(t, n.iuv, ask.mark);
      const report = await t.report(ask);
      const okActs = acts.filter((a) => usable(a.answer) && a.answer.outcome === 'OK');
      // without a usable activation the PSP collected nothing: a negative RT for an RPT that still came is right, a positive one or "paid" is not
      const positive = rts.filter((r) => r.esito !== '1');
      const held = okActs.length > 0 || (report?.result !== 'paid' && positive.length === 0);
      const actsSaid = joinSaid(acts.map((a) => answerSaid(a.answer, 'esito')), ', ');
      const rtList = rts.map((r) => `codiceEsitoPagamento ${r.esito ?? '?'}`).join(', ');
      t.check({
        id: 'no-payment',
        held,
        message: [
          `activations: ${actsSaid[0]}; RTs: ${rtList || 'none'}; report ${report?.result ?? 'none'}`,
          `attivazioni: ${actsSaid[1]}; RT: ${rtList || 'nessuna'}; resoconto ${report ? `"${report.result}"` : 'assente'}`,
        ],
        entries: [...acts.flatMap((a) => [a.request, a.response]), ...rts.map((r) => r.request)],
      });
      t.check({ id: 'no-double', held: okActs.length <= 1, message: [`${okActs.length} activation(s) answered OK`, `${okActs.length} attivazioni con esito OK`], entries: acts.map((a) => a.request) });
      const probe = await callPsp(t, 'pspChiediAvanzamentoRPT', { identificativoDominio: n.fiscalCode, identificativoUnivocoVersamento: n.iuv, codiceContestoPagamento: 'COLLAUDO-PROBE' }, 'is the PSP still answering?');
      const [pr, prIt] = answerSaid(probe.answer, 'esito');
      t.check({ id: 'alive', held: usable(probe.answer), message: [`pspChiediAvanzamentoRPT afterwards: ${pr}`, `pspChiediAvanzamentoRPT dopo: ${prIt}`], entries: [probe.request, probe.response] });
    },
  };
}

const negatives: Def[] = [
  badActivation({ id: 'PSP-OLD-ERR-01', title: 'Activation refused by the Nodo (a notice of an EC the Nodo does not know): the PSP stops, reports no payment', titleIt: 'Attivazione rifiutata dal Nodo (avviso di un EC sconosciuto al Nodo): il PSP si ferma, nessun pagamento', foreignEc: true }),
  badActivation({ id: 'PSP-OLD-NEG-01', title: 'The Nodo\'s answer to nodoAttivaRPT is HTTP 500: no payment reported, no double activation, the PSP still answers', titleIt: 'La risposta del Nodo a nodoAttivaRPT è HTTP 500: nessun pagamento, nessuna doppia attivazione, il PSP risponde ancora', fault: { kind: 'http500', soapFault: false } }),
  badActivation({ id: 'PSP-OLD-NEG-02', title: 'The Nodo\'s answer to nodoAttivaRPT breaks the schema: no payment reported, no double activation', titleIt: 'La risposta del Nodo a nodoAttivaRPT viola lo schema: nessun pagamento, nessuna doppia attivazione', fault: { kind: 'schema-invalid' } }),
  badActivation({ id: 'PSP-OLD-NEG-03', title: 'The Nodo\'s answer to nodoAttivaRPT is lost (connection reset): no payment reported, no double activation', titleIt: 'La risposta del Nodo a nodoAttivaRPT si perde (connessione interrotta): nessun pagamento, nessuna doppia attivazione', fault: { kind: 'reset' } }),
];

export const rptFaultScenarios: Def[] = [...negatives, err08, err09, err10];
