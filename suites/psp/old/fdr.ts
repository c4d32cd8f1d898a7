// Reconciliation at the PSP seat, old model (OLD-FDR-01/03/04, OLD-PSP-ERR-08's reconciliation half,
// OLD-FDR-ERR-07, OLD-REC-PSP-08): the scenario has the candidate pay notices (old-psp-pay: RPT, RT),
// lets the payment day end on the clock, asks for the flow of the EC (trigger `fdr-report`, model old:
// nodoInviaFlussoRendicontazione on NodoPerPsp) and judges it against the RTs the Nodo took and the
// collections the run knows were made without RPT (code 9). The SOAP upload's timeout is scripted at
// the Nodo (FlowUploads): the PSP is judged by what it does next. Readings as ../fdr.ts (judged as at D+2).
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { OldNotice, OldPspContext } from '../../../seats/psp-old.js';
import type { FdrRule, RevokedPayment, UnreceiptedCollection } from '../../../domain/fdr/judge.js';
import type { StoredFlow } from '../../../actors/nodo/fdr/store.js';
import { OLD_RPT_AFTER_ACTIVATION_MS } from '../../../domain/timeouts.js';
import { awaitRt } from './rt-path.js';
import { aboutIuv } from './lib.js';
import { FDR_CALLER_WAIT_MS, PSP_FLOWS, entriesNaming, fdrRuleSpecs, flowDueAt, flowWaitUntil, judgedAt, nextDay, recordReconciliation, waitFlow } from '../fdr-judge.js';

type Def = ScenarioDef<OldPspContext>;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Pays `n` at the PSP (modello 3) and waits until the candidate is done with it and its RT is at the
 * Nodo: on a PULL channel the Nodo's poll takes it (a flow reports payments the platform settled).
 */
async function payOld(t: OldPspContext, n: OldNotice, o: { rt?: boolean } = {}): Promise<void> {
  const since = t.journal.entries.at(-1)?.seq ?? 0;
  const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
  await t.done(ask);
  if (o.rt !== false) await awaitRt(t, n.iuv, undefined, since);
}

/** Asks the old-model flow of the EC and waits for its publication (by D+2). */
async function askOldFlow(t: OldPspContext, o: { day: string; from: number; to: number }): Promise<StoredFlow | undefined> {
  const ec = t.profile.ec.idPA;
  const since = t.clock.now();
  const params = { model: 'old', transport: 'soap', day: o.day, today: t.fdr.days.dayOf(since).day, from: iso(o.from), to: iso(o.to) };
  const ask = await t.ask('fdr-report' as never, { fiscalCode: ec }, { params });
  const idPSP = t.channel.idPSP;
  if (t.reference) {
    await t.done(ask);
    return t.fdr.flows.list({ idPSP, ecFiscalCode: ec, since }).at(-1);
  }
  const flow = await waitFlowAfter(t, ask, o, since);
  // what the PSP does after the upload (a state query after a timeout) is over by its report or the deadline
  await t.done(ask);
  return flow;
}

function waitFlowAfter(t: OldPspContext, ask: { request: { deadline: string } }, o: { day: string }, since: number): Promise<StoredFlow | undefined> {
  const ec = t.profile.ec.idPA;
  const idPSP = t.channel.idPSP;
  // the spec's schedule (D+2); on real days a PSP asked for its flow has the trigger's deadline and two caller waits
  const due = flowDueAt(o.day, t.fdr.days);
  return waitFlow({ store: t.fdr.flows, clock: t.clock, idPSP, ec, since, dueAt: flowWaitUntil(t.fdr.days, due, Date.parse(ask.request.deadline)) });
}

function soapOffered(t: OldPspContext): void {
  const listed = t.fdr.transports.join(', ');
  if (!t.fdr.transports.includes('soap')) t.notApplicable([`the profile's fdr.transports (${listed}) leaves out soap: the old model reports flows only by nodoInviaFlussoRendicontazione`, `fdr.transports del profilo (${listed}) esclude soap: il vecchio modello rendiconta i flussi solo con nodoInviaFlussoRendicontazione`]);
}

