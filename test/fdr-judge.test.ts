// The FdR judge (domain/fdr/judge.ts, reconcile.ts): a conformant flow passes every rule; a flow that
// breaks one rule fails that rule's ids and no other (the KPI, NM-SLA-KPI-03, aggregates the deadline,
// identifier and totals rules and fails with them). Days are compressed to 24 s on the clock, so an
// hour is 1000 ms and D+2 passes in a minute of virtual time.
import { describe, expect, it } from 'vitest';
import { FDR_RULES, checkOf, type FdrJudgeInput, type FdrJudgement, type FdrRule, type PublishedFlow, judgeFlows } from '../domain/fdr/judge.js';
import { TARGET2_CALENDAR, compressedDays } from '../domain/fdr/calendar.js';
import type { FlowLine } from '../domain/fdr/types.js';
import type { LedgerReceipt } from '../src/core/ledger.js';
import { requirement } from '../src/catalogue/index.js';
import { englishIn } from './support/english.js';

const DAY = 24_000;
const H = 1000;
/** clock time of `hour` on day `d` after Monday 16 Nov 2026 */
const t = (d: number, hour: number) => d * DAY + hour * H;
const days = compressedDays({ originMs: 0, originDay: '2026-11-16', dayMs: DAY });
const dayText = (d: number) => ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'][d]!;
const PSP = 'PSPTEST01';
const EC = '77777777777';
const EC2 = '88888888888';

function receipt(n: number, o: Partial<LedgerReceipt> = {}): LedgerReceipt {
  const amountCents = 1000 * n;
  return { model: 'new', receiptId: `tok${n}`, ecFiscalCode: EC, iuv: `IUV${n}`, idPSP: PSP, outcome: 'OK', amountCents, transfers: [{ index: 1, ecFiscalCode: EC, amountCents, iban: 'IT60X0542811101000000123456' }], paidAt: `${dayText(0)}T10:00:00`, at: t(0, 10), ...o };
}

/** the lines a conformant PSP writes for `receipts` (transfers to EC) */
function linesOf(receipts: LedgerReceipt[], soapIndex = false): FlowLine[] {
  return receipts.flatMap((r) =>
    r.transfers
      .filter((x) => x.ecFiscalCode === EC && x.amountCents > 0)
      .map((x) => ({ iuv: r.iuv!, iur: r.model === 'old' ? (x.iur ?? r.receiptId) : r.receiptId, amountCents: x.amountCents, outcomeCode: (r.standIn ? '4' : '0') as FlowLine['outcomeCode'], date: days.dayOf(r.at).day, ...(soapIndex ? { index: x.index } : { idTransfer: x.index }) })),
  );
}

function flow(lines: FlowLine[], o: Partial<PublishedFlow> = {}): PublishedFlow {
  const rest = (o.transport ?? 'rest') === 'rest';
  const numbered = rest ? lines.map((l, i) => ({ ...l, index: l.index ?? i + 1 })) : lines;
  return {
    flowId: `${dayText(1)}${PSP}-1`,
    flowDate: `${dayText(1)}T09:00:00`,
    idPSP: PSP,
    sender: { id: 'BICTESTX', name: 'PSP di test' },
    ecFiscalCode: EC,
    receiver: { id: EC, name: 'Comune di test' },
    regulationId: 'SCT-1',
    regulationDate: dayText(1),
    totalCount: numbered.length,
    totalCents: numbered.reduce((s, l) => s + l.amountCents, 0),
    lines: numbered,
    transport: 'rest',
    at: t(1, 12),
    revision: 1,
    ...o,
  };
}

/** every judgement of this file's new-model cases, read again in Italian at the end */
const judged: FdrJudgement[] = [];
function judge(flows: PublishedFlow[], receipts: LedgerReceipt[], extra: Partial<FdrJudgeInput> = {}): FdrJudgement {
  const j = judgeFlows({ model: 'new', idPSP: PSP, ecFiscalCode: EC, flows, receipts, now: t(7, 0), ...extra }, { days, calendar: TARGET2_CALENDAR });
  judged.push(j);
  return j;
}
const outcome = (j: FdrJudgement, r: FdrRule) => j.rules.find((x) => x.rule === r)?.outcome;
const withOutcome = (j: FdrJudgement, o: string) => j.rules.filter((r) => r.outcome === o).map((r) => r.rule).sort();
/** the requirement ids of the failing findings */
const failingIds = (j: FdrJudgement) => [...new Set(j.findings.filter((f) => f.outcome === 'fail').flatMap((f) => f.requirements))].sort();
const KPI: FdrRule[] = ['kpi'];

