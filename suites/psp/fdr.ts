// Reconciliation at the PSP seat, new model (catalogue §3.10 NM-FDR-*, NM-MB-FDR-01, NM-SLA-KPI-03):
// the scenario makes its payments (one of them multi-beneficiary: a transfer to a second EC), lets the
// payment day end on the clock, asks the PSP for the flow of each EC credited (trigger `fdr-report`),
// waits until it is published (by D+2 on the run's calendar) and judges every publication against the
// receipts the platform settled in the scenario (domain/fdr judgeFlows). Reading: the PSP was asked for
// its flow of day D, so what it reported is its report of D: the judgement is made as at D+2's deadline
// (a receipt absent from it is missing), while the deadline itself is judged on the publication instant.
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext, TriggerHandle } from '../../seats/psp.js';
import type { TriggerRequest } from '../../src/triggers/index.js';
import { fdrSettings } from '../../src/profile/index.js';
import { SECONDARY_EC } from '../../domain/harness-parties.js';
import type { FdrRule } from '../../domain/fdr/judge.js';
import type { StoredFlow } from '../../actors/nodo/fdr/store.js';
import { FDR_ERRORS_SPEC, PSP_FLOWS, checkNoFdrErrors, entriesNaming, fdrRuleSpecs, flowDueAt, flowWaitUntil, judgedAt, nextDay, recordReconciliation, waitFlow } from './fdr-judge.js';
import { runPay } from './lib.js';
import { UPLOAD_FIELDS, judgeRequestFields, requestFieldsSpec } from '../request-fields.js';

type S = ScenarioDef<PspContext>;
type Transport = 'soap' | 'rest';

const iso = (ms: number) => new Date(ms).toISOString();

/** The payments of the scenario: `n` notices, the first one multi-beneficiary (a transfer to SECONDARY_EC). */
async function pay(t: PspContext, n: number): Promise<{ from: number; to: number }> {
  const from = t.clock.now();
  for (let i = 0; i < n; i++) {
    const p = t.position(i === 0 ? { transfers: 2, secondary: true } : {});
    await runPay(t, { action: 'pay', primitives: 'v1', verify: true, fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, amount: p.amount, amountCents: p.amountCents });
  }
  return { from, to: t.clock.now() + 1 };
}

/** Asks for the flow of `ec` and waits until it is published (or the PSP gave up, or D+2 passed). */
async function askFlow(t: PspContext, o: { ec: string; transport: Transport; day: string; from: number; to: number; revise?: string }): Promise<{ h: TriggerHandle; flow?: StoredFlow }> {
  const since = t.clock.now();
  // a correction is the next revision of that flow (taken before the ask: the PSP may publish before the trigger returns)
  const correction = o.revise ? { flowId: o.revise, revision: (t.rt.fdr.flows.get(t.candidate.idPSP, o.revise)?.revision ?? 0) + 1 } : {};
  const today = t.rt.fdr.days.dayOf(since).day;
  const params = { model: 'new', transport: o.transport, day: o.day, today, from: iso(o.from), to: iso(o.to), ...(o.revise ? { revise: o.revise } : {}) };
  const h = await t.trigger({ action: 'fdr-report', fiscalCode: o.ec, params } as unknown as Omit<TriggerRequest, 'contract' | 'requestId' | 'scenarioId' | 'deadline' | 'deadlineMs' | 'reportUrl'>);
  // on the real clock the trigger may have waited its turn (another scenario reporting): only what followed it
  const after = t.clock.virtual ? since : Math.max(since, h.firedAt);
  const store = t.rt.fdr.flows;
  const idPSP = t.candidate.idPSP;
  if (t.rt.idle) {
    await t.settle(h);
    return { h, flow: store.list({ idPSP, ecFiscalCode: o.ec, since }).at(-1) };
  }
  // the spec's schedule (D+2; a correction within two more days); on real days a PSP asked for its flow
  // has the trigger's deadline and two caller waits (realDaysCap), not two days of a test run
  const days = t.rt.fdr.days;
  const due = o.revise ? t.clock.now() + 2 * days.dayMs : flowDueAt(o.day, days);
  const dueAt = flowWaitUntil(days, due, h.deadlineAt);
  return { h, flow: await waitFlow({ store, clock: t.clock, idPSP, ec: o.ec, since: after, dueAt, inbox: t.rt.inbox, requestId: h.request.requestId, ...correction }) };
}

