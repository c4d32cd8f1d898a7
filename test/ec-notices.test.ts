// The EC seat's test data: one plan from the scenarios' reads/writes, shared read notices, own
// written notices in catalogue order, and the harness's refusal to change a notice it only reads.
import type { Bi } from '../src/core/text.js';
import { describe, expect, it } from 'vitest';
import { NoticeAllocator, declarationOf, describePlan, noticePlan } from '../seats/ec-notices.js';
import { HarnessFault, ScenarioStop, type ScenarioDef } from '../src/core/scenario.js';
import type { Profile } from '../src/profile/index.js';
import { ecEnv, type EcContext } from '../seats/ec.js';
import { runScenario } from '../src/core/runner.js';
import { ecScenarios } from '../suites/ec/index.js';
import { ecPlan } from '../suites/ec/plan.js';

type D = Pick<ScenarioDef<never>, 'id' | 'reads' | 'writes' | 'feature'>;
const defs: D[] = [
  { id: 'A', reads: { expired: 1, payable: 1 }, writes: { payable: 2 } },
  { id: 'B', reads: { expired: 2 }, writes: { expired: 1 } },
  { id: 'C', writes: { payable: 1 }, feature: 'stamps' },
  { id: 'D', reads: { paid: 1 }, writes: { payable: 1 } },
];
const profile = (notices: Profile['notices']): Profile => ({
  seat: 'ec',
  name: 't',
  ec: { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', auxDigit: 3, segregationCode: '01' },
  endpoint: { url: 'http://127.0.0.1:1/none' },
  notices,
});
const asker = (scenarioId: string) => ({
  scenarioId,
  inconclusive(reason: Bi): never {
    throw new ScenarioStop('INCONCLUSIVE', reason);
  },
  harnessError(reason: string): never {
    throw new HarnessFault(reason);
  },
});
const nn = (i: number) => `3010000000000${String(i).padStart(5, '0')}`;

describe('notice plan', () => {
  it('shared = most any scenario reads, consumed = sum of writes', () => {
    expect(declarationOf(defs[3]!)).toEqual({ reads: { paid: 1 }, writes: { payable: 1 } });
    const p = noticePlan(defs);
    expect(p.shared).toEqual({ expired: 2, payable: 1, paid: 1 });
    expect(p.consumed).toEqual({ payable: 4, expired: 1 });
    // written notices come after the shared ones, in catalogue order
    expect(p.scenarios.get('A')!.firstWrite).toEqual({ payable: 1 });
    expect(p.scenarios.get('C')!.firstWrite).toEqual({ payable: 3 });
    expect(p.scenarios.get('D')!.firstWrite).toEqual({ payable: 4 });
    expect(p.scenarios.get('B')!.firstWrite).toEqual({ expired: 2 });
    expect(describePlan(p)).toContain('expired: 3 (2 read, shared and reusable across runs; 1 consumed by the run)');
  });

  it('a scenario whose feature the profile does not declare reserves nothing', () => {
    const p = noticePlan(defs, (f) => f !== 'stamps');
    expect(p.notApplicable).toEqual(['C']);
    expect(p.consumed.payable).toBe(3);
    expect(p.scenarios.get('D')!.firstWrite).toEqual({ payable: 3 });
  });

  it('the EC catalogue: every scenario is planned, and a scenario of an undeclared feature takes no notice', () => {
    const all = noticePlan(ecScenarios, () => true);
    const none = noticePlan(ecScenarios, () => false);
    expect(all.scenarios.size).toBe(ecScenarios.length);
    expect(none.notApplicable.length).toBe(ecScenarios.filter((d) => d.feature).length);
    expect(none.consumed.payable ?? 0).toBeLessThan(all.consumed.payable ?? 0);
  });
});

describe('allocation from a listed profile', () => {
  const list = (n: number, from: number) => Array.from({ length: n }, (_, i) => nn(from + i));
  const alloc = () => new NoticeAllocator(noticePlan(defs), profile({ payable: list(5, 0), expired: list(3, 10), paid: [nn(20)] }));

  it('read notices are shared (the same for every scenario), written ones are each scenario\'s own', async () => {
    const a = alloc();
    expect((await a.read(asker('A'), 'expired', 0)).noticeNumber).toBe(nn(10));
    expect((await a.read(asker('B'), 'expired', 0)).noticeNumber).toBe(nn(10));
    expect((await a.read(asker('B'), 'expired', 1)).noticeNumber).toBe(nn(11));
    expect((await a.write(asker('B'), 'expired', 0)).noticeNumber).toBe(nn(12));
    expect((await a.read(asker('A'), 'payable', 0)).noticeNumber).toBe(nn(0));
    expect((await a.write(asker('A'), 'payable', 1)).noticeNumber).toBe(nn(2));
    expect((await a.write(asker('D'), 'payable', 0)).noticeNumber).toBe(nn(4));
    expect((await a.read(asker('D'), 'paid', 0)).noticeNumber).toBe(nn(20));
  });

  it('asking beyond the declaration is a harness error naming the scenario', async () => {
    const a = alloc();
    await expect(a.read(asker('A'), 'expired', 1)).rejects.toThrow(/scenario A asks for read notice #2 in state "expired" but declares reads.expired = 1/);
    await expect(a.write(asker('A'), 'expired', 0)).rejects.toThrow(/scenario A asks for its own notice #1 in state "expired" but declares writes.expired = 0/);
    await expect(a.read(asker('Z'), 'payable', 0)).rejects.toThrow(HarnessFault);
  });

  it('too few listed notices: INCONCLUSIVE, saying how many the run needs', async () => {
    const a = new NoticeAllocator(noticePlan(defs), profile({ payable: list(2, 0) }));
    await expect(a.write(asker('A'), 'payable', 1)).rejects.toThrow(/lists 2 notice\(s\) in state "payable"; this run needs 5 \(1 read, 4 consumed\)/);
  });

  it('a shared notice that the harness is about to change is a harness error naming the scenario; its own is not', async () => {
    const a = alloc();
    const shared = await a.read(asker('A'), 'expired', 0);
    const own = await a.write(asker('B'), 'expired', 0);
    expect(() => a.guard('B', 'paSendRT', { fiscalCode: shared.fiscalCode, noticeNumber: shared.noticeNumber })).toThrow(
      new RegExp(`scenario B: the harness was about to send paSendRT for notice ${shared.noticeNumber} \\(expired\\), which is shared and only read`),
    );
    // verify, activation and paGetPayment leave the position open (IF-paGetPayment-F74): reads
    expect(() => a.guard('B', 'activatePaymentNotice', { fiscalCode: shared.fiscalCode, noticeNumber: shared.noticeNumber })).not.toThrow();
    expect(() => a.guard('B', 'paGetPayment', { fiscalCode: shared.fiscalCode, noticeNumber: shared.noticeNumber })).not.toThrow();
    expect(() => a.guard('B', 'paSendRT', { fiscalCode: own.fiscalCode, noticeNumber: own.noticeNumber })).not.toThrow();
  });

  it('updated-amount notices: listed with their printed amount; none declared → undefined', async () => {
    const withOne = new NoticeAllocator(noticePlan(defs), profile({ updatedAmount: [{ noticeNumber: nn(30), amount: '123.45', printedAmount: '100.00' }] }));
    expect(await withOne.updatedAmount(asker('A'), 0)).toMatchObject({ noticeNumber: nn(30), amountCents: 12345, printedCents: 10000, state: 'payable' });
    expect(await withOne.updatedAmount(asker('A'), 1)).toBeUndefined();
    expect(await alloc().updatedAmount(asker('A'), 0)).toBeUndefined();
  });
});

describe('in a run (embedded reference EC, provisioning)', () => {
  const base = { seat: 'ec' as const, titleIt: 'x', checks: [{ id: 'c', title: 'c', titleIt: 'c', requirements: ['NM-PSPPAY-ERR-03'], level: 'MUST' as const }] };

  it('the harness\'s PSP refuses to pay a notice the scenario only reads: ERROR naming the scenario, no outcome sent', async () => {
    const def: ScenarioDef<EcContext> = {
      ...base,
      id: 'EC-TEST-01',
      title: 'pays a read notice',
      reads: { payable: 1 },
      async run(t) {
        const n = await t.notice('payable');
        const a = await t.psp.activate(n, n.amountCents ?? 1000);
        if (a.paymentToken) await t.psp.outcome(a.paymentToken, 'OK');
      },
    };
    const env = await ecEnv([def]);
    try {
      const r = await runScenario(def, env);
      expect(r.verdict).toBe('ERROR');
      expect(r.reason).toMatch(/scenario EC-TEST-01: the harness was about to send paSendRT for notice \d{18} \(payable\), which is shared and only read/);
      expect(r.journal.filter((e) => e.primitive === 'activatePaymentNotice').length).toBeGreaterThan(0);
      expect(r.journal.filter((e) => e.primitive?.startsWith('sendPaymentOutcome') || e.primitive?.startsWith('paSendRT'))).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it('updatedAmountNotice creates a position whose current amount differs from the printed one (provisioning.updatedAmount)', async () => {
    let got: Awaited<ReturnType<EcContext['updatedAmountNotice']>>;
    let verified: number | undefined;
    const def: ScenarioDef<EcContext> = {
      ...base,
      id: 'EC-TEST-02',
      title: 'updated amount',
      async run(t) {
        got = await t.updatedAmountNotice();
        if (got) verified = (await t.psp.verify(got)).amountCents;
        t.check({ id: 'c', held: true, message: ['ok', 'ok'], entries: t.journal.entries });
      },
    };
    const env = await ecEnv([def]);
    try {
      const r = await runScenario(def, env);
      expect(r.verdict).toBe('PASS');
      expect(got!.amountCents).not.toBe(got!.printedCents);
      expect(verified).toBe(got!.amountCents);
    } finally {
      await env.close();
    }
  });
});

describe('collaudo catalogue --seat ec', () => {
  it('prints the plan the allocator follows: read (shared) and consumed notices per state', async () => {
    const { collaudo } = await import('./support/cli.js');
    const r = await collaudo(['catalogue', '--seat', 'ec', '--json']);
    const j = JSON.parse(r.stdout) as { notices: Record<string, number>; noticesRead: Record<string, number>; noticesConsumed: Record<string, number> };
    const plan = noticePlan(ecPlan);
    expect(j.noticesRead).toEqual(plan.shared);
    expect(j.noticesConsumed).toEqual(plan.consumed);
    expect(j.notices.payable).toBe((plan.shared.payable ?? 0) + (plan.consumed.payable ?? 0));
    const text = await collaudo(['catalogue', '--seat', 'ec']);
    for (const line of describePlan(plan)) expect(text.stdout).toContain(line);
  });
});