const R = [receipt(1), receipt(2)];
const conformant = () => flow(linesOf(R));

describe('FDR_RULES', () => {
  it('names requirements the catalogue has, each judged at the PSP seat', () => {
    for (const [rule, def] of Object.entries(FDR_RULES)) {
      for (const id of [...def.requirements.new, ...def.requirements.old]) {
        const r = requirement(id);
        expect(r, `${rule}: ${id}`).toBeDefined();
        expect(r!.levels.psp, `${rule}: ${id} at the PSP seat`).toBeDefined();
      }
    }
  });
});

describe('judgeFlows: a conformant flow', () => {
  it('passes every rule; a rule with nothing to judge is not exercised', () => {
    const j = judge([conformant()], R);
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(withOutcome(j, 'warning')).toEqual([]);
    expect(withOutcome(j, 'not-exercised')).toEqual(['correction-deadline']);
    expect(j.kpi).toMatchObject({ flows: 1, late: [], missing: [], wrongIds: 0, wrongTotals: 0 });
    const once = j.findings.find((f) => f.rule === 'reported-once' && f.outcome === 'pass')!;
    expect(once.receipts.map((r) => r.receiptId)).toEqual(['tok1', 'tok2']);
    expect(j.findings.every((f) => f.requirements.length > 0 && f.requirements.every((id) => FDR_RULES[f.rule].requirements.new.includes(id)))).toBe(true);
  });

  it('passes the same flow travelling by SOAP with indiceDatiSingoloPagamento, or none for one-transfer receipts', () => {
    const soap = flow(linesOf(R, true), { transport: 'soap-new', revision: undefined });
    expect(withOutcome(judge([soap], R), 'fail')).toEqual([]);
    const bare = flow(linesOf(R, true).map(({ index: _, ...l }) => l), { transport: 'soap-new', revision: undefined });
    const j = judge([bare], R);
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(withOutcome(j, 'warning')).toEqual([]);
  });
});