const receiptsOf = (t: OldPspContext, w: { from: number; to: number }) => t.ledger.receipts({ idPSP: t.channel.idPSP, model: 'old' }).filter((r) => r.at >= w.from && r.at < w.to);

/** no revocation in these windows: code 3 (OLD-FDR-05) is not exercised */
const OMIT = ['OLD-FDR-05'];
const RULES: FdrRule[] = ['flow-id', 'flow-id-unique', 'duplicate-flow', 'totals', 'flow-date', 'regulation-date', 'deadline', 'reported-once', 'line-identity', 'outcome-code'];

/** Pays, ends the day, asks the flow, judges it: the old model's reconciliation from end to end. */
async function reconcileOld(t: OldPspContext, pay: () => Promise<{ unreceipted?: UnreceiptedCollection[]; revoked?: RevokedPayment[] }>, rules: FdrRule[], omit = OMIT): Promise<StoredFlow | undefined> {
  const from = t.clock.now();
  const { unreceipted, revoked } = await pay();
  const w = { from, to: t.clock.now() + 1 };
  const day = t.fdr.days.dayOf(from).day;
  await nextDay(t.clock, t.fdr.days, day);
  const since = t.clock.now();
  const flow = await askOldFlow(t, { day, ...w });
  const codes = flow ? [...new Set(flow.flow.lines.map((l) => l.outcomeCode))].join(', ') : '';
  t.check({
    id: 'uploaded',
    held: !!flow && flow.transport === 'soap-old',
    message: flow
      ? [`flow ${flow.flow.flowId} taken on NodoPerPsp (${flow.flow.lines.length} lines: codes ${codes})`, `flusso ${flow.flow.flowId} preso in carico su NodoPerPsp (${flow.flow.lines.length} righe: codici ${codes})`]
      : ['no flow for the EC was taken by the Nodo', 'nessun flusso per l’EC è stato preso in carico dal Nodo'],
    entries: flow ? entriesNaming(t, [flow.flow.flowId]) : t.journal.entries.filter((e) => e.primitive === 'nodoInviaFlussoRendicontazione'),
  });
  recordReconciliation(t, { model: 'old', idPSP: t.channel.idPSP, ecs: [t.profile.ec.idPA], store: t.fdr.flows, since, flowIds: flow ? [flow.flow.flowId] : [], receipts: receiptsOf(t, w), unreceipted, revoked, days: t.fdr.days, now: judgedAt(w.to, t.fdr.days, t.clock.now()), rules, omit });
  return flow;
}

const nominal: Def = {
  id: 'PSP-OLD-FDR-01',
  title: 'The PSP reports its day of RTs in a flow (nodoInviaFlussoRendicontazione on NodoPerPsp), reconciled against every RT',
  titleIt: 'Il PSP rendiconta la giornata di RT in un flusso (nodoInviaFlussoRendicontazione su NodoPerPsp), riconciliato con ogni RT',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  model: 'old',
  checks: [spec('uploaded', ['the flow the PSP was asked for is taken by the Nodo (esito OK)', 'il flusso chiesto al PSP è preso in carico dal Nodo (esito OK)'], 'OLD-FDR-01'), ...fdrRuleSpecs('old', RULES, OMIT)],
  async run(t) {
    soapOffered(t);
    await reconcileOld(
      t,
      async () => {
        for (const amount of [12050, 3310]) await payOld(t, t.position({ amountCents: amount }));
        return {};
      },
      RULES,
    );
  },
};

