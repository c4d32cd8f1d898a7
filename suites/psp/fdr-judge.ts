// Reconciliation at the PSP seat, shared by both models' scenarios (./fdr.ts, ./old/fdr.ts): the judge's
// rules declared as checks (domain/fdr FDR_RULES), the PSP's flows judged against the receipts of the
// scenario's window (judgeFlows), each finding recorded as a check carrying the journal entries of the
// flows and receipts it judged; the identifiers the PSP tried (a refused upload never reaches the store)
// judged on the wire; the FdR 3 errors the platform answered in nominal use; and the wait for a flow:
// the embedded PSP's flows are awaited directly, an external PSP's by FlowStore.onPublish with the
// spec's schedule as deadline (D+2 on the run's calendar), cut short by a report that it gave up.
import type { RequestFields } from '../request-fields.js';
import type { BaseContext, CheckSpec } from '../../src/core/scenario.js';
import { spec } from '../../src/core/scenario.js';
import type { JournalEntry } from '../../src/core/journal.js';
import type { LedgerReceipt } from '../../src/core/ledger.js';
import type { Clock } from '../../src/core/clock.js';
import type { ReportInbox, TriggerReport } from '../../src/triggers/index.js';
import { FDR_RULES, type FdrFinding, type FdrJudgement, type FdrModel, type FdrRule, type PublishedFlow, type RevokedPayment, type UnreceiptedCollection, checkOf, judgeFlows } from '../../domain/fdr/judge.js';
import { flowIdProblems } from '../../domain/fdr/ids.js';
import { type DayScale, FDR_DUE_WORKING_DAYS, ITALIAN_BANK_CALENDAR, deadlineAfter, operatingDay } from '../../domain/fdr/calendar.js';
import type { FlowStore, StoredFlow } from '../../actors/nodo/fdr/store.js';

/** The field rules of the PSP's SOAP upload on nodeForPsp (IF-nodoInviaFlussoRendicontazione-F01…F08). */
export const UPLOAD_FIELDS: RequestFields = {
  op: 'nodoInviaFlussoRendicontazione',
  fields: {
    'IF-nodoInviaFlussoRendicontazione-F01': 'identificativoPSP',
    'IF-nodoInviaFlussoRendicontazione-F02': 'identificativoIntermediarioPSP',
    'IF-nodoInviaFlussoRendicontazione-F03': 'identificativoCanale',
    'IF-nodoInviaFlussoRendicontazione-F04': 'password',
    'IF-nodoInviaFlussoRendicontazione-F05': 'identificativoDominio',
    'IF-nodoInviaFlussoRendicontazione-F06': 'identificativoFlusso',
    'IF-nodoInviaFlussoRendicontazione-F07': 'dataOraFlusso',
    'IF-nodoInviaFlussoRendicontazione-F08': 'xmlRendicontazione',
  },
  caller: ['IF-nodoInviaFlussoRendicontazione-F01', 'IF-nodoInviaFlussoRendicontazione-F02', 'IF-nodoInviaFlussoRendicontazione-F03', 'IF-nodoInviaFlussoRendicontazione-F04'],
};

/**
 * What a reconciliation scenario asks the PSP about as a whole: its flow of the day for an EC. Side by
 * side on the real clock, two scenarios asking at once would each take the other's flow for its own.
 */
export const PSP_FLOWS = "the PSP's flows of the day";

export const FDR_RULE_IDS = Object.keys(FDR_RULES) as FdrRule[];

/**
 * The judge's rules as the scenario's checks (a model without the rule has no check). `omit`: ids a
 * scenario cannot exercise (no revoked payment in its window: no code 3 to judge), left out of its
 * checks and of the findings it records.
 */
export function fdrRuleSpecs(model: FdrModel, only: readonly FdrRule[] = FDR_RULE_IDS, omit: readonly string[] = []): CheckSpec[] {
  return only
    .map((r) => [r, FDR_RULES[r].requirements[model].filter((id) => !omit.includes(id))] as const)
    .filter(([, ids]) => ids.length)
    .map(([r, ids]) => spec(r, [FDR_RULES[r].what, FDR_RULES[r].whatIt], [...ids]));
}