function offered(t: PspContext, transport: Transport): void {
  if (!t.rt.fdr.transports.includes(transport)) t.notApplicable(`the profile's fdr.transports (${t.rt.fdr.transports.join(', ')}) leaves out ${transport}: the PSP does not report flows by it`);
  // an external PSP is configured with the FdR 3 API's address as with the Nodo's: it needs a fixed port
  if (transport === 'rest' && !t.rt.embedded && !fdrSettings(t.profile).listen.port) t.notApplicable("the profile gives the harness's FdR 3 API no fixed port (fdr.listen.port): the PSP cannot be configured to report there");
}

/**
 * The receipts the flows must report: the candidate's, of the scenario's own payments (the Nodo marks each
 * receipt with the scenario owning its notice), settled in its payment window.
 */
const receiptsOf = (t: PspContext, w: { from: number; to: number }) => t.ledger.receipts({ idPSP: t.candidate.idPSP, model: 'new' }).filter((r) => r.at >= w.from && r.at < w.to && (r.scenario === undefined || r.scenario === t.scenarioId));
const iuvsOf = (rs: ReturnType<typeof receiptsOf>) => new Set(rs.map((r) => r.iuv ?? ''));

const NOMINAL_RULES: FdrRule[] = ['flow-id', 'flow-id-unique', 'duplicate-flow', 'totals', 'flow-date', 'regulation-date', 'deadline', 'reported-once', 'line-identity', 'outcome-code', 'kpi'];

function nominal(id: string, transport: Transport, req: string): S {
  const how = transport === 'soap' ? 'nodoInviaFlussoRendicontazione (nodeForPsp)' : 'FdR 3 REST (create, add, publish)';
  return {
    id,
    title: `The PSP reports its day by ${how}: one flow per EC credited, reconciled against every receipt (multi-beneficiary included)`,
    titleIt: `Il PSP rendiconta la giornata con ${transport === 'soap' ? 'nodoInviaFlussoRendicontazione (nodeForPsp)' : 'FdR 3 REST (create, add, publish)'}: un flusso per EC accreditato, riconciliato con ogni ricevuta (multibeneficiario compreso)`,
    seat: 'psp',
    exclusive: PSP_FLOWS,
    checks: [
      spec('published', `each flow asked for is published through ${how}`, req),
      ...(transport === 'rest' ? [FDR_ERRORS_SPEC] : [requestFieldsSpec(UPLOAD_FIELDS, 'nodeForPsp')]),
      spec('token-iur', 'each paymentToken the Nodo issued for the scenario\'s payments is the IUR of its line in the flow (the token carried end to end)', ['NM-TOK-PAY-01', 'IF-activatePaymentNotice-F74']),
      ...fdrRuleSpecs('new', NOMINAL_RULES),
    ],
    async run(t) {
      offered(t, transport);
      const w = await pay(t, 2);
      const receipts = receiptsOf(t, w);
      if (!receipts.length) return t.inconclusive('no payment of the scenario was settled: there is nothing to reconcile');
      const day = t.rt.fdr.days.dayOf(w.from).day;
      await nextDay(t.clock, t.rt.fdr.days, day);
      const since = t.clock.now();
      const ecs = [t.ecFiscalCode, SECONDARY_EC.fiscalCode];
      const asked: string[] = [];
      for (const ec of ecs) {
        const { h, flow } = await askFlow(t, { ec, transport, day, ...w });
        if (flow) asked.push(flow.flow.flowId);
        const report = t.rt.inbox.get(h.request.requestId);
        t.check({
          id: 'published',
          held: !!flow && (flow.transport === 'rest') === (transport === 'rest'),
          message: flow ? `flow ${flow.flow.flowId} for EC ${ec} published by ${flow.transport} (${flow.flow.lines.length} lines)` : `no flow for EC ${ec} was published${report?.message ? `: the PSP reports "${report.message}"` : ''}`,
          entries: flow ? entriesNaming(t, [flow.flow.flowId]) : t.requests().slice(-4),
        });
      }
      if (transport === 'rest') checkNoFdrErrors(t);
      else judgeRequestFields(t, UPLOAD_FIELDS, t.requests(UPLOAD_FIELDS.op), { identificativoPSP: t.candidate.idPSP, identificativoIntermediarioPSP: t.candidate.idBrokerPSP, identificativoCanale: t.candidate.idChannel, password: t.candidate.password });
      const lines = asked.flatMap((id) => t.rt.fdr.flows.revisions(t.candidate.idPSP, id).at(-1)?.flow.lines ?? []);
      const lost = receipts.filter((r) => !lines.some((l) => l.iur === r.receiptId && l.iuv === r.iuv));
      t.check({ id: 'token-iur', held: !lost.length, message: lost.length ? `token(s) ${lost.map((r) => r.receiptId).join(', ')} are the IUR of no line of the flows asked for` : `${receipts.length} token(s), each the IUR of its line`, entries: entriesNaming(t, [...asked, ...receipts.map((r) => r.receiptId)]) });
    recordReconciliation(t, { model: 'new', idPSP: t.candidate.idPSP, ecs, store: t.rt.fdr.flows, since, flowIds: asked, ownIuvs: iuvsOf(receipts), receipts, days: t.rt.fdr.days, now: judgedAt(w.to, t.rt.fdr.days, t.clock.now()), rules: NOMINAL_RULES });
    },
  };
}