describe('judgeFlows: one rule broken', () => {
  it('flow-id: a pattern breach fails NM-FDR-VAL-01; a layout breach is a WARNING (NM-A-23)', () => {
    const j = judge([flow(linesOf(R), { flowId: 'bad id!' })], R);
    expect(withOutcome(j, 'fail')).toEqual(['flow-id', ...KPI].sort());
    expect(failingIds(j)).toEqual(['NM-FDR-VAL-01', 'NM-SLA-KPI-03']);
    const k = judge([flow(linesOf(R), { flowId: `${dayText(1)}OTHERPSP-1` })], R);
    expect(withOutcome(k, 'fail')).toEqual([]);
    expect(withOutcome(k, 'warning')).toEqual(['flow-id', 'kpi']);
    expect(k.findings.find((f) => f.rule === 'flow-id')!.message).toMatch(/idPSP "PSPTEST01"/);
  });

  it('flow-id-unique: the same id for another day\'s flow fails', () => {
    const r3 = receipt(3, { at: t(1, 10), paidAt: `${dayText(1)}T10:00:00` });
    const a = flow(linesOf(R));
    const b = flow(linesOf([r3]), { regulationId: 'SCT-2', regulationDate: dayText(2), flowDate: `${dayText(2)}T09:00:00`, at: t(2, 12) });
    const j = judge([a, b], [...R, r3]);
    expect(withOutcome(j, 'fail')).toEqual(['flow-id-unique', 'kpi']);
    expect(j.findings.find((f) => f.rule === 'flow-id-unique' && f.outcome === 'fail')!.flows).toHaveLength(2);
  });

  it('duplicate-flow: the same flow by SOAP and by REST, or two flows for one SCT, fail NM-FDR-DUP-01', () => {
    const soap = flow(linesOf(R, true), { transport: 'soap-new', revision: undefined });
    const rest = flow(linesOf(R), { at: t(1, 14) });
    const j = judge([soap, rest], R);
    expect(withOutcome(j, 'fail')).toEqual(['duplicate-flow']);
    expect(failingIds(j)).toEqual(['NM-FDR-DUP-01']);
    const a = flow(linesOf([R[0]!]));
    const b = flow(linesOf([R[1]!]), { flowId: `${dayText(1)}${PSP}-2` });
    expect(withOutcome(judge([a, b], R), 'fail')).toEqual(['duplicate-flow']);
  });

  it('duplicate-flow: an unchanged SOAP resubmission is a WARNING', () => {
    const soap = flow(linesOf(R, true), { transport: 'soap-new', revision: undefined });
    const j = judge([soap, { ...soap, at: t(1, 13) }], R);
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(withOutcome(j, 'warning')).toEqual(['duplicate-flow']);
  });

  it('totals: a count or a sum other than the lines fails NM-FDR-VAL-03', () => {
    for (const o of [{ totalCount: 3 }, { totalCents: 2999 }]) {
      const j = judge([flow(linesOf(R), o)], R);
      expect(withOutcome(j, 'fail')).toEqual(['kpi', 'totals']);
      expect(failingIds(j)).toEqual(['NM-FDR-VAL-03', 'NM-SLA-KPI-03']);
      expect(j.kpi.wrongTotals).toBe(1);
    }
  });

  it('flow-date: dated before its payments, after its publication, or not a date-time', () => {
    for (const flowDate of [`${dayText(0)}`, 'yesterday', '2026-11-15T09:00:00', `${dayText(2)}T09:00:00`]) {
      const j = judge([flow(linesOf(R), { flowDate })], R);
      expect(withOutcome(j, 'fail'), flowDate).toEqual(['flow-date']);
    }
  });

  it('regulation-date: before the payment day fails; after D+1 is a WARNING', () => {
    const j = judge([flow(linesOf(R), { regulationDate: '2026-11-15' })], R);
    expect(withOutcome(j, 'fail')).toEqual(['regulation-date']);
    expect(j.findings.find((f) => f.rule === 'regulation-date')!.message).toMatch(/2026-11-15 is before the day of a payment/);
    const k = judge([flow(linesOf(R), { regulationDate: dayText(2), at: t(2, 12), flowDate: `${dayText(2)}T09:00:00` })], R);
    expect(withOutcome(k, 'fail')).toEqual([]);
    expect(withOutcome(k, 'warning')).toEqual(['regulation-date']);
  });

  it('deadline: after 24:00 of D+2 fails with its lateness; the cut-off and the weekend move D', () => {
    const late = judge([flow(linesOf(R), { at: t(3, 1) })], R);
    expect(withOutcome(late, 'fail')).toEqual(['deadline', 'kpi']);
    expect(failingIds(late)).toEqual(['NM-FDR-TO-01', 'NM-SLA-KPI-03']);
    expect(late.kpi.late).toEqual([{ flow: expect.objectContaining({ flowId: `${dayText(1)}${PSP}-1` }), deadline: dayText(2), latenessMs: H, workingDaysLate: 1, correction: false }]);
    expect(late.findings.find((f) => f.rule === 'deadline')!.latenessMs).toBe(H);
    expect(withOutcome(judge([flow(linesOf(R), { at: t(2, 23.9) })], R), 'fail')).toEqual([]);
    // paid Monday 14:00, after the cut-off: D is Tuesday, due by Thursday 24:00
    const afternoon = [receipt(1, { at: t(0, 14), paidAt: `${dayText(0)}T14:00:00` })];
    expect(outcome(judge([flow(linesOf(afternoon), { at: t(3, 10) })], afternoon), 'deadline')).toBe('pass');
    const morning = [receipt(1, { at: t(0, 12), paidAt: `${dayText(0)}T12:00:00` })];
    expect(outcome(judge([flow(linesOf(morning), { at: t(3, 10) })], morning), 'deadline')).toBe('fail');
    // paid Friday: D+2 is Tuesday
    const friday = [receipt(1, { at: t(4, 10), paidAt: `${dayText(4)}T10:00:00` })];
    const fri = (at: number) => judge([flow(linesOf(friday), { at, flowDate: `${dayText(7)}T08:00:00`, regulationDate: dayText(7), flowId: `${dayText(7)}${PSP}-1` })], friday, { now: t(12, 0) });
    expect(outcome(fri(t(7, 12)), 'deadline')).toBe('pass');
    expect(outcome(fri(t(9, 1)), 'deadline')).toBe('fail');
  });

  it('correction-deadline: a revision after 24:00 of D+4 fails NM-FDR-TO-02', () => {
    const first = conformant();
    const fix = (at: number) => ({ ...first, flowDate: `${dayText(4)}T09:00:00`, revision: 2, at });
    const ok = judge([first, fix(t(4, 20))], R);
    expect(outcome(ok, 'correction-deadline')).toBe('pass');
    expect(withOutcome(ok, 'fail')).toEqual([]);
    const late = judge([first, { ...fix(t(5, 1)), flowDate: `${dayText(5)}T00:30:00` }], R);
    expect(withOutcome(late, 'fail')).toEqual(['correction-deadline']);
    expect(failingIds(late)).toEqual(['NM-FDR-TO-02']);
  });

  it('reported-once: a receipt missing after its deadline fails, before it is not exercised; twice fails', () => {
    const r3 = receipt(3);
    const missing = judge([conformant()], [...R, r3]);
    expect(withOutcome(missing, 'fail')).toEqual(['kpi', 'reported-once']);
    expect(missing.kpi.missing.map((r) => r.receiptId)).toEqual(['tok3']);
    const early = judge([conformant()], [...R, r3], { now: t(2, 12) });
    expect(withOutcome(early, 'fail')).toEqual([]);
    expect(early.findings.some((f) => f.rule === 'reported-once' && f.outcome === 'not-exercised' && /tok3/.test(f.message))).toBe(true);
    const again = flow(linesOf([R[0]!]), { flowId: `${dayText(1)}${PSP}-2`, regulationId: 'SCT-2' });
    const twice = judge([conformant(), again], R);
    expect(withOutcome(twice, 'fail')).toEqual(['reported-once']);
    expect(twice.findings.find((f) => f.rule === 'reported-once' && f.outcome === 'fail')!.lines).toHaveLength(2);
  });

  it('line-identity: a wrong IUR, transfer or amount fails NM-FDR-VAL-02', () => {
    const cases: [string, (l: FlowLine) => FlowLine][] = [
      ['IUR', (l) => ({ ...l, iur: 'WRONG' })],
      ['idTransfer', (l) => ({ ...l, idTransfer: 2 })],
      ['amount', (l) => ({ ...l, amountCents: l.amountCents + 1 })],
    ];
    for (const [what, change] of cases) {
      const lines = linesOf(R);
      lines[0] = change(lines[0]!);
      const j = judge([flow(lines)], R);
      expect(withOutcome(j, 'fail'), what).toEqual(['line-identity']);
      expect(failingIds(j), what).toEqual(['NM-FDR-VAL-02']);
    }
  });

  it('line-identity and reported-once: a split payment reports only this EC\'s transfers (NM-MB-FDR-01)', () => {
    const mb = receipt(5, { amountCents: 5000, transfers: [{ index: 1, ecFiscalCode: EC, amountCents: 3000, iban: 'IT60X0542811101000000123456' }, { index: 2, ecFiscalCode: EC2, amountCents: 2000, iban: 'IT60X0542811101000000654321' }] });
    expect(withOutcome(judge([flow(linesOf([mb]))], [mb]), 'fail')).toEqual([]);
    const foreign: FlowLine = { iuv: 'IUV5', iur: 'tok5', idTransfer: 2, amountCents: 2000, outcomeCode: '0', date: dayText(0) };
    const j = judge([flow([...linesOf([mb]), foreign])], [mb]);
    expect(withOutcome(j, 'fail')).toEqual(['line-identity']);
    expect(failingIds(j)).toEqual(['NM-FDR-REC-02', 'NM-MB-FDR-01']);
    const r1 = receipt(1);
    const k = judge([flow(linesOf([r1]))], [r1, mb]);
    expect(withOutcome(k, 'fail')).toEqual(['kpi', 'reported-once']);
    expect(failingIds(k)).toEqual(['NM-FDR-REC-02', 'NM-FDR-VAL-02', 'NM-MB-FDR-01', 'NM-SLA-KPI-03']);
  });

  it('outcome-code: a line coded 0 without any receipt fails NM-FDR-VAL-04; coded 9 passes', () => {
    const extra: FlowLine = { iuv: 'IUV9', iur: 'PSP-OWN-9', idTransfer: 1, amountCents: 900, outcomeCode: '0', date: dayText(0) };
    const j = judge([flow([...linesOf(R), extra])], R);
    expect(withOutcome(j, 'fail')).toEqual(['outcome-code']);
    expect(failingIds(j)).toEqual(['NM-FDR-VAL-04']);
    const nine = judge([flow([...linesOf(R), { ...extra, outcomeCode: '9' }])], R);
    expect(withOutcome(nine, 'fail')).toEqual([]);
    expect(withOutcome(nine, 'warning')).toEqual([]);
  });

  it('outcome-code: Stand-In is 4 by REST, 0 by SOAP; the other way round is a WARNING (NM-A-24)', () => {
    const si = [receipt(1, { standIn: true })];
    const as = (code: FlowLine['outcomeCode'], transport: PublishedFlow['transport']) => {
      const lines = linesOf(si, transport !== 'rest').map((l) => ({ ...l, outcomeCode: code }));
      return judge([flow(lines, { transport, ...(transport === 'rest' ? {} : { revision: undefined }) })], si);
    };
    expect(withOutcome(as('4', 'rest'), 'warning')).toEqual([]);
    expect(withOutcome(as('0', 'soap-new'), 'warning')).toEqual([]);
    expect(withOutcome(as('0', 'rest'), 'warning')).toEqual(['outcome-code']);
    expect(withOutcome(as('4', 'soap-new'), 'warning')).toEqual(['outcome-code']);
    for (const j of [as('0', 'rest'), as('4', 'soap-new')]) expect(withOutcome(j, 'fail')).toEqual([]);
    // a receipt reported 9, or 4 without Stand-In: WARNING
    expect(withOutcome(judge([flow(linesOf(R).map((l) => ({ ...l, outcomeCode: '9' as const })))], R), 'warning')).toEqual(['outcome-code']);
    expect(withOutcome(judge([flow(linesOf(R).map((l) => ({ ...l, outcomeCode: '4' as const })))], R), 'warning')).toEqual(['outcome-code']);
  });

  it('outcome-code: code 3 matches a known revocation for its amount, either sign (A-21); otherwise a WARNING, or not verified', () => {
    const revoked = [{ ecFiscalCode: EC, iuv: 'IUV1', iur: 'tok1', amountCents: 1000, at: t(1, 9) }];
    const rev: FlowLine = { iuv: 'IUV1', iur: 'tok1', idTransfer: 1, amountCents: -1000, outcomeCode: '3', date: dayText(1) };
    const second = (l: FlowLine) => flow([l], { flowId: `${dayText(2)}${PSP}-1`, regulationId: 'SCT-2', regulationDate: dayText(2), flowDate: `${dayText(2)}T09:00:00`, at: t(2, 12) });
    const ok = judge([conformant(), second(rev)], R, { revoked });
    expect(withOutcome(ok, 'fail')).toEqual([]);
    expect(withOutcome(ok, 'warning')).toEqual([]);
    // the schema's positive amount (stImporto ≥ 0.01) is the other reading: it passes too, and says so
    const positive = judge([conformant(), second({ ...rev, amountCents: 1000 })], R, { revoked });
    expect(withOutcome(positive, 'warning')).toEqual([]);
    expect(positive.findings.some((f) => f.rule === 'outcome-code' && f.outcome === 'pass' && /code 3 \(revoked\) for the 10[.,]00/.test(f.message))).toBe(true);
    // the wrong amount is a WARNING
    expect(withOutcome(judge([conformant(), second({ ...rev, amountCents: 900 })], R, { revoked }), 'warning')).toEqual(['outcome-code']);
    expect(withOutcome(judge([conformant(), second({ ...rev, iuv: 'IUV2', iur: 'tok2' })], R, { revoked }), 'warning')).toEqual(['outcome-code']);
    const unknown = judge([conformant(), second(rev)], R);
    expect(unknown.findings.some((f) => f.rule === 'outcome-code' && f.outcome === 'not-exercised' && /no list of revocations/.test(f.message))).toBe(true);
    // a revocation never reported: WARNING once due
    expect(withOutcome(judge([conformant()], R, { revoked }), 'warning')).toEqual(['outcome-code']);
  });

  it('outcome-code: a collection without receipt is reported 9 — a FAIL in the old model when missing, a WARNING in the new', () => {
    const u = [{ ecFiscalCode: EC, iuv: 'IUV9', amountCents: 900, at: t(0, 11), why: 'no RPT after nodoAttivaRPT' }];
    const nine: FlowLine = { iuv: 'IUV9', iur: 'PSP-OWN-9', idTransfer: 1, amountCents: 900, outcomeCode: '9', date: dayText(0) };
    const reported = judge([flow([...linesOf(R), nine])], R, { unreceipted: u });
    expect(withOutcome(reported, 'fail')).toEqual([]);
    expect(reported.findings.some((f) => f.rule === 'outcome-code' && f.outcome === 'pass' && /IUV9/.test(f.message))).toBe(true);
    expect(withOutcome(judge([conformant()], R, { unreceipted: u }), 'warning')).toEqual(['outcome-code']);
    const zero = judge([flow([...linesOf(R), { ...nine, outcomeCode: '0' }])], R, { unreceipted: u });
    expect(withOutcome(zero, 'fail')).toEqual(['outcome-code']);
  });
});