/** FdR 3 error codes → the requirement that frames the PSP's handling of them (NM-FDR-ERR-10…18). */
const FDR_ERROR_REQUIREMENT: [RegExp, string][] = [
  [/^FDR-3002$/, 'NM-FDR-ERR-10'], [/^FDR-3003$/, 'NM-FDR-ERR-11'], [/^FDR-30(04|10)$/, 'NM-FDR-ERR-12'], [/^FDR-300[567]$/, 'NM-FDR-ERR-13'],
  [/^FDR-300[89]$/, 'NM-FDR-ERR-14'], [/^FDR-400[12]$/, 'NM-FDR-ERR-15'], [/^FDR-200\d$/, 'NM-FDR-ERR-16'], [/^FDR-100[0-5]$/, 'NM-FDR-ERR-17'], [/^FDR-3001$/, 'NM-FDR-ERR-18'],
];
export const FDR_ERROR_IDS = FDR_ERROR_REQUIREMENT.map(([, id]) => id);
export const FDR_ERRORS_SPEC = spec(
  'fdr-errors',
  [
    'in nominal use the PSP draws none of the FdR 3 errors (FDR-1xxx, 2xxx, 3xxx, 4001/4002): its requests are valid, in order, for its own configuration',
    'nell’uso nominale il PSP non provoca alcun errore FdR 3 (FDR-1xxx, 2xxx, 3xxx, 4001/4002): le sue richieste sono valide, in ordine, per la sua configurazione',
  ],
  FDR_ERROR_IDS,
);

/** Every publication of the PSP's flows in the store, every revision (the judge's input). */
export function publishedFlows(store: FlowStore, idPSP: string): PublishedFlow[] {
  const ids = new Set(store.summaries({ idPSP }).map((s) => s.flow.flowId));
  return [...ids].flatMap((id) => store.revisions(idPSP, id)).map((s) => ({ ...s.flow, transport: s.transport, at: s.publishedAt }));
}

/** The journal entries that name any of `keys` (flow ids, IURs, tokens), at most `max`. */
export function entriesNaming(t: BaseContext, keys: readonly string[], max = 12): JournalEntry[] {
  const ks = keys.filter((k) => k.length >= 6);
  const named = t.journal.entries.filter((e) => ks.some((k) => e.raw?.includes(k) || e.url?.includes(k)));
  // with the other leg of each exchange (an answer seldom repeats the flow's identifier)
  const exchanges = new Set(named.map((e) => e.exchange).filter((x) => x > 0));
  return t.journal.entries.filter((e) => named.includes(e) || exchanges.has(e.exchange)).slice(0, max);
}

/** The identifiers the PSP sent in uploads and FdR 3 creations (a refused one never reaches the store). */
export function sentFlowIds(t: BaseContext): { flowId: string; entry: JournalEntry }[] {
  const out: { flowId: string; entry: JournalEntry }[] = [];
  for (const e of t.journal.entries) {
    if (e.direction !== 'request' || e.to !== 'nodo') continue;
    if (e.primitive === 'nodoInviaFlussoRendicontazione') {
      const m = /<identificativoFlusso>([^<]*)<\/identificativoFlusso>/.exec(e.raw);
      if (m) out.push({ flowId: m[1]!, entry: e });
    } else if (e.primitive === 'createFlow') {
      try {
        const fdr = (JSON.parse(e.raw) as { fdr?: unknown }).fdr;
        if (typeof fdr === 'string') out.push({ flowId: fdr, entry: e });
      } catch {
        /* an unreadable body is the schema's business */
      }
    }
  }
  return out;
}

export interface ReconciliationInput {
  model: FdrModel;
  idPSP: string;
  /** the ECs whose flows are judged (a multi-beneficiary payment credits several) */
  ecs: readonly string[];
  store: FlowStore;
  /** the scenario's publications only: those at or after this clock instant (earlier scenarios' flows reconcile their own receipts) */
  since: number;
  /** the flows the scenario asked for, when known: only their publications are judged (scenarios side by side ask flows of the same EC) */
  flowIds?: readonly string[];
  /** the receipts of the scenario's window (those the flow must report) */
  receipts: readonly LedgerReceipt[];
  unreceipted?: readonly UnreceiptedCollection[];
  revoked?: readonly RevokedPayment[];
  days: DayScale;
  now: number;
  /** the rules the scenario declared (others are left out) */
  rules?: readonly FdrRule[];
  /** requirement ids the scenario left out of its checks (fdrRuleSpecs' omit) */
  omit?: readonly string[];
  /**
   * The IUVs of the scenario's own payments: the flows' lines of other IUVs (payments of scenarios running
   * side by side in the same window) are left out of the line rules, whose totals are then the
   * projection's; the declared totals are judged on the whole flow all the same.
   */
  ownIuvs?: ReadonlySet<string>;
}