const noRpt: Def = {
  id: 'PSP-OLD-FDR-02',
  title: 'A payment collected without RPT (the EC\'s RPT never came) is reported in the flow with code 9, beside a paid one with code 0',
  titleIt: 'Un pagamento incassato senza RPT (la RPT dell\'EC non è mai arrivata) è rendicontato con codice 9, accanto a uno pagato con codice 0',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  model: 'old',
  feature: 'pspStarted',
  checks: [spec('uploaded', ['the flow the PSP was asked for is taken by the Nodo (esito OK)', 'il flusso chiesto al PSP è preso in carico dal Nodo (esito OK)'], 'OLD-FDR-04'), ...fdrRuleSpecs('old', ['reported-once', 'outcome-code', 'totals'], OMIT)],
  async run(t) {
    soapOffered(t);
    // the PSP gives up waiting for the RPT when the token's lifetime ends (TR-13): only then is the collection one without RPT
    if (!t.reference && t.deadlineMs < OLD_RPT_AFTER_ACTIVATION_MS) t.notApplicable([
        `a collection without RPT happens when the token's lifetime ends (${OLD_RPT_AFTER_ACTIVATION_MS} ms after the activation, TR-13): the trigger's deadline (trigger.deadlineMs ${t.deadlineMs}) is shorter, so the payment would not be over; raise it to run this scenario`,
        `un incasso senza RPT avviene quando scade la validità del token (${OLD_RPT_AFTER_ACTIVATION_MS} ms dopo l’attivazione, TR-13): la scadenza del trigger (trigger.deadlineMs ${t.deadlineMs}) è più breve, quindi il pagamento non sarebbe concluso; alzarla per eseguire questa prova`,
      ]);
    await reconcileOld(
      t,
      async () => {
        const n = t.position({ amountCents: 2300 });
        const before = t.clock.now();
        await t.withEcBehaviour('old-rpt-never-sent', () => payOld(t, n, { rt: false }));
        await payOld(t, t.position({ amountCents: 4100 }));
        return { unreceipted: [{ ecFiscalCode: n.fiscalCode, iuv: n.iuv, amountCents: n.amountCents, at: before, why: 'the EC never sent the RPT after the activation (OLD-PSP-ERR-08)', whyIt: 'l’EC non ha mai inviato la RPT dopo l’attivazione (OLD-PSP-ERR-08)' }] };
      },
      ['reported-once', 'outcome-code', 'totals'],
    );
  },
};