describe('judgeFlows: the old model', () => {
  const rt = (n: number, o: Partial<LedgerReceipt> = {}): LedgerReceipt => {
    const r = receipt(n, { model: 'old', receiptId: `IUR${n}`, ...o });
    return { ...r, transfers: r.transfers.map((x) => ({ ...x, iur: `IUR${n}` })) };
  };
  const RT = [rt(1), rt(2)];
  const soapFlow = (lines: FlowLine[], o: Partial<PublishedFlow> = {}) => flow(lines, { transport: 'soap-old', revision: undefined, ...o });

  it('judges RTs by their IUR and names the old model\'s ids', () => {
    const j = judgeFlows({ model: 'old', idPSP: PSP, ecFiscalCode: EC, flows: [soapFlow(linesOf(RT, true))], receipts: RT, now: t(7, 0) }, { days, calendar: TARGET2_CALENDAR });
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(j.rules.map((r) => r.rule)).not.toContain('correction-deadline');
    expect(j.rules.map((r) => r.rule)).not.toContain('kpi');
    expect(j.rules.find((r) => r.rule === 'totals')!.requirements).toEqual(['OLD-FDR-01', 'OLD-FDR-03']);
  });

  it('fails a negative RT reported 0, and a collection without RPT missing after D+2 (OLD-FDR-04, OLD-PSP-ERR-08)', () => {
    const ko = rt(3, { outcome: 'KO', amountCents: 0, transfers: [{ index: 1, ecFiscalCode: EC, amountCents: 0, iur: 'IUR3' }] });
    const bad: FlowLine = { iuv: 'IUV3', iur: 'IUR3', index: 1, amountCents: 3000, outcomeCode: '0', date: dayText(0) };
    const old = (flows: PublishedFlow[], receipts: LedgerReceipt[], extra: Partial<FdrJudgeInput> = {}) => judgeFlows({ model: 'old', idPSP: PSP, ecFiscalCode: EC, flows, receipts, now: t(7, 0), ...extra }, { days, calendar: TARGET2_CALENDAR });
    const j = old([soapFlow([...linesOf(RT, true), bad])], [...RT, ko]);
    expect(withOutcome(j, 'fail')).toEqual(['outcome-code']);
    expect(j.findings.find((f) => f.outcome === 'fail')!.message).toMatch(/RT IUR3 is negative/);
    const u = [{ ecFiscalCode: EC, iuv: 'IUV9', at: t(0, 11), why: 'no RPT after nodoAttivaRPT' }];
    const missing = old([soapFlow(linesOf(RT, true))], RT, { unreceipted: u });
    expect(withOutcome(missing, 'fail')).toEqual(['outcome-code']);
    expect(failingIds(missing)).toEqual(['OLD-FDR-04', 'OLD-PSP-ERR-08']);
    // an RT in no flow: a WARNING when the PSP declares single-SCT settlement (OLD-FDR-02)
    const single = judgeFlows({ model: 'old', idPSP: PSP, ecFiscalCode: EC, flows: [soapFlow(linesOf([RT[0]!], true))], receipts: RT, now: t(7, 0) }, { days, calendar: TARGET2_CALENDAR, singleSettlement: true });
    expect(withOutcome(single, 'fail')).toEqual([]);
    expect(withOutcome(single, 'warning')).toEqual(['reported-once']);
  });
});