/** Judges the PSP's flows for each EC and records every finding as a check. */
export function recordReconciliation(t: BaseContext, r: ReconciliationInput): FdrJudgement[] {
  const rules = new Set(r.rules ?? FDR_RULE_IDS);
  const whole = publishedFlows(r.store, r.idPSP).filter((f) => f.at >= r.since && (!r.flowIds || r.flowIds.includes(f.flowId)));
  const own = r.ownIuvs;
  const flows = own ? whole.map((f) => project(f, own)) : whole;
  // the declared totals of a whole flow whose lines were projected (the projection's totals are its own)
  if (own && rules.has('totals')) {
    for (const f of whole.filter((x) => x.lines.some((l) => !own.has(l.iuv)))) {
      const sum = f.lines.reduce((a, l) => a + l.amountCents, 0);
      const ok = f.totalCount === f.lines.length && f.totalCents === sum;
      t.check({ id: 'totals', requirements: [...FDR_RULES.totals.requirements[r.model]], held: ok, message: [
          `flow ${f.flowId} (with ${f.lines.filter((l) => !own.has(l.iuv)).length} lines of payments made beside this scenario): ${f.totalCount} payments of ${f.totalCents} cents declared, ${f.lines.length} lines of ${sum} cents`,
          `flusso ${f.flowId} (con ${f.lines.filter((l) => !own.has(l.iuv)).length} righe di pagamenti fatti accanto a questa prova): dichiarati ${f.totalCount} pagamenti per ${f.totalCents} centesimi, ${f.lines.length} righe per ${sum} centesimi`,
        ],
        entries: entriesNaming(t, [f.flowId]) });
    }
  }
  const out: FdrJudgement[] = [];
  const sent = sentFlowIds(t);
  const flowIdIds = [...FDR_RULES['flow-id'].requirements[r.model]];
  // identifiers refused before they reached the store: the pattern is judged on the wire
  for (const s of sent) {
    if (!rules.has('flow-id') || flows.some((f) => f.flowId === s.flowId)) continue;
    const must = flowIdProblems(s.flowId, r.idPSP).filter((p) => p.level === 'MUST');
    if (must.length) t.check({ id: 'flow-id', requirements: flowIdIds, held: false, message: [`the PSP sent identificativoFlusso ${JSON.stringify(s.flowId)}: ${must.map((p) => p.message).join('; ')}`, `il PSP ha inviato identificativoFlusso ${JSON.stringify(s.flowId)}: ${must.map((p) => p.messageIt).join('; ')}`], entries: [s.entry] });
  }
  for (const ec of r.ecs) {
    const j = judgeFlows({ model: r.model, idPSP: r.idPSP, ecFiscalCode: ec, flows, receipts: r.receipts, unreceipted: r.unreceipted, revoked: r.revoked, now: r.now }, { days: r.days });
    out.push(j);
    for (const f of j.findings) {
      if (!rules.has(f.rule)) continue;
      // a finding that names no flow or line (the KPI aggregates) is evidenced by every flow of this EC it aggregated
      const named = evidenceOf(t, f);
      const entries = named.length ? named : entriesNaming(t, flows.filter((x) => x.ecFiscalCode === ec).map((x) => x.flowId));
      const c = checkOf(f);
      const requirements = c?.requirements.filter((id) => !r.omit?.includes(id));
      if (c && requirements?.length) t.check({ id: f.rule, ...c, requirements, message: [`EC ${ec}: ${c.message}`, `EC ${ec}: ${f.messageIt}`], entries });
      else if (c) continue;
      else t.notExercised(f.rule, [`EC ${ec}: ${f.message}`, `EC ${ec}: ${f.messageIt}`], entries);
    }
  }
  return out;
}

/** A flow reduced to the lines of `iuvs`, its totals those of the lines kept. */
function project(f: PublishedFlow, iuvs: ReadonlySet<string>): PublishedFlow {
  if (f.lines.every((l) => iuvs.has(l.iuv))) return f;
  const lines = f.lines.filter((l) => iuvs.has(l.iuv));
  return { ...f, lines, totalCount: lines.length, totalCents: lines.reduce((a, l) => a + l.amountCents, 0) };
}

function evidenceOf(t: BaseContext, f: FdrFinding): JournalEntry[] {
  return entriesNaming(t, [...f.flows.map((x) => x.flowId), ...f.lines.map((l) => l.iur), ...f.receipts.map((x) => x.receiptId)]);
}

/** The FdR 3 errors the platform answered the PSP (none expected in nominal use). */
export function checkNoFdrErrors(t: BaseContext): void {
  const hits: { code: string; id: string; e: JournalEntry }[] = [];
  for (const e of t.journal.entries) {
    if (e.direction !== 'response' || e.to !== 'psp') continue;
    const code = /"appErrorCode"\s*:\s*"(FDR-\d{4})"/.exec(e.raw ?? '')?.[1];
    const id = code && FDR_ERROR_REQUIREMENT.find(([re]) => re.test(code))?.[1];
    if (code && id) hits.push({ code, id, e });
  }
  const rest = t.journal.entries.filter((e) => e.direction === 'request' && e.from === 'psp' && /fdr/i.test(e.url ?? ''));
  if (!rest.length) return t.notExercised('fdr-errors', ['the PSP made no FdR 3 request', 'il PSP non ha fatto alcuna richiesta FdR 3']);
  t.check({
    id: 'fdr-errors',
    requirements: hits.length ? [...new Set(hits.map((h) => h.id))] : FDR_ERROR_IDS,
    held: !hits.length,
    message: hits.length
      ? [`the platform answered ${hits.map((h) => `${h.code} to ${h.e.primitive}`).join(', ')}`, `la piattaforma ha risposto ${hits.map((h) => `${h.code} a ${h.e.primitive}`).join(', ')}`]
      : [`${rest.length} FdR 3 request(s), none answered with an FDR error`, `${rest.length} ${rest.length === 1 ? 'richiesta' : 'richieste'} FdR 3, nessuna con risposta di errore FDR`],
    entries: hits.length ? hits.map((h) => h.e) : rest.slice(0, 6),
  });
}

