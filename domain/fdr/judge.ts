// The judge of a PSP's reporting flows (FdR) against the run's ledger (issue 12, Deliver 3): every flow
// the PSP published for one EC — each revision, by SOAP or FdR 3 REST, with when it reached the
// platform — and every receipt / RT the platform settled for that PSP and EC → one outcome per rule,
// each finding naming its requirement ids, the field, the rule and the values, and the flow lines and
// receipts it judged (keys, so a scenario attaches the journal entries). Pure: no clock, no I/O;
// `now` and the calendar are inputs (calendar.ts). The rules, in order, are FDR_RULES below; the
// line-by-line reconciliation is in reconcile.ts.
//
// Readings taken (the spec leaves them open; each names its source):
//  - Revisions (NM-A-22): the latest publication of a flow is authoritative; the content rules
//    (totals, dates, lines, codes) judge it alone, so an error corrected in time is not held against
//    the PSP. D+2 judges a flow's first publication, D+4 (NM-FDR-TO-02) each later one.
//  - A flow id published again is the same flow (a SOAP resubmission, a REST revision) when it goes
//    to the same EC and names the same SCT (identificativoUnivocoRegolamento) or the same
//    dataRegolamento; otherwise the id was reused for another flow (NM-FDR-VAL-01: unique per PSP).
//  - One flow through one channel only (NM-A-21): the same id by SOAP and by REST is a duplicate; so
//    are two flows naming the same SCT (NM-FDR-VAL-03: one flow ↔ one SCT). The same SOAP flow sent
//    again unchanged is a WARNING: after an upload timeout the PSP should ask its status first
//    (OLD-FDR-ERR-07, FLUSSO_DUPLICATO, OLD-FDR-ERR-08 / A-24).
//  - The flow's day and dates are read from its text (date part, or the instant when it carries an
//    offset); clock instants (receipts, publications) through the DayScale.
//  - Identifier (ids.ts flowIdProblems): the pattern is MUST; the layout <YYYY-MM-DD><idPSP>-<unique>
//    is NM-A-23's reading, WARNING only (index note of NM-FDR-VAL-01).
import type { Bi } from '../../src/core/text.js';
import type { ReportingFlow } from './types.js';
import { type Day, FDR_CORRECTION_WORKING_DAYS, FDR_DUE_WORKING_DAYS, ITALIAN_BANK_CALENDAR, OPERATING_CUTOFF, deadlineAfter, isDay, realDays, workingDaysBetween } from './calendar.js';
import { FDR_RULES, type FdrFinding, type FdrJudgeInput, type FdrJudgeOptions, type FdrJudgement, type FdrKpi, type FdrModel, type FdrOutcome, type FdrRule, type FdrRuleVerdict, type FlowRef, type PublishedFlow, worse } from './findings.js';
import { flowIdProblems } from './ids.js';
import { type Ctx, type Logical, type Pub, euros, isSoap as soap, reconcile } from './reconcile.js';

export * from './findings.js';
export { euros, lineTransfer } from './reconcile.js';

/** A flow's key among the PSP's flows. */
export const flowRef = (f: PublishedFlow): FlowRef => ({ idPSP: f.idPSP, flowId: f.flowId, ...(f.revision !== undefined ? { revision: f.revision } : {}), transport: f.transport, at: f.at });

const sameContent = (a: ReportingFlow, b: ReportingFlow) => JSON.stringify({ ...a, revision: 0, transport: 0, at: 0 }) === JSON.stringify({ ...b, revision: 0, transport: 0, at: 0 });
/** A date-time as xs:dateTime / ISO 8601 write it (offset optional). */
const isDateTime = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s) && isDay(s.slice(0, 10));