describe('judgeFlows: many lines', () => {
  it('itemises at most 20 problems per rule and counts the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => receipt(i + 1));
    const lines = linesOf(many).map((l) => ({ ...l, iur: `${l.iur}-X` }));
    const j = judge([flow(lines)], many);
    const v = j.rules.find((r) => r.rule === 'line-identity')!;
    expect(v.outcome).toBe('fail');
    expect(v.findings).toHaveLength(21);
    expect(v.findings.at(-1)!.message).toBe('… and 10 more like these');
  });

  it('reconciles 100,000 lines in well under a few seconds', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => receipt(i + 1, { amountCents: 100, transfers: [{ index: 1, ecFiscalCode: EC, amountCents: 100, iban: 'IT60X0542811101000000123456' }] }));
    const started = performance.now();
    const j = judge([flow(linesOf(many))], many);
    const ms = performance.now() - started;
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });
});

describe('checkOf', () => {
  it('turns findings into check inputs: a WARNING overrides the level, not-exercised is no check', () => {
    const lines = linesOf(R);
    const j = judge([flow(lines, { flowId: `${dayText(1)}OTHERPSP-1`, totalCount: 5 })], R, { now: t(2, 12) });
    const warn = j.findings.find((f) => f.rule === 'flow-id')!;
    expect(checkOf(warn)).toEqual({ requirements: ['NM-FDR-VAL-01'], held: false, verdict: 'WARNING', message: warn.message });
    const fail = j.findings.find((f) => f.rule === 'totals')!;
    expect(checkOf(fail)).toMatchObject({ held: false, requirements: ['NM-FDR-VAL-03'] });
    expect(checkOf(fail)).not.toHaveProperty('verdict');
    expect(checkOf(j.findings.find((f) => f.rule === 'line-identity')!)).toMatchObject({ held: true });
    expect(checkOf({ ...fail, outcome: 'not-exercised' })).toBeUndefined();
  });
});