const revision: S = {
  id: 'PSP-FDR-03',
  title: 'The PSP corrects a published flow: a new revision through FdR 3 by D+4, the latest one reconciled',
  titleIt: 'Il PSP corregge un flusso pubblicato: una nuova revisione con FdR 3 entro D+4, riconciliata l’ultima',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  checks: [spec('revised', 'the correction is a new revision of the same flow (same identifier, revision + 1), the one the EC now reads', 'NM-FDR-PAY-11'), ...fdrRuleSpecs('new', ['correction-deadline', 'totals', 'reported-once'])],
  async run(t) {
    offered(t, 'rest');
    const w = await pay(t, 1);
    const receipts = receiptsOf(t, w);
    if (!receipts.length) return t.inconclusive('no payment of the scenario was settled: there is nothing to reconcile');
    const day = t.rt.fdr.days.dayOf(w.from).day;
    await nextDay(t.clock, t.rt.fdr.days, day);
    const since = t.clock.now();
    const first = await askFlow(t, { ec: t.ecFiscalCode, transport: 'rest', day, ...w });
    if (!first.flow) return t.inconclusive('the PSP published no flow to correct');
    const flowId = first.flow.flow.flowId;
    const second = await askFlow(t, { ec: t.ecFiscalCode, transport: 'rest', day, ...w, revise: flowId });
    const revs = t.rt.fdr.flows.revisions(t.candidate.idPSP, flowId);
    const visible = t.rt.fdr.flows.get(t.candidate.idPSP, flowId);
    t.check({
      id: 'revised',
      held: revs.length >= 2 && visible?.revision === revs.at(-1)!.revision && revs.at(-1)!.transport === 'rest',
      message: `flow ${flowId}: ${revs.map((r) => `revision ${r.revision} (${r.transport})`).join(', ')}${second.flow ? '' : '; no correction was published'}`,
      entries: entriesNaming(t, [flowId], 20),
    });
    recordReconciliation(t, { model: 'new', idPSP: t.candidate.idPSP, ecs: [t.ecFiscalCode], store: t.rt.fdr.flows, since, flowIds: [flowId], ownIuvs: iuvsOf(receipts), receipts: receipts.filter((r) => r.ecFiscalCode === t.ecFiscalCode || r.transfers.some((x) => x.ecFiscalCode === t.ecFiscalCode)), days: t.rt.fdr.days, now: judgedAt(w.to, t.rt.fdr.days, t.clock.now()), rules: ['correction-deadline', 'totals', 'reported-once'] });
  },
};