/** Judges the flows of one PSP for one EC against the receipts of the run. */
export function judgeFlows(input: FdrJudgeInput, o: FdrJudgeOptions = {}): FdrJudgement {
  const days = o.days ?? realDays();
  const cal = o.calendar ?? ITALIAN_BANK_CALENDAR;
  const cutoff = o.cutoff ?? OPERATING_CUTOFF;
  const findings: FdrFinding[] = [];
  const ids = (rule: FdrRule, part?: { new?: string[]; old?: string[] }) => part?.[input.model] ?? FDR_RULES[rule].requirements[input.model];
  const emit = (rule: FdrRule, outcome: FdrOutcome, [message, messageIt]: Bi, keys: Partial<Pick<FdrFinding, 'flows' | 'lines' | 'receipts' | 'latenessMs'>> = {}, part?: { new?: string[]; old?: string[] }) => {
    const requirements = ids(rule, part);
    if (!requirements.length) return;
    findings.push({ rule, requirements, outcome, message, messageIt, flows: keys.flows ?? [], lines: keys.lines ?? [], receipts: keys.receipts ?? [], ...(keys.latenessMs !== undefined ? { latenessMs: keys.latenessMs } : {}) });
  };
  const kpi: FdrKpi = { flows: 0, late: [], missing: [], wrongIds: 0, wrongTotals: 0 };
  /** a span of the clock in the scale's hours or days */
  const span = (ms: number) => (ms < days.dayMs ? `${((ms / days.dayMs) * 24).toFixed(1)} h` : `${(ms / days.dayMs).toFixed(2)} days`);
  const spanIt = (ms: number) => (ms < days.dayMs ? `${((ms / days.dayMs) * 24).toFixed(1)} h` : `${(ms / days.dayMs).toFixed(2)} giorni`);
  /** a clock instant as its day and hour (hours of the scale's day: compressed days have compressed hours) */
  const when = (ms: number) => {
    const p = days.dayOf(ms);
    return `${p.day} ${((p.sinceStartMs / days.dayMs) * 24).toFixed(2)} h`;
  };
  const readings = [
    `working days: ${cal.name}; days on the clock: ${days.name}`,
    `payment day D = its operating day (cut-off ${Math.round(cutoff * 24 * 60) / 60} h, seed 003 L2615); deadline 24:00 of D+${FDR_DUE_WORKING_DAYS}, corrections D+${FDR_CORRECTION_WORKING_DAYS}`,
    'the latest publication of a flow is the one reconciled (NM-A-22)',
  ];

  // ---- the PSP's flows, sorted into logical flows (a republication is the same flow, NM-A-22) ----
  const mine = input.flows.filter((f) => f.idPSP === input.idPSP).sort((a, b) => a.at - b.at);
  const logical: Logical[] = [];
  const current = new Map<string, Logical>();
  const reused = new Set<string>();
  for (const f of mine) {
    const ref = flowRef(f);
    const prev = current.get(f.flowId);
    const last = prev?.latest.f;
    if (prev && last && last.ecFiscalCode === f.ecFiscalCode && (last.regulationId === f.regulationId || last.regulationDate === f.regulationDate)) {
      const pub: Pub = { f, ref, kind: sameContent(last, f) ? 'repeat' : 'correction' };
      prev.pubs.push(pub);
      prev.latest = pub;
      continue;
    }
    const l: Logical = { key: prev ? `${f.flowId}#${logical.filter((x) => x.flowId === f.flowId).length + 1}` : f.flowId, flowId: f.flowId, pubs: [], first: undefined as never, latest: undefined as never };
    const pub: Pub = { f, ref, kind: prev ? 'reuse' : 'original' };
    l.pubs.push(pub);
    l.first = pub;
    l.latest = pub;
    if (prev) {
      const p = prev.latest;
      const concerns = p.f.ecFiscalCode === input.ecFiscalCode || f.ecFiscalCode === input.ecFiscalCode;
      if (concerns) {
        reused.add(f.flowId);
        kpi.wrongIds++;
        emit('flow-id-unique', 'fail', [
          `identificativoFlusso ${f.flowId} reused: first for EC ${p.f.ecFiscalCode}, SCT ${p.f.regulationId} of ${p.f.regulationDate}; again for EC ${f.ecFiscalCode}, SCT ${f.regulationId} of ${f.regulationDate} (an id names one flow of the PSP)`,
          `identificativoFlusso ${f.flowId} riutilizzato: prima per l’EC ${p.f.ecFiscalCode}, SCT ${p.f.regulationId} del ${p.f.regulationDate}; di nuovo per l’EC ${f.ecFiscalCode}, SCT ${f.regulationId} del ${f.regulationDate} (un identificativo indica un solo flusso del PSP)`,
        ], { flows: [p.ref, ref] });
      }
    }
    logical.push(l);
    current.set(f.flowId, l);
  }
  const ours = logical.filter((l) => l.latest.f.ecFiscalCode === input.ecFiscalCode);
  kpi.flows = ours.length;

  // ---- identifier ----
  for (const l of ours) {
    const f = l.first.f;
    const ref = l.first.ref;
    // the identifier's rules are domain/fdr/ids.ts's: the pattern MUST, the layout a reading (NM-A-23)
    const problems = flowIdProblems(f.flowId, f.idPSP);
    if (problems.length) kpi.wrongIds++;
    for (const p of problems) emit('flow-id', p.level === 'MUST' ? 'fail' : 'warning', [`${p.message}${p.level === 'MUST' ? '' : ' (layout <YYYY-MM-DD><idPSP>-<unique>, NM-A-23 reading)'}`, `${p.messageIt}${p.level === 'MUST' ? '' : ' (composizione <YYYY-MM-DD><idPSP>-<univoco>, lettura di NM-A-23)'}`], { flows: [ref] });
    if (!problems.length) emit('flow-id', 'pass', [`identificativoFlusso ${f.flowId}: pattern and layout <YYYY-MM-DD><${f.idPSP}>-<unique>`, `identificativoFlusso ${f.flowId}: pattern e composizione <YYYY-MM-DD><${f.idPSP}>-<univoco>`], { flows: [ref] });
  }
  for (const l of ours) {
    if (!reused.has(l.flowId)) emit('flow-id-unique', 'pass', [`identificativoFlusso ${l.flowId} names one flow${l.pubs.length > 1 ? ` (${l.pubs.length} publications to the same EC for the same SCT)` : ''}`, `identificativoFlusso ${l.flowId} indica un solo flusso${l.pubs.length > 1 ? ` (${l.pubs.length} pubblicazioni allo stesso EC per lo stesso SCT)` : ''}`], { flows: [l.first.ref] });
  }

  // ---- duplicates ----
  for (const l of ours) {
    const transports = [...new Set(l.pubs.map((p) => (soap(p.f.transport) ? 'SOAP' : 'REST')))];
    if (transports.length > 1) emit('duplicate-flow', 'fail', [`flow ${l.flowId} published by SOAP and by FdR 3 REST: one flow through one channel only (NM-A-21)`, `flusso ${l.flowId} pubblicato via SOAP e via FdR 3 REST: un flusso passa per un solo canale (NM-A-21)`], { flows: l.pubs.map((p) => p.ref) }, { old: ['OLD-FDR-01'] });
    for (const p of l.pubs.filter((x) => x.kind === 'repeat' && soap(x.f.transport))) {
      emit('duplicate-flow', 'warning', [
        `flow ${l.flowId} sent again unchanged by nodoInviaFlussoRendicontazione (${when(p.f.at)}): a duplicate (FLUSSO_DUPLICATO); after an upload timeout the PSP asks the flow's status (OLD-FDR-ERR-07)`,
        `flusso ${l.flowId} inviato di nuovo invariato con nodoInviaFlussoRendicontazione (${when(p.f.at)}): un duplicato (FLUSSO_DUPLICATO); dopo un timeout di invio il PSP chiede lo stato del flusso (OLD-FDR-ERR-07)`,
      ], { flows: [l.first.ref, p.ref] }, { old: ['OLD-FDR-ERR-08'] });
    }
  }
  const bySct = new Map<string, Logical[]>();
  for (const l of ours) bySct.set(l.latest.f.regulationId, [...(bySct.get(l.latest.f.regulationId) ?? []), l]);
  for (const [sct, ls] of bySct) {
    if (ls.length > 1) emit('duplicate-flow', 'fail', [`${ls.length} flows (${ls.map((l) => l.flowId).join(', ')}) name the same SCT identificativoUnivocoRegolamento ${sct}: one flow per SCT (NM-FDR-VAL-03, OLD-FDR-01)`, `${ls.length} flussi (${ls.map((l) => l.flowId).join(', ')}) indicano lo stesso SCT identificativoUnivocoRegolamento ${sct}: un flusso per SCT (NM-FDR-VAL-03, OLD-FDR-01)`], { flows: ls.map((l) => l.latest.ref) }, { old: ['OLD-FDR-01'] });
  }
  if (ours.length && !findings.some((x) => x.rule === 'duplicate-flow')) emit('duplicate-flow', 'pass', [`${ours.length} flow${ours.length > 1 ? 's' : ''}, each through one channel, each for its own SCT`, `${ours.length} ${ours.length > 1 ? 'flussi, ciascuno' : 'flusso,'} per un solo canale e per il proprio SCT`], { flows: ours.map((l) => l.latest.ref) });

  // ---- totals (the reconciled publication) ----
  for (const l of ours) {
    const f = l.latest.f;
    const n = f.lines.length;
    let sum = 0;
    for (const x of f.lines) sum += x.amountCents;
    const bad = [f.totalCount !== n ? `numeroTotalePagamenti / totPayments ${f.totalCount} ≠ ${n} lines` : '', f.totalCents !== sum ? `importoTotalePagamenti / sumPayments ${euros(f.totalCents)} ≠ sum of the lines ${euros(sum)}` : ''].filter(Boolean);
    const badIt = [f.totalCount !== n ? `numeroTotalePagamenti / totPayments ${f.totalCount} ≠ ${n} righe` : '', f.totalCents !== sum ? `importoTotalePagamenti / sumPayments ${euros(f.totalCents)} ≠ somma delle righe ${euros(sum)}` : ''].filter(Boolean);
    if (bad.length) kpi.wrongTotals++;
    emit('totals', bad.length ? 'fail' : 'pass', bad.length ? [`flow ${l.flowId}: ${bad.join('; ')}`, `flusso ${l.flowId}: ${badIt.join('; ')}`] : [`flow ${l.flowId}: ${n} lines, ${euros(sum)} as declared`, `flusso ${l.flowId}: ${n} righe, ${euros(sum)} come dichiarato`], { flows: [l.latest.ref] });
  }

  // ---- the lines against the receipts (reconcile.ts): reported once, identity, codes; days per line ----
  const ctx: Ctx = { input, days, cal, cutoff, emit, ids, kpi, singleSettlement: o.singleSettlement ?? false };
  const rec = reconcile(ctx, ours);

  // ---- dates ----
  for (const l of ours) {
    const f = l.latest.f;
    const ref = l.latest.ref;
    const paid = rec.payDays(l.latest);
    const latest = paid.reduce<Day | undefined>((m, d) => (!m || d > m ? d : m), undefined);
    const earliest = paid.reduce<Day | undefined>((m, d) => (!m || d < m ? d : m), undefined);
    const flowDay = days.dayOfText(f.flowDate);
    const published = days.dayOf(f.at).day;
    if (!flowDay || !isDateTime(f.flowDate)) emit('flow-date', 'fail', [`flow ${l.flowId}: dataOraFlusso / fdrDate ${JSON.stringify(f.flowDate)} is not a date-time`, `flusso ${l.flowId}: dataOraFlusso / fdrDate ${JSON.stringify(f.flowDate)} non è una data-ora`], { flows: [ref] });
    else if (latest && flowDay < latest) emit('flow-date', 'fail', [`flow ${l.flowId}: dataOraFlusso ${f.flowDate} (day ${flowDay}) is before a payment it reports (paid ${latest})`, `flusso ${l.flowId}: dataOraFlusso ${f.flowDate} (giorno ${flowDay}) precede un pagamento che rendiconta (pagato il ${latest})`], { flows: [ref] });
    else if (flowDay > published) emit('flow-date', 'fail', [`flow ${l.flowId}: dataOraFlusso ${f.flowDate} (day ${flowDay}) is after the day it reached the platform (${published})`, `flusso ${l.flowId}: dataOraFlusso ${f.flowDate} (giorno ${flowDay}) è successiva al giorno di arrivo sulla piattaforma (${published})`], { flows: [ref] });
    else emit('flow-date', 'pass', [`flow ${l.flowId}: dataOraFlusso ${f.flowDate}${latest ? ` between the last payment (${latest})` : ''} and its publication (${published})`, `flusso ${l.flowId}: dataOraFlusso ${f.flowDate}${latest ? ` tra l’ultimo pagamento (${latest})` : ''} e la sua pubblicazione (${published})`], { flows: [ref] });

    const reg = f.regulationDate;
    if (!isDay(reg)) emit('regulation-date', 'fail', [`flow ${l.flowId}: dataRegolamento / regulationDate ${JSON.stringify(reg)} is not a date YYYY-MM-DD`, `flusso ${l.flowId}: dataRegolamento / regulationDate ${JSON.stringify(reg)} non è una data YYYY-MM-DD`], { flows: [ref] });
    else if (latest && reg < latest) emit('regulation-date', 'fail', [`flow ${l.flowId}: dataRegolamento ${reg} is before the day of a payment it settles (${latest}): the SCT cannot precede the payment`, `flusso ${l.flowId}: dataRegolamento ${reg} precede il giorno di un pagamento che regola (${latest}): lo SCT non può precedere il pagamento`], { flows: [ref] });
    else {
      const sctDue = rec.sctDue(l.latest);
      if (sctDue && reg > sctDue) emit('regulation-date', 'warning', [`flow ${l.flowId}: dataRegolamento ${reg} is after D+1 (${sctDue}): the SCT is due the working day after the payment day (TR-02, NM-TR-10)`, `flusso ${l.flowId}: dataRegolamento ${reg} è successiva a D+1 (${sctDue}): lo SCT va eseguito il giorno lavorativo dopo il giorno di pagamento (TR-02, NM-TR-10)`], { flows: [ref] });
      else if (reg > published) emit('regulation-date', 'warning', [`flow ${l.flowId}: dataRegolamento ${reg} is after the day the flow reached the platform (${published}): the flow reports an SCT already made`, `flusso ${l.flowId}: dataRegolamento ${reg} è successiva al giorno di arrivo del flusso sulla piattaforma (${published}): il flusso rendiconta uno SCT già eseguito`], { flows: [ref] });
      else emit('regulation-date', 'pass', [`flow ${l.flowId}: dataRegolamento ${reg}${latest ? `, not before the payments (${earliest === latest ? latest : `${earliest}..${latest}`})` : ''}`, `flusso ${l.flowId}: dataRegolamento ${reg}${latest ? `, non precedente ai pagamenti (${earliest === latest ? latest : `${earliest}..${latest}`})` : ''}`], { flows: [ref] });
    }
  }

  // ---- deadlines: the first publication by D+2, each later one by D+4 ----
  for (const l of ours) {
    for (const p of l.pubs) {
      const first = p === l.first;
      if (!first && p.kind === 'repeat' && soap(p.f.transport)) continue; // an unchanged SOAP resend is judged as a duplicate
      const rule: FdrRule = first ? 'deadline' : 'correction-deadline';
      const n = first ? FDR_DUE_WORKING_DAYS : FDR_CORRECTION_WORKING_DAYS;
      const d = rec.opDays(p).reduce<Day | undefined>((m, x) => (!m || x < m ? x : m), undefined);
      if (!d) {
        emit(rule, 'not-exercised', [`flow ${l.flowId}${p.f.revision ? ` revision ${p.f.revision}` : ''} has no line whose payment day is known`, `flusso ${l.flowId}${p.f.revision ? ` revisione ${p.f.revision}` : ''}: nessuna riga con giorno di pagamento noto`], { flows: [p.ref] });
        continue;
      }
      const due = deadlineAfter(d, n, days, cal);
      const at = days.dayOf(p.f.at);
      if (p.f.at < due.at) {
        emit(rule, 'pass', [
          `flow ${l.flowId}${first ? '' : ` correction${p.f.revision ? ` revision ${p.f.revision}` : ''}`} reached the platform ${when(p.f.at)}, by 24:00 of D+${n} (${due.day}) for payments of ${d}`,
          `flusso ${l.flowId}${first ? '' : ` correzione${p.f.revision ? ` revisione ${p.f.revision}` : ''}`} arrivato sulla piattaforma ${when(p.f.at)}, entro le 24:00 di D+${n} (${due.day}) per i pagamenti del ${d}`,
        ], { flows: [p.ref] });
        continue;
      }
      const latenessMs = p.f.at - due.at;
      const workingDaysLate = Math.max(1, workingDaysBetween(cal, due.day, at.day));
      kpi.late.push({ flow: p.ref, deadline: due.day, latenessMs, workingDaysLate, correction: !first });
      emit(rule, 'fail', [
        `flow ${l.flowId}${first ? '' : ` correction${p.f.revision ? ` revision ${p.f.revision}` : ''}`} reached the platform ${when(p.f.at)}: late by ${span(latenessMs)} (${workingDaysLate} working day${workingDaysLate > 1 ? 's' : ''}) after 24:00 of D+${n} (${due.day}) for payments of D = ${d}`,
        `flusso ${l.flowId}${first ? '' : ` correzione${p.f.revision ? ` revisione ${p.f.revision}` : ''}`} arrivato sulla piattaforma ${when(p.f.at)}: in ritardo di ${spanIt(latenessMs)} (${workingDaysLate} ${workingDaysLate > 1 ? 'giorni lavorativi' : 'giorno lavorativo'}) dopo le 24:00 di D+${n} (${due.day}) per i pagamenti di D = ${d}`,
      ], { flows: [p.ref], latenessMs });
    }
  }

  // ---- KPI (NM-SLA-KPI-03): late or missing flows, wrong ids, wrong totals ----
  const worstLate = kpi.late.reduce((m, x) => Math.max(m, x.latenessMs), 0);
  const parts = [`${kpi.flows} flow${kpi.flows === 1 ? '' : 's'}`, `${kpi.late.length} late${worstLate ? ` (worst ${span(worstLate)})` : ''}`, `${kpi.missing.length} receipt${kpi.missing.length === 1 ? '' : 's'} missing after the deadline`, `${kpi.wrongIds} identifier problem${kpi.wrongIds === 1 ? '' : 's'}`, `${kpi.wrongTotals} flow${kpi.wrongTotals === 1 ? '' : 's'} with wrong totals`];
  const one = (n: number, singular: string, plural: string) => `${n} ${n === 1 ? singular : plural}`;
  const partsIt = [one(kpi.flows, 'flusso', 'flussi'), `${one(kpi.late.length, 'tardivo', 'tardivi')}${worstLate ? ` (il peggiore ${spanIt(worstLate)})` : ''}`, `${one(kpi.missing.length, 'ricevuta mancante', 'ricevute mancanti')} dopo la scadenza`, one(kpi.wrongIds, 'problema di identificativo', 'problemi di identificativo'), `${one(kpi.wrongTotals, 'flusso', 'flussi')} con totali errati`];
  const kpiFail = kpi.late.some((x) => !x.correction) || kpi.missing.length > 0 || kpi.wrongTotals > 0 || findings.some((x) => (x.rule === 'flow-id' || x.rule === 'flow-id-unique') && x.outcome === 'fail');
  const kpiWarn = kpi.wrongIds > 0 || kpi.late.length > 0;
  if (!kpi.flows && !kpi.missing.length) emit('kpi', 'not-exercised', [`no flow and no receipt due yet: ${parts.join(', ')}`, `nessun flusso e nessuna ricevuta ancora dovuti: ${partsIt.join(', ')}`]);
  else emit('kpi', kpiFail ? 'fail' : kpiWarn ? 'warning' : 'pass', [`reconciliation quality: ${parts.join(', ')}`, `qualità della rendicontazione: ${partsIt.join(', ')}`], { flows: kpi.late.map((x) => x.flow), receipts: kpi.missing, ...(worstLate ? { latenessMs: worstLate } : {}) });

  return { rules: aggregate(findings, input.model, o.maxFindingsPerRule ?? 20), findings, kpi, readings: [...readings, ...rec.readings] };
}