/**
 * How long a caller of the FdR primitives waits for the Nodo (NM-A-26: at least 30 s). On real days a PSP
 * asked for its flow has the trigger's deadline plus two such waits (one lost answer, then its retry),
 * not the two days of the spec's schedule.
 */
export const FDR_CALLER_WAIT_MS = 30_000;
export const realDaysCap = (deadlineAt: number): number => deadlineAt + 2 * FDR_CALLER_WAIT_MS;

const DAY_MS = 86_400_000;

/**
 * When the harness stops waiting for a flow due at `due`. On real days: the trigger's deadline and two
 * caller waits (realDaysCap), not two days. On a compressed calendar: `due`, but never before that same
 * cap — the PSP's retries take real seconds however short the day (a lost answer costs it a caller wait),
 * and a flow published after `due` is still seen, to be judged late rather than missing.
 */
export function flowWaitUntil(days: DayScale, due: number, deadlineAt: number): number {
  return days.dayMs >= DAY_MS ? Math.min(due, realDaysCap(deadlineAt)) : Math.max(due, realDaysCap(deadlineAt));
}

/**
 * The payment day ends: on a virtual clock or a compressed calendar the clock moves into D+1 (past
 * its 13:00 cut-off share of the day); on real days the flow is asked the same day, nothing waited.
 */
export async function nextDay(clock: Clock, days: DayScale, day: string): Promise<void> {
  if (!clock.virtual && days.dayMs >= DAY_MS) return;
  const wait = days.startOf(day) + days.dayMs + Math.round(days.dayMs * 0.4) - clock.now();
  if (wait > 0) await clock.sleep(wait);
}

/**
 * The instant a flow is judged at: the deadline of the payments of a window ending at `to` (24:00 of
 * D+2 after their operating day, so a payment after the cut-off counts on the next working day), or now.
 */
export function judgedAt(to: number, days: DayScale, now: number): number {
  return Math.max(now, flowDueAt(operatingDay(to, days, ITALIAN_BANK_CALENDAR), days));
}

/** The instant the flow of payment day `day` is due: 24:00 of D+2 on the run's calendar (NM-TR-11). */
export function flowDueAt(day: string, days: DayScale): number {
  return deadlineAfter(day, FDR_DUE_WORKING_DAYS, days, ITALIAN_BANK_CALENDAR).at;
}

/**
 * Waits for a flow of the PSP for `ec` published at or after `since` (a correction: that flow, at least at
 * `revision` — the clock's millisecond cannot tell a correction from the flow published just before the ask):
 * resolves with it, or undefined when
 * the PSP reported that it gave up (report `failed` / `not-paid`) or `dueAt` passed on the clock.
 */
export function waitFlow(o: { store: FlowStore; clock: Clock; idPSP: string; ec: string; since: number; dueAt: number; inbox?: ReportInbox; requestId?: string; revision?: number; flowId?: string }): Promise<StoredFlow | undefined> {
  const match = (s: StoredFlow) =>
    s.flow.idPSP === o.idPSP && s.flow.ecFiscalCode === o.ec && s.publishedAt >= o.since && (o.revision === undefined || s.revision >= o.revision) && (o.flowId === undefined || s.flow.flowId === o.flowId);
  const found = o.store.list({ idPSP: o.idPSP, ecFiscalCode: o.ec, since: o.since }).find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    let done = false;
    const finish = (s: StoredFlow | undefined) => {
      if (done) return;
      done = true;
      off();
      clearTimeout(timer);
      resolve(s);
    };
    const off = o.store.onPublish((s) => match(s) && finish(s));
    const timer = setTimeout(() => finish(undefined), Math.max(0, o.dueAt - o.clock.now()));
    if (o.inbox && o.requestId) {
      void o.inbox.wait(o.requestId, Math.max(0, o.dueAt - o.clock.now())).then((r: TriggerReport | undefined) => {
        if (r && r.result !== 'paid') finish(undefined);
      });
    }
  });
}
