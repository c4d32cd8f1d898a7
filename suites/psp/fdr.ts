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
import { type FdrFinding, type FdrRule, judgeFlows } from '../../domain/fdr/judge.js';
import type { StoredFlow } from '../../actors/nodo/fdr/store.js';
import type { FlowTransport } from '../../domain/fdr/types.js';
import { FDR_ERRORS_SPEC, PSP_FLOWS, UPLOAD_FIELDS, checkNoFdrErrors, entriesNaming, fdrRuleSpecs, flowDueAt, flowWaitUntil, judgedAt, nextDay, recordReconciliation, waitFlow } from './fdr-judge.js';
import { OUTCOMES, answer, bodyOf, checkReport, reportSpecs, runPay, tokensOf } from './lib.js';
import { Flow } from './flow.js';
import { textOf } from '../../src/wire/xml.js';
import { judgeRequestFields, requestFieldsSpec } from '../request-fields.js';

type S = ScenarioDef<PspContext>;
type Transport = 'soap' | 'rest';

const iso = (ms: number) => new Date(ms).toISOString();
/** A flow's transport as the Italian view names it (the English keeps the store's own word). */
const FLOW_TRANSPORT_IT: Record<FlowTransport, string> = { 'soap-new': 'SOAP (nuovo modello)', 'soap-old': 'SOAP (vecchio modello)', rest: 'FdR 3 REST' };

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
  const listed = t.rt.fdr.transports.join(', ');
  if (!t.rt.fdr.transports.includes(transport)) t.notApplicable([`the profile's fdr.transports (${listed}) leaves out ${transport}: the PSP does not report flows by it`, `fdr.transports del profilo (${listed}) esclude ${transport}: il PSP non rendiconta flussi con questo canale`]);
  if (transport === 'rest' && !restReachable(t)) t.notApplicable(["the profile gives the harness's FdR 3 API no fixed port (fdr.listen.port): the PSP cannot be configured to report there", 'il profilo non assegna una porta fissa all’API FdR 3 del collaudo (fdr.listen.port): il PSP non può essere configurato per rendicontare lì']);
}

/** An external PSP is configured with the FdR 3 API's address as with the Nodo's: it needs a fixed port (fdr.listen.port). */
const restReachable = (t: PspContext): boolean => t.rt.embedded || !!fdrSettings(t.profile).listen.port;

/**
 * The receipts the flows must report: the candidate's, of the scenario's own payments (the Nodo marks each
 * receipt with the scenario owning its notice), settled in its payment window.
 */
const receiptsOf = (t: PspContext, w: { from: number; to: number }) => t.ledger.receipts({ idPSP: t.candidate.idPSP, model: 'new' }).filter((r) => r.at >= w.from && r.at < w.to && (r.scenario === undefined || r.scenario === t.scenarioId));
const iuvsOf = (rs: ReturnType<typeof receiptsOf>) => new Set(rs.map((r) => r.iuv ?? ''));

/**
 * The scenario's payments (`pay`), their settled receipts (INCONCLUSIVE without one: nothing to reconcile),
 * then the end of their payment day on the run's calendar; `since`: the clock once the day is over.
 */