/** One verdict per rule, in FDR_RULES order; beyond `max` non-passing findings of a rule, one finding counts the rest. */
function aggregate(all: FdrFinding[], model: FdrModel, max: number): FdrRuleVerdict[] {
  const out: FdrRuleVerdict[] = [];
  for (const rule of Object.keys(FDR_RULES) as FdrRule[]) {
    const requirements = FDR_RULES[rule].requirements[model];
    if (!requirements.length) continue;
    const mine = all.filter((f) => f.rule === rule);
    const bad = mine.filter((f) => f.outcome === 'fail' || f.outcome === 'warning');
    let findings = mine;
    if (bad.length > max) {
      const worst = bad.reduce<FdrOutcome>((m, f) => worse(m, f.outcome), 'pass');
      const rest = bad.slice(max);
      findings = [...mine.filter((f) => !bad.includes(f)), ...bad.slice(0, max), { rule, requirements, outcome: worst, message: `… and ${rest.length} more like these`, messageIt: `… e altri ${rest.length} come questi`, flows: [], lines: [], receipts: [] }];
    }
    const outcome = mine.reduce<FdrOutcome>((m, f) => worse(m, f.outcome), 'not-exercised');
    out.push({ rule, requirements, outcome, findings: findings.length ? findings : [{ rule, requirements, outcome: 'not-exercised', message: 'no flow or receipt gave this rule anything to judge', messageIt: 'nessun flusso o ricevuta ha dato a questa regola qualcosa da giudicare', flows: [], lines: [], receipts: [] }] });
  }
  return out;
}

/**
 * How a scenario records a finding as a check declared `spec(rule, FDR_RULES[rule].what, FDR_RULES[rule].requirements[model])`:
 * `t.check({ id: f.rule, ...checkOf(f), entries })`, or `t.notExercised(f.rule, f.message, entries)` when
 * it gives undefined. A WARNING finding overrides the check's level (a reading, or a SHOULD of the spec).
 */
export function checkOf(f: FdrFinding): { requirements: string[]; held: boolean; verdict?: 'WARNING'; message: string } | undefined {
  if (f.outcome === 'not-exercised') return undefined;
  return { requirements: [...f.requirements], held: f.outcome === 'pass', ...(f.outcome === 'warning' ? { verdict: 'WARNING' as const } : {}), message: f.message };
}