const timeout: Def = {
  id: 'PSP-OLD-FDR-03',
  title: 'The Nodo never answers the flow\'s upload (it took it): the PSP asks the flow\'s state instead of sending it again',
  titleIt: 'Il Nodo non risponde all\'invio del flusso (che ha preso): il PSP ne chiede lo stato invece di reinviarlo',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  model: 'old',
  checks: [
    spec('state-asked', ['after an upload without answer the PSP asks nodoChiediStatoFlussoRendicontazione before any new upload of the flow', 'dopo un invio senza risposta il PSP chiede nodoChiediStatoFlussoRendicontazione prima di ogni nuovo invio del flusso'], 'OLD-FDR-ERR-07', 'SHOULD'),
    spec('state-read', ["the state query names the flow and the candidate's channel, and the Nodo answers it with the flow's state", 'la richiesta di stato indica il flusso e il canale del candidato, e il Nodo risponde con lo stato del flusso'], 'OLD-REC-PSP-08', 'MAY'),
    spec('uploaded', ['the flow is taken once', 'il flusso è preso in carico una volta'], 'OLD-FDR-01'),
  ],
  async run(t) {
    soapOffered(t);
    // the Nodo takes the flow but its answer never leaves (the PSP's wait ends first)
    t.nodo.flowUploads.scriptPsp(t.channel.idPSP, [{ kind: 'no-answer', process: true }]);
    try {
      const from = t.clock.now();
      await payOld(t, t.position({ amountCents: 5150 }));
      const day = t.fdr.days.dayOf(from).day;
      await nextDay(t.clock, t.fdr.days, day);
      const flow = await askOldFlow(t, { day, from, to: t.clock.now() + 1 });
      // an external PSP notices the missing answer after its own wait (NM-A-26: at least 30 s), then asks
      const isState = (e: { direction: string; from: string; primitive?: string }) => e.direction === 'request' && e.from === 'psp' && /^nodoChiediStato/.test(e.primitive ?? '');
      if (!t.reference && !t.journal.entries.some(isState)) await t.journal.waitFor(isState, 2 * FDR_CALLER_WAIT_MS, 'nodoChiediStatoFlussoRendicontazione').catch(() => undefined);
      const calls = t.journal.entries.filter((e) => e.direction === 'request' && e.from === 'psp' && /FlussoRendicontazione$/.test(e.primitive ?? '') && e.primitive !== 'nodoChiediElencoFlussiRendicontazione');
      const uploads = calls.filter((e) => e.primitive === 'nodoInviaFlussoRendicontazione');
      if (!uploads.length) return t.inconclusive(['the candidate never uploaded a flow', 'il candidato non ha mai inviato un flusso']);
      const next = calls[calls.indexOf(uploads[0]!) + 1];
      const asked = next && /^nodoChiediStato/.test(next.primitive ?? '');
      t.check({ id: 'state-asked', held: !!asked, message: next ? [`after the unanswered upload the PSP sent ${next.primitive}`, `dopo l’invio senza risposta il PSP ha inviato ${next.primitive}`] : ['after the unanswered upload the PSP did nothing more', 'dopo l’invio senza risposta il PSP non ha fatto altro'], entries: [uploads[0], next] });
      const ans = asked ? t.journal.entries.find((e) => e.direction === 'response' && e.exchange === next.exchange && e.seq > next.seq) : undefined;
      const stato = /<stato>([^<]*)<\/stato>/.exec(ans?.raw ?? '')?.[1];
      if (asked) t.check({ id: 'state-read', held: !!stato && (next.raw ?? '').includes(uploads[0]!.raw.match(/<identificativoFlusso>([^<]*)</)?.[1] ?? '\u0000'), message: [`state ${stato ?? 'not given'}`, `stato ${stato ?? 'non indicato'}`], entries: [next, ans] });
      else t.notExercised('state-read', ['the PSP did not ask the state', 'il PSP non ha chiesto lo stato']);
      const taken = flow ? t.fdr.flows.revisions(flow.flow.idPSP, flow.flow.flowId).length : 0;
      t.check({ id: 'uploaded', held: taken === 1, message: flow ? [`flow ${flow.flow.flowId} held in ${taken} publication(s); ${uploads.length} upload(s)`, `flusso ${flow.flow.flowId} tenuto in ${taken} ${taken === 1 ? 'pubblicazione' : 'pubblicazioni'}; ${uploads.length} ${uploads.length === 1 ? 'invio' : 'invii'}`] : ['no flow was taken', 'nessun flusso preso in carico'], entries: uploads });
    } finally {
      t.nodo.flowUploads.clear();
    }
  },
};

/**
 * OLD-FDR-05: a payment charged back (revoca tipoRevoca 2) whose ER the EC accepted the same day. Reading
 * (A-21): the flow of that day shows the revoked RT as code 3 with the negative amount ("cifra negativa",
 * L2694), matched to the revocation the run knows; the judge also takes the RT's own code-0 line in an
 * earlier flow followed by the code-3 line in a later one.
 */