describe('judgeFlows: more of the rules', () => {
  it('real Italian days by default: the Immacolata moves D+2, as the Italian banks\' calendar reads it', () => {
    const paid = Date.parse('2026-12-07T09:00:00Z'); // Monday 10:00 in Rome
    const r = [receipt(1, { at: paid, paidAt: '2026-12-07T10:00:00' })];
    const lines = linesOf(r).map((l) => ({ ...l, date: '2026-12-07' }));
    const f = (at: string) => flow(lines, { flowId: `2026-12-09${PSP}-1`, flowDate: '2026-12-09T09:00:00', regulationDate: '2026-12-09', at: Date.parse(at) });
    const run = (at: string) => judgeFlows({ model: 'new', idPSP: PSP, ecFiscalCode: EC, flows: [f(at)], receipts: r, now: Date.parse('2026-12-20T00:00:00Z') });
    // Thursday 10 Dec, 23:30 in Rome: on time (Tuesday 8 is not a working day); Friday 00:30 is late
    expect(outcome(run('2026-12-10T22:30:00Z'), 'deadline')).toBe('pass');
    const late = run('2026-12-10T23:30:00Z');
    expect(outcome(late, 'deadline')).toBe('fail');
    expect(late.kpi.late[0]).toMatchObject({ deadline: '2026-12-10', latenessMs: 30 * 60_000 });
    expect(late.readings[0]).toMatch(/TARGET2 \+ Italian public holidays.*Europe\/Rome/);
  });

  it('line-identity: a REST index missing or repeated fails NM-FDR-VAL-03; a stamp transfer reported is a WARNING (NM-A-25)', () => {
    const lines = linesOf(R).map((l) => ({ ...l, index: 1 }));
    const j = judge([flow(lines)], R);
    expect(withOutcome(j, 'fail')).toEqual(['line-identity']);
    expect(failingIds(j)).toEqual(['NM-FDR-VAL-03']);
    const bollo = receipt(6, { amountCents: 6000, transfers: [{ index: 1, ecFiscalCode: EC, amountCents: 5000, iban: 'IT60X0542811101000000123456' }, { index: 2, ecFiscalCode: EC, amountCents: 1000 }] });
    expect(withOutcome(judge([flow(linesOf([bollo]).filter((l) => l.idTransfer === 1))], [bollo]), 'warning')).toEqual([]);
    const withStamp = judge([flow([...linesOf([bollo]).filter((l) => l.idTransfer === 1), { iuv: 'IUV6', iur: 'tok6', idTransfer: 2, amountCents: 1000, outcomeCode: '0', date: dayText(0) }])], [bollo]);
    expect(withOutcome(withStamp, 'fail')).toEqual([]);
    expect(withOutcome(withStamp, 'warning')).toEqual(['line-identity']);
    expect(withStamp.findings.find((f) => f.outcome === 'warning')!.requirements).toEqual(['NM-FDR-REC-02']);
  });

  it('only the latest publication is reconciled: an error corrected in time is not held against the PSP', () => {
    const wrong = flow(linesOf(R), { totalCount: 7 });
    const fixed = { ...conformant(), revision: 2, at: t(2, 9), flowDate: `${dayText(2)}T08:00:00` };
    const j = judge([wrong, fixed], R);
    expect(withOutcome(j, 'fail')).toEqual([]);
    expect(j.findings.find((f) => f.rule === 'correction-deadline')!.flows[0]!.revision).toBe(2);
  });

  it('flows for another EC count only for the id\'s uniqueness; the old model names only its own ids', () => {
    const other = flow(linesOf(R), { ecFiscalCode: EC2, receiver: { id: EC2 }, flowId: `${dayText(1)}${PSP}-9` });
    expect(withOutcome(judge([conformant(), other], R), 'fail')).toEqual([]);
    const clash = flow(linesOf(R), { ecFiscalCode: EC2, receiver: { id: EC2 }, regulationId: 'SCT-9', regulationDate: dayText(0), at: t(1, 8) });
    expect(withOutcome(judge([clash, conformant()], R), 'fail')).toEqual(['flow-id-unique', 'kpi']);
    const rt = R.map((r) => ({ ...r, model: 'old', transfers: r.transfers.map((x) => ({ ...x, iur: r.receiptId })) }));
    const j = judgeFlows({ model: 'old', idPSP: PSP, ecFiscalCode: EC, flows: [flow(linesOf(rt, true), { transport: 'soap-old', revision: undefined, totalCount: 9 })], receipts: rt, now: t(7, 0) }, { days });
    expect(withOutcome(j, 'fail')).toEqual(['totals']);
    expect(j.findings.every((f) => f.requirements.every((id) => FDR_RULES[f.rule].requirements.old.includes(id)))).toBe(true);
  });
});