const lostAnswer: S = {
  id: 'PSP-FDR-04',
  title: 'FdR 3: the answer to the PSP\'s addPayments is lost; the PSP sends it again, handles FDR-3006 (already added) and publishes',
  titleIt: 'FdR 3: la risposta ad addPayments del PSP va persa; il PSP la ripete, gestisce FDR-3006 (già aggiunti) e pubblica',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  checks: [spec('handled', 'after an unanswered addPayments the PSP retries and, answered FDR-3006 for payments already added, goes on to publish the flow', 'NM-FDR-ERR-13'), spec('published', 'the flow is published through FdR 3', 'NM-FDR-PAY-10')],
  async run(t) {
    offered(t, 'rest');
    const w = await pay(t, 1);
    const day = t.rt.fdr.days.dayOf(w.from).day;
    await nextDay(t.clock, t.rt.fdr.days, day);
    // the platform takes the page but its answer never comes back (the response leg is lost)
    t.faults.add({ side: 'inbound', primitive: 'addPayments', match: { idPSP: t.candidate.idPSP }, fault: { kind: 'no-answer' }, times: 1 });
    const { flow } = await askFlow(t, { ec: t.ecFiscalCode, transport: 'rest', day, ...w });
    const adds = t.requests('addPayments');
    const refused = adds.map((e) => t.answerOf(e)).filter((a) => /"appErrorCode"\s*:\s*"FDR-3006"/.test(a?.raw ?? ''));
    t.check({ id: 'published', held: !!flow && flow.transport === 'rest', message: flow ? `flow ${flow.flow.flowId} published` : 'no flow was published', entries: flow ? entriesNaming(t, [flow.flow.flowId]) : adds });
    if (adds.length < 2) {
      t.check({ id: 'handled', held: false, message: `${adds.length} addPayments: the unanswered one was never sent again`, entries: adds });
      return;
    }
    t.check({ id: 'handled', held: !!flow, message: `${adds.length} addPayments${refused.length ? ', the repeat answered FDR-3006' : ''}; ${flow ? 'then published' : 'the flow was never published'}`, entries: [...adds, ...refused] });
  },
};

/** Requirements of the PSP seat the harness cannot exercise yet, with the reason. */
const drafts: S = {
  id: 'PSP-FDR-05',
  title: 'FdR 3 draft management by the PSP (payments removed from a draft, a draft deleted) and its handling of the FdR 3 errors a nominal PSP does not draw',
  titleIt: 'Gestione delle bozze FdR 3 da parte del PSP e dei suoi errori che un PSP nominale non provoca',
  seat: 'psp',
  checks: [spec('flow', 'drafts and error handling', ['NM-FDR-PAY-12'])],
  notYet: 'draft management is the PSP\'s own business (MAY): no trigger action asks a PSP to remove payments from a draft or to delete one, and the reference Nodo scripts no FDR-3xxx answers to requests that are right; the drafts a nominal PSP makes are judged by PSP-FDR-02 (no FDR error drawn) and the lost answer by PSP-FDR-04',
  run: async (t) => t.notApplicable('draft management cannot be asked of a PSP (no trigger action) and the reference Nodo scripts no FDR-3xxx errors'),
};

export const fdrScenarios: S[] = [nominal('PSP-FDR-01', 'soap', 'NM-FDR-PAY-01'), nominal('PSP-FDR-02', 'rest', 'NM-FDR-PAY-10'), revision, lostAnswer, drafts];