const revokedRt: Def = {
  id: 'PSP-OLD-FDR-05',
  title: 'A charged-back RT (the EC accepted the revoca) is reported in the flow with code 3 and a negative amount',
  titleIt: 'Una RT revocata per charge-back (revoca accettata dall\'EC) è rendicontata nel flusso con codice 3 e importo negativo',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  model: 'old',
  feature: 'chargeBack',
  checks: [spec('uploaded', ['the flow the PSP was asked for is taken by the Nodo (esito OK)', 'il flusso chiesto al PSP è preso in carico dal Nodo (esito OK)'], 'OLD-FDR-01'), ...fdrRuleSpecs('old', ['outcome-code', 'totals', 'flow-id'])],
  async run(t) {
    soapOffered(t);
    await reconcileOld(
      t,
      async () => {
        const n = t.position({ amountCents: 7700 });
        await payOld(t, n);
        const rec = t.nodo.rpts().find((r) => r.idDominio === n.fiscalCode && r.iuv === n.iuv && r.rt);
        if (!rec) return t.inconclusive([`no RT of ${n.iuv} reached the Nodo: nothing to revoke`, `nessuna RT di ${n.iuv} è arrivata al Nodo: nulla da revocare`]);
        const ask = await t.ask('old-psp-revoca', { fiscalCode: rec.idDominio, noticeNumber: `3${rec.iuv}` }, { params: { iuv: rec.iuv, ccp: rec.ccp, idDominio: rec.idDominio, tipoRevoca: '2' } });
        await t.waitEntry((e) => e.direction === 'response' && e.to === 'nodo' && e.primitive === 'pspInviaRispostaRevoca' && aboutIuv(rec.iuv)(e), ask.mark, 'pspInviaRispostaRevoca');
        await t.done(ask);
        const state = t.nodo.rpt(rec.idDominio, rec.iuv, rec.ccp)?.revoca?.state;
        // the revoca itself is judged by PSP-OLD-REV-CB-01: here it is the flow's precondition
        if (state !== 'Pagamento revocato') return t.inconclusive([`the charge-back of ${rec.iuv} did not end revoked at the Nodo (${state ?? 'no revoca'}): there is no revocation to report`, `il charge-back di ${rec.iuv} non si è concluso come revocato al Nodo (${state ? `"${state}"` : 'nessuna revoca'}): non c’è alcuna revoca da rendicontare`]);
        return { revoked: [{ ecFiscalCode: rec.idDominio, iuv: rec.iuv, amountCents: n.amountCents, at: t.clock.now() }] };
      },
      ['outcome-code', 'totals', 'flow-id'],
      [],
    );
  },
};

/** What the harness cannot exercise at the PSP seat yet, with the reason. */
const gaps: Def = {
  id: 'PSP-OLD-FDR-04',
  title: 'Settlement cases without a flow to judge: integration and single SCTs, compensation, the Nodo\'s refusals of an upload',
  titleIt: 'Casi di regolamento senza un flusso da giudicare: SCT di integrazione e singoli, compensazioni, rifiuti del Nodo all\'invio',
  seat: 'psp',
  model: 'old',
  checks: [spec('flow', ['SCTs, upload refusals', 'SCT, rifiuti di invio'], ['OLD-FDR-ERR-02', 'OLD-FDR-ERR-03', 'OLD-FDR-ERR-04', 'OLD-FDR-ERR-05', 'OLD-FDR-ERR-06', 'OLD-FDR-ERR-08', 'OLD-REC-PSP-09'])],
  notYet: 'the SCTs (cumulative, integration, single) travel on the banks\' SEPA network, which the harness does not emulate; refused and duplicate uploads and a refused state query are the Nodo\'s answers to requests a PSP would have to get wrong on purpose, which no trigger action asks for',
  notYetIt:
    'gli SCT (cumulativi, di integrazione, singoli) viaggiano sulla rete SEPA delle banche, che il collaudo non emula; invii rifiutati e duplicati e una richiesta di stato rifiutata sono risposte del Nodo a richieste che un PSP dovrebbe sbagliare di proposito, e nessuna azione di trigger le chiede',
  run: async (t) => t.notApplicable(['SCTs are not emulated and the refusals need requests no trigger action asks for', 'gli SCT non sono emulati e i rifiuti richiedono richieste che nessuna azione di trigger chiede']),
};

export const fdrOldScenarios: Def[] = [nominal, noRpt, timeout, revokedRt, gaps];