async function payTheDay(t: PspContext, n: number) {
  const w = await pay(t, n);
  const receipts = receiptsOf(t, w);
  if (!receipts.length) return t.inconclusive(['no payment of the scenario was settled: there is nothing to reconcile', 'nessun pagamento della prova è stato regolato: non c’è nulla da riconciliare']);
  const day = t.rt.fdr.days.dayOf(w.from).day;
  await nextDay(t.clock, t.rt.fdr.days, day);
  return { w, receipts, day, since: t.clock.now() };
}

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
      spec('published', [`each flow asked for is published through ${how}`, `ogni flusso richiesto è pubblicato con ${how}`], req),
      ...(transport === 'rest' ? [FDR_ERRORS_SPEC] : [requestFieldsSpec(UPLOAD_FIELDS, 'nodeForPsp')]),
      spec('token-iur', ["each paymentToken the Nodo issued for the scenario's payments is the IUR of its line in the flow (the token carried end to end)", 'ogni paymentToken emesso dal Nodo per i pagamenti della prova è lo IUR della sua riga nel flusso (il token portato da capo a capo)'], ['NM-TOK-PAY-01', 'IF-activatePaymentNotice-F74']),
      ...fdrRuleSpecs('new', NOMINAL_RULES),
    ],
    async run(t) {
      offered(t, transport);
      const { w, receipts, day, since } = await payTheDay(t, 2);
      const ecs = [t.ecFiscalCode, SECONDARY_EC.fiscalCode];
      const asked: string[] = [];
      for (const ec of ecs) {
        const { h, flow } = await askFlow(t, { ec, transport, day, ...w });
        if (flow) asked.push(flow.flow.flowId);
        const report = t.rt.inbox.get(h.request.requestId);
        t.check({
          id: 'published',
          held: !!flow && (flow.transport === 'rest') === (transport === 'rest'),
          message: flow
            ? [`flow ${flow.flow.flowId} for EC ${ec} published by ${flow.transport} (${flow.flow.lines.length} lines)`, `flusso ${flow.flow.flowId} per l’EC ${ec} pubblicato con ${FLOW_TRANSPORT_IT[flow.transport]} (${flow.flow.lines.length} righe)`]
            : [`no flow for EC ${ec} was published${report?.message ? `: the PSP reports "${report.message}"` : ''}`, `nessun flusso pubblicato per l’EC ${ec}${report?.message ? `: il PSP riferisce "${report.message}"` : ''}`],
          entries: flow ? entriesNaming(t, [flow.flow.flowId]) : t.requests().slice(-4),
        });
      }
      if (transport === 'rest') checkNoFdrErrors(t);
      else judgeRequestFields(t, UPLOAD_FIELDS, t.requests(UPLOAD_FIELDS.op), { identificativoPSP: t.candidate.idPSP, identificativoIntermediarioPSP: t.candidate.idBrokerPSP, identificativoCanale: t.candidate.idChannel, password: t.candidate.password });
      const lines = asked.flatMap((id) => t.rt.fdr.flows.revisions(t.candidate.idPSP, id).at(-1)?.flow.lines ?? []);
      const lost = receipts.filter((r) => !lines.some((l) => l.iur === r.receiptId && l.iuv === r.iuv));
      t.check({ id: 'token-iur', held: !lost.length, message: lost.length ? [`token(s) ${lost.map((r) => r.receiptId).join(', ')} are the IUR of no line of the flows asked for`, `token ${lost.map((r) => r.receiptId).join(', ')}: non sono lo IUR di alcuna riga dei flussi richiesti`] : [`${receipts.length} token(s), each the IUR of its line`, `${receipts.length} token, ciascuno IUR della propria riga`], entries: entriesNaming(t, [...asked, ...receipts.map((r) => r.receiptId)]) });
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
  checks: [spec('revised', ['the correction is a new revision of the same flow (same identifier, revision + 1), the one the EC now reads', 'la correzione è una nuova revisione dello stesso flusso (stesso identificativo, revisione + 1), quella che l’EC ora legge'], 'NM-FDR-PAY-11'), ...fdrRuleSpecs('new', ['correction-deadline', 'totals', 'reported-once'])],
  async run(t) {
    offered(t, 'rest');
    const { w, receipts, day, since } = await payTheDay(t, 1);
    const first = await askFlow(t, { ec: t.ecFiscalCode, transport: 'rest', day, ...w });
    if (!first.flow) return t.inconclusive(['the PSP published no flow to correct', 'il PSP non ha pubblicato alcun flusso da correggere']);
    const flowId = first.flow.flow.flowId;
    const second = await askFlow(t, { ec: t.ecFiscalCode, transport: 'rest', day, ...w, revise: flowId });
    const revs = t.rt.fdr.flows.revisions(t.candidate.idPSP, flowId);
    const visible = t.rt.fdr.flows.get(t.candidate.idPSP, flowId);
    t.check({
      id: 'revised',
      held: revs.length >= 2 && visible?.revision === revs.at(-1)!.revision && revs.at(-1)!.transport === 'rest',
      message: [`flow ${flowId}: ${revs.map((r) => `revision ${r.revision} (${r.transport})`).join(', ')}${second.flow ? '' : '; no correction was published'}`, `flusso ${flowId}: ${revs.map((r) => `revisione ${r.revision} (${FLOW_TRANSPORT_IT[r.transport]})`).join(', ')}${second.flow ? '' : '; nessuna correzione pubblicata'}`],
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
  checks: [
    spec('handled', ['after an unanswered addPayments the PSP retries and, answered FDR-3006 for payments already added, goes on to publish the flow', 'dopo un addPayments senza risposta il PSP riprova e, ricevuto FDR-3006 per pagamenti già aggiunti, prosegue pubblicando il flusso'], 'NM-FDR-ERR-13'),
    spec('published', ['the flow is published through FdR 3', 'il flusso è pubblicato con FdR 3'], 'NM-FDR-PAY-10'),
  ],
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
    t.check({ id: 'published', held: !!flow && flow.transport === 'rest', message: flow ? [`flow ${flow.flow.flowId} published`, `flusso ${flow.flow.flowId} pubblicato`] : ['no flow was published', 'nessun flusso pubblicato'], entries: flow ? entriesNaming(t, [flow.flow.flowId]) : adds });
    if (adds.length < 2) {
      t.check({ id: 'handled', held: false, message: [`${adds.length} addPayments: the unanswered one was never sent again`, `${adds.length} addPayments: quello senza risposta non è mai stato ripetuto`], entries: adds });
      return;
    }
    t.check({ id: 'handled', held: !!flow, message: [`${adds.length} addPayments${refused.length ? ', the repeat answered FDR-3006' : ''}; ${flow ? 'then published' : 'the flow was never published'}`, `${adds.length} addPayments${refused.length ? ', la ripetizione ha ricevuto FDR-3006' : ''}; ${flow ? 'poi pubblicato' : 'il flusso non è mai stato pubblicato'}`], entries: [...adds, ...refused] });
  },
};

/** Requirements of the PSP seat the harness cannot exercise yet, with the reason. */
const drafts: S = {
  id: 'PSP-FDR-05',
  title: 'FdR 3 draft management by the PSP (payments removed from a draft, a draft deleted) and its handling of the FdR 3 errors a nominal PSP does not draw',
  titleIt: 'Gestione delle bozze FdR 3 da parte del PSP e dei suoi errori che un PSP nominale non provoca',
  seat: 'psp',
  checks: [spec('flow', ['drafts and error handling', 'bozze e gestione degli errori'], ['NM-FDR-PAY-12'])],
  notYet: 'draft management is the PSP\'s own business (MAY): no trigger action asks a PSP to remove payments from a draft or to delete one, and the reference Nodo scripts no FDR-3xxx answers to requests that are right; the drafts a nominal PSP makes are judged by PSP-FDR-02 (no FDR error drawn) and the lost answer by PSP-FDR-04',
  notYetIt:
    'la gestione delle bozze è affare del PSP (MAY): nessuna azione di trigger chiede a un PSP di togliere pagamenti da una bozza o di cancellarla, e il Nodo di riferimento non prevede risposte FDR-3xxx a richieste corrette; le bozze di un PSP nominale sono giudicate da PSP-FDR-02 (nessun errore FDR provocato) e la risposta persa da PSP-FDR-04',
  run: async (t) => t.notApplicable(['draft management cannot be asked of a PSP (no trigger action) and the reference Nodo scripts no FDR-3xxx errors', 'la gestione delle bozze non si può chiedere a un PSP (nessuna azione di trigger) e il Nodo di riferimento non prevede errori FDR-3xxx']),
};

/** FdR 3 REST when the PSP reports by it (and can reach the harness's FdR 3 API), else SOAP; neither: not applicable. */
function transportOf(t: PspContext): Transport {
  if (t.rt.fdr.transports.includes('rest') && restReachable(t)) return 'rest';
  offered(t, 'soap');
  return 'soap';
}

/** The latest revision of a flow as the judge reads it, reduced to the lines `keep` picks (its totals theirs). */
function judgedFlow(t: PspContext, s: StoredFlow, keep: (l: StoredFlow['flow']['lines'][number]) => boolean) {
  const last = t.rt.fdr.flows.revisions(s.flow.idPSP, s.flow.flowId).at(-1) ?? s;
  const lines = last.flow.lines.filter(keep);
  return { ...last.flow, lines, totalCount: lines.length, totalCents: lines.reduce((a, l) => a + l.amountCents, 0), transport: last.transport, at: last.publishedAt };
}

/** The worst of the judge's non-passing findings, as a check's verdict (FAIL, or WARNING for a reading). */
const worst = (fs: readonly FdrFinding[]) => (fs.some((f) => f.outcome === 'fail') ? { held: false } : fs.length ? { held: false, verdict: 'WARNING' as const } : { held: true });

/**
 * NM-SI-PAY-01, the PSP's half: a payment served in Stand-In (the Nodo's verify and activate answer
 * standin=true, its receipt standIn=true) is reported in the EC's flow with code 4, STAND_IN. Over SOAP,
 * whose schema snapshot lists 0, 3, 9 only, 0 is right and 4 accepted as a WARNING (NM-A-24: the judge's
 * outcome-code rule, domain/fdr/reconcile.ts); 0 by FdR 3 is the code's choice the reading makes a WARNING.
 */
const standIn: S = {
  id: 'PSP-FDR-06',
  title: 'A payment served in Stand-In (standin=true, receipt standIn=true) is reported with code 4 STAND_IN (FdR 3 when offered; over SOAP, whose schema lists 0, 3, 9, code 0)',
  titleIt: 'Un pagamento servito in Stand-In (standin=true, ricevuta standIn=true) è rendicontato con codice 4 STAND_IN (FdR 3 se offerto; su SOAP, il cui schema elenca 0, 3, 9, codice 0)',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  checks: [
    spec('stand-in-code', ['the line of the payment served in Stand-In carries code 4 (STAND_IN) in an FdR 3 flow; over SOAP code 0, with 4 accepted (NM-A-24)', 'la riga del pagamento servito in Stand-In riporta il codice 4 (STAND_IN) in un flusso FdR 3; su SOAP il codice 0, con 4 accettato (NM-A-24)'], ['NM-SI-PAY-01', 'NM-FDR-VAL-04']),
    ...fdrRuleSpecs('new', ['reported-once', 'line-identity', 'outcome-code']),
  ],
  async run(t) {
    const transport = transportOf(t);
    t.script(async (op, _b, proceed) => {
      const r = await proceed();
      if ((op === 'verifyPaymentNotice' || op.startsWith('activatePaymentNotice')) && r.outcome === 'OK') r.standin = true;
      return r;
    });
    const from = t.clock.now();
    const n = t.position();
    await runPay(t, { action: 'pay', primitives: 'v1', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
    const w = { from, to: t.clock.now() + 1 };
    const paid = receiptsOf(t, w).filter((r) => r.noticeNumber === n.noticeNumber && r.outcome === 'OK');
    if (!paid.length) return t.inconclusive([`the payment of notice ${n.noticeNumber} served in Stand-In was not settled: there is nothing to reconcile`, `il pagamento dell’avviso ${n.noticeNumber} servito in Stand-In non è stato regolato: non c’è nulla da riconciliare`]);
    const si = paid.find((r) => r.standIn);
    if (!si) return t.harnessError(`the Nodo's receipt ${paid[0]!.receiptId} of a payment activated with standin=true is not marked standIn`);
    const day = t.rt.fdr.days.dayOf(w.from).day;
    await nextDay(t.clock, t.rt.fdr.days, day);
    const since = t.clock.now();
    const { h, flow } = await askFlow(t, { ec: t.ecFiscalCode, transport, day, ...w });
    const judged = recordReconciliation(t, { model: 'new', idPSP: t.candidate.idPSP, ecs: [t.ecFiscalCode], store: t.rt.fdr.flows, since, flowIds: flow ? [flow.flow.flowId] : [], ownIuvs: iuvsOf([si]), receipts: [si], days: t.rt.fdr.days, now: judgedAt(w.to, t.rt.fdr.days, t.clock.now()), rules: ['reported-once', 'line-identity', 'outcome-code'] });
    if (!flow) {
      const report = t.rt.inbox.get(h.request.requestId);
      t.check({ id: 'stand-in-code', held: false, message: [
          `no flow for EC ${t.ecFiscalCode} was published${report?.message ? ` (the PSP reports "${report.message}")` : ''}: the payment served in Stand-In (receipt ${si.receiptId}) is reported in no line`,
          `nessun flusso pubblicato per l’EC ${t.ecFiscalCode}${report?.message ? ` (il PSP riferisce "${report.message}")` : ''}: il pagamento servito in Stand-In (ricevuta ${si.receiptId}) non è rendicontato in alcuna riga`,
        ],
        entries: [...entriesNaming(t, [si.receiptId], 6), ...t.requests().slice(-2)] });
      return;
    }
    const f = judgedFlow(t, flow, (l) => l.iuv === si.iuv && l.iur === si.receiptId);
    const flowId = f.flowId;
    const entries = entriesNaming(t, [flowId, si.receiptId]);
    if (!f.lines.length) {
      t.check({ id: 'stand-in-code', held: false, message: [`flow ${flowId} (${f.transport}) has no line for the payment served in Stand-In (IUV ${si.iuv}, IUR ${si.receiptId})`, `il flusso ${flowId} (${FLOW_TRANSPORT_IT[f.transport]}) non ha alcuna riga per il pagamento servito in Stand-In (IUV ${si.iuv}, IUR ${si.receiptId})`], entries });
      return;
    }
    // the judge's reading of the codes (NM-A-24), for this receipt's lines or the flow as a whole
    const issues = judged.flatMap((j) => j.findings).filter((x) => x.rule === 'outcome-code' && (x.outcome === 'fail' || x.outcome === 'warning') && (x.lines.some((l) => l.iur === si.receiptId && l.iuv === si.iuv) || (!x.lines.length && x.flows.some((r) => r.flowId === flowId))));
    const codes = f.lines.map((l) => l.outcomeCode).join(', ');
    const by = f.transport === 'rest' ? 'FdR 3' : 'SOAP';
    t.check({
      id: 'stand-in-code',
      ...worst(issues),
      message: [
        `flow ${flowId} by ${by}: the Stand-In receipt ${si.receiptId} reported with code ${codes}${issues.length ? `: ${issues.map((x) => x.message).join('; ')}` : transport === 'rest' ? ' (STAND_IN)' : " (the SOAP schema's code for it, NM-A-24)"}`,
        `flusso ${flowId} via ${by}: la ricevuta Stand-In ${si.receiptId} rendicontata con codice ${codes}${issues.length ? `: ${issues.map((x) => x.messageIt).join('; ')}` : transport === 'rest' ? ' (STAND_IN)' : ' (il codice previsto dall’XSD SOAP, NM-A-24)'}`,
      ],
      entries,
    });
  },
};

const REFUSED_LATE = ['PPT_TOKEN_SCADUTO', 'PPT_PAGAMENTO_DUPLICATO'];
/** The race as staged: the candidate's tokens expired, the token that paid the notice instead (or why none did). */
type Race = { expired: string[]; t2?: string; why?: string };

/**
 * NM-PSPPAY-CONC-02, the PSP's half, staged on the Nodo's real state: when the candidate sends the
 * outcome of its token T1, the scenario's hook first ends T1's lifetime in the Nodo's sessions, lets the
 * harness's own PSP verify, activate (T2) and pay the notice, then lets the Nodo answer the candidate,
 * which refuses T1 (PPT_TOKEN_SCADUTO; PPT_PAGAMENTO_DUPLICATO accepted, NM-A-03). The candidate holds no
 * receipt for what it collected: its flow of the day must not report it with code 0 (NM-FDR-VAL-04).
 * It reverses the collection (no line: PASS, as is a PSP with nothing to report for the EC) or reports
 * it without receipt, code 9; the judge's outcome-code rule reads the lines (domain/fdr/reconcile.ts).
 */
const expiryRace: S = {
  id: 'PSP-FDR-07',
  title: 'Race between expiry and a new activation: T1 expires, another PSP pays the notice (T2), the PSP\'s outcome of T1 is refused — its flow does not report that collection with code 0',
  titleIt: 'Corsa tra scadenza e nuova attivazione: T1 scade, un altro PSP paga l’avviso (T2), l’esito del PSP per T1 è rifiutato — il suo flusso non rendiconta quell’incasso con codice 0',
  seat: 'psp',
  exclusive: PSP_FLOWS,
  checks: [
    spec('not-code-0', ['the collection whose outcome was refused (no receipt of the PSP) is in no line of its flow with code 0 or 4: reversed, or reported without receipt (code 9)', 'l’incasso il cui esito è stato rifiutato (nessuna ricevuta del PSP) non è in alcuna riga del suo flusso con codice 0 o 4: stornato, o rendicontato senza ricevuta (codice 9)'], ['NM-PSPPAY-CONC-02', 'NM-FDR-VAL-04']),
    ...reportSpecs('NM-PSPPAY-CONC-02'),
  ],
  async run(t) {
    const transport = transportOf(t);
    const idPSP = t.candidate.idPSP;
    const n = t.position();
    const race: { staged?: Race } = {};
    t.script(async (op, body, proceed) => {
      // the candidate's first outcome only; the harness PSP's own requests go through as they are
      if (race.staged || !OUTCOMES.includes(op) || textOf(body, 'idPSP') !== idPSP) return proceed();
      const r: Race = { expired: tokensOf(body).filter((x) => t.nodo.expireToken(x)) };
      race.staged = r;
      if (r.expired.length) {
        const other = await t.harnessPsp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });
        if (other.outcome?.outcome === 'OK') r.t2 = other.paymentToken;
        else r.why = `verify ${other.verify?.outcome ?? '-'}, activate ${other.activate?.outcome ?? '-'} ${other.activate?.fault?.faultCode ?? ''}, outcome ${other.outcome?.outcome ?? '-'} ${other.outcome?.fault?.faultCode ?? ''}`;
      }
      return proceed();
    });
    const from = t.clock.now();
    const { report } = await runPay(t, { action: 'pay', primitives: 'v1', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
    const w = { from, to: t.clock.now() + 1 };
    const staged = race.staged;
    if (!staged) return t.inconclusive([`the PSP sent no outcome for notice ${n.noticeNumber}: the race was not staged`, `il PSP non ha inviato alcun esito per l’avviso ${n.noticeNumber}: la corsa non è stata messa in scena`]);
    if (!staged.expired.length) return t.inconclusive(["the PSP's outcome named no token of its that was still active: the race was not staged", 'l’esito del PSP non indicava alcun suo token ancora attivo: la corsa non è stata messa in scena']);
    if (!staged.t2) return t.harnessError(`the harness PSP could not pay notice ${n.noticeNumber} after T1 expired (${staged.why})`);
    const t1 = staged.expired[0]!;
    const out = t.requests(OUTCOMES).find((e) => tokensOf(bodyOf(e)).includes(t1));
    const refusal = out ? answer(t, out) : undefined;
    const code = refusal?.fault?.faultCode;
    if (!out || !code || !REFUSED_LATE.includes(code)) return t.harnessError(`the Nodo answered the outcome of expired token ${t1} ${code ?? refusal?.outcome ?? 'nothing'}, not ${REFUSED_LATE.join(' or ')}`);
    checkReport(new Flow(t), report, ['not-paid', 'failed']);
    // the notice's IUV: from the candidate's activation, else from the receipt of T2 (the same notice)
    const act = t.requests(['activatePaymentNotice', 'activatePaymentNoticeV2']).find((e) => textOf(answer(t, e).body, 'paymentToken') === t1);
    const iuv = (act && textOf(answer(t, act).body, 'creditorReferenceId')) || t.ledger.receipts({ model: 'new' }).find((r) => r.receiptId === staged.t2)?.iuv;
    if (!iuv) return t.harnessError(`no IUV is known for notice ${n.noticeNumber} (neither T1's activation nor T2's receipt names one)`);
    const day = t.rt.fdr.days.dayOf(w.from).day;
    await nextDay(t.clock, t.rt.fdr.days, day);
    const { h, flow } = await askFlow(t, { ec: t.ecFiscalCode, transport, day, ...w });
    const race1 = [out, refusal?.response];
    if (!flow) {
      const r = t.rt.inbox.get(h.request.requestId);
      if (!r) return t.notExercised('not-code-0', [`the PSP published no flow for EC ${t.ecFiscalCode} and reported nothing: its account of the refused collection (token ${t1}) was not seen`, `il PSP non ha pubblicato alcun flusso per l’EC ${t.ecFiscalCode} e non ha riferito nulla: il suo resoconto dell’incasso rifiutato (token ${t1}) non si è visto`], race1);
      t.check({
        id: 'not-code-0',
        held: true,
        message: [
          `outcome of ${t1} refused ${code}; no flow for EC ${t.ecFiscalCode}: the PSP reports ${r.result}${r.message ? ` ("${r.message}")` : ''} — the collection is reported nowhere as paid`,
          `esito di ${t1} rifiutato ${code}; nessun flusso per l’EC ${t.ecFiscalCode}: il PSP riferisce "${r.result}"${r.message ? ` ("${r.message}")` : ''} — l’incasso non è rendicontato da nessuna parte come pagato`,
        ],
        entries: race1,
      });
      return;
    }
    const f = judgedFlow(t, flow, (l) => l.iuv === iuv || l.iur === t1);
    const entries = [...race1, ...entriesNaming(t, [f.flowId, t1], 10)];
    if (!f.lines.length) {
      t.check({ id: 'not-code-0', held: true, message: [`outcome of ${t1} refused ${code}; flow ${f.flowId} has no line for IUV ${iuv} / IUR ${t1}: the collection was reversed`, `esito di ${t1} rifiutato ${code}; il flusso ${f.flowId} non ha alcuna riga per IUV ${iuv} / IUR ${t1}: l’incasso è stato stornato`], entries });
      return;
    }
    // the judge as at the publication: the collection known without receipt, the PSP's receipts of the run
    const j = judgeFlows({ model: 'new', idPSP, ecFiscalCode: t.ecFiscalCode, flows: [f], receipts: t.ledger.receipts({ idPSP, model: 'new' }), unreceipted: [{ ecFiscalCode: t.ecFiscalCode, iuv, at: out.at, why: `outcome of ${t1} refused ${code}`, whyIt: `esito di ${t1} rifiutato ${code}` }], now: f.at }, { days: t.rt.fdr.days });
    const issues = j.findings.filter((x) => x.rule === 'outcome-code' && (x.outcome === 'fail' || x.outcome === 'warning') && x.lines.length);
    const codes = f.lines.map((l) => l.outcomeCode).join(', ');
    t.check({
      id: 'not-code-0',
      ...worst(issues),
      message: [
        `outcome of ${t1} refused ${code} (the notice paid by ${staged.t2}); flow ${f.flowId} reports it with code ${codes}${issues.length ? `: ${issues.map((x) => x.message).join('; ')}` : ' (without receipt)'}`,
        `esito di ${t1} rifiutato ${code} (l’avviso pagato con ${staged.t2}); il flusso ${f.flowId} lo rendiconta con codice ${codes}${issues.length ? `: ${issues.map((x) => x.messageIt).join('; ')}` : ' (senza ricevuta)'}`,
      ],
      entries,
    });
  },
};

export const fdrScenarios: S[] = [nominal('PSP-FDR-01', 'soap', 'NM-FDR-PAY-01'), nominal('PSP-FDR-02', 'rest', 'NM-FDR-PAY-10'), revision, lostAnswer, drafts, standIn, expiryRace];