describe('judgeFlows: lines without receipt', () => {
  it('date a collection the run knows by its clock time (cut-off included), else by the line\'s own date', () => {
    const nine: FlowLine = { iuv: 'IUV9', iur: 'PSP-OWN-9', idTransfer: 1, amountCents: 900, outcomeCode: '9', date: dayText(0) };
    const lone = (at: number, unreceipted?: FdrJudgeInput['unreceipted']) => judge([flow([nine], { at })], [], { unreceipted });
    // collected Monday 14:00: D is Tuesday, due Thursday 24:00
    const afternoon = [{ ecFiscalCode: EC, iuv: 'IUV9', amountCents: 900, at: t(0, 14) }];
    expect(outcome(lone(t(3, 10), afternoon), 'deadline')).toBe('pass');
    // nothing known: the line's date, Monday, due Wednesday 24:00
    expect(outcome(lone(t(3, 10)), 'deadline')).toBe('fail');
    expect(outcome(lone(t(2, 20)), 'deadline')).toBe('pass');
  });
});

// last in the file: the findings of every case above (passes, failures, warnings, not exercised)
describe('the judge in Italian (the certificate\'s Italian view)', () => {
  it('says every finding and every rule in Italian too, with no English sentence (data it quotes aside)', () => {
    const findings = judged.flatMap((j) => j.findings);
    expect(new Set(findings.map((f) => f.outcome))).toEqual(new Set(['pass', 'fail', 'warning', 'not-exercised']));
    expect(new Set(findings.map((f) => f.rule)).size).toBe(Object.keys(FDR_RULES).length);
    expect(findings.filter((f) => !f.messageIt.trim()).map((f) => f.message)).toEqual([]);
    expect([...new Set(findings.filter((f) => englishIn(f.messageIt).length).map((f) => `${f.messageIt}  [${englishIn(f.messageIt).join(' ')}]`))]).toEqual([]);
    for (const [rule, def] of Object.entries(FDR_RULES)) expect(englishIn(def.whatIt), rule).toEqual([]);
  });
});
