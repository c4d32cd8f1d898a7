// Checks are bound to requirements as data (ScenarioDef.checks): a check can only name the ids its
// definition is bound to, an undeclared check is the harness's bug, NOT_EXERCISED never counts as
// coverage, and `collaudo mutants` counts a kill only when a failing check names a violated id.
import { describe, expect, it } from 'vitest';
import { BaseContext, requirementsOf, spec, validateScenarios, type ScenarioDef } from '../src/core/scenario.js';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { Faults } from '../src/core/faults.js';
import { loadProfile } from '../src/profile/index.js';
import { REFERENCE_EC_PROFILE } from '../seats/ec.js';
import { mutantRow } from '../cli/mutants.js';
import { runScenario, type SeatEnv } from '../src/core/runner.js';
import type { Check, ScenarioResult } from '../src/core/model.js';

function ctx(): BaseContext {
  const clock = new VirtualClock();
  const c = new BaseContext('EC-T-01', loadProfile(REFERENCE_EC_PROFILE).profile, clock, new Journal(clock), new Faults(), () => 'evidence/x');
  c.declare([spec('answer', ['the answer is OK', 'the answer is OK'], ['NM-PSPPAY-PAY-01', 'IF-paVerifyPaymentNotice-F70']), spec('late', ['answered in time', 'answered in time'], 'IF-X-13', 'SHOULD')]);
  return c;
}

describe('check binding', () => {
  it('a declared check takes its requirements and level from its definition', () => {
    const c = ctx();
    c.check({ id: 'answer', held: false, message: ['KO', 'KO'] });
    c.check({ id: 'late', held: false, message: ['9 s', '9 s'] });
    expect(c.checks.map((k) => [k.id, k.requirements, k.level, k.verdict])).toEqual([
      ['answer', ['NM-PSPPAY-PAY-01', 'IF-paVerifyPaymentNotice-F70'], 'MUST', 'FAIL'],
      ['late', ['IF-X-13'], 'SHOULD', 'WARNING'],
    ]);
  });

  it('a check may narrow its requirements to the one it concerns, never name another', () => {
    const c = ctx();
    c.check({ id: 'answer', requirements: ['IF-paVerifyPaymentNotice-F70'], held: false, message: ['schema', 'schema'] });
    expect(c.checks[0]!.requirements).toEqual(['IF-paVerifyPaymentNotice-F70']);
    expect(() => c.check({ id: 'answer', requirements: ['IF-X-13'], held: true, message: ['', ''] })).toThrow(/not bound to/);
  });

  it('an undeclared check is refused (the harness is wrong, not the candidate)', () => {
    expect(() => ctx().check({ id: 'nope', held: true, message: ['', ''] })).toThrow(/not declared/);
  });

  it('notExercised records the check without judging it', () => {
    const c = ctx();
    c.notExercised('answer', ['the verify failed earlier', 'la verifica è fallita prima']);
    expect(c.checks[0]).toMatchObject({ id: 'answer', verdict: 'NOT_EXERCISED', message: 'the verify failed earlier', messageIt: 'la verifica è fallita prima' });
  });

  it('a scenario can judge exactly the ids its checks are bound to', () => {
    const d = { checks: [spec('a', ['a', 'a'], ['NM-PSPPAY-PAY-01']), spec('b', ['b', 'b'], ['NM-PSPPAY-PAY-01', 'IF-X-13'])] };
    expect(requirementsOf(d).sort()).toEqual(['IF-X-13', 'NM-PSPPAY-PAY-01']);
  });

  it('scenario data with a check bound to an unknown id, or declared twice, is refused at load', () => {
    const bad = (checks: ScenarioDef<never>['checks']): ScenarioDef<never> => ({ id: 'EC-T-01', title: 't', titleIt: 't', seat: 'ec', checks, run: async () => undefined });
    expect(() => validateScenarios([bad([spec('a', ['a', 'a'], 'NM-NOPE-01')])])).toThrow(/unknown requirement NM-NOPE-01/);
    expect(() => validateScenarios([bad([spec('a', ['a', 'a'], 'IF-X-13'), spec('a', ['a', 'a'], 'IF-X-13')])])).toThrow(/declared twice/);
    expect(() => validateScenarios([bad([])])).toThrow(/no check/);
  });
});

describe('mutant kill on target', () => {
  const check = (id: string, requirements: string[], verdict: Check['verdict']): Check => ({ id, title: id, requirements, level: 'MUST', clause: '', verdict, message: '', evidence: [], entries: [] });
  const result = (id: string, verdict: ScenarioResult['verdict'], checks: Check[]): ScenarioResult =>
    ({ id, title: id, titleIt: id, seat: 'ec', requirements: [], verdict, checks, journalFile: '', journal: [], startedAt: '', durationMs: 0 });
  const d = { id: 'm', description: 'd', catches: ['NM-PSPPAY-ERR-03'] };

  it('a failing check naming a caught id is on target', () => {
    const r = mutantRow(d, [result('S1', 'FAIL', [check('x', ['IF-X-13'], 'FAIL'), check('y', ['NM-PSPPAY-ERR-03'], 'FAIL')])]);
    expect(r).toMatchObject({ killedBy: ['S1'], killedOnTargetBy: ['S1'], onTarget: true });
  });

  it('a kill by a check about something else is off target', () => {
    const r = mutantRow(d, [result('S1', 'FAIL', [check('x', ['IF-X-13'], 'FAIL'), check('y', ['NM-PSPPAY-ERR-03'], 'PASS')])]);
    expect(r).toMatchObject({ killedBy: ['S1'], killedOnTargetBy: [], onTarget: false });
    expect(r.failingChecks).toEqual({ S1: ['x [IF-X-13] FAIL'] });
  });

  it('a WARNING on the caught id is on target (SHOULD-level defects); NOT_EXERCISED is not', () => {
    expect(mutantRow(d, [result('S1', 'WARNING', [check('y', ['NM-PSPPAY-ERR-03'], 'WARNING')])]).onTarget).toBe(true);
    expect(mutantRow(d, [result('S1', 'INCONCLUSIVE', [check('y', ['NM-PSPPAY-ERR-03'], 'NOT_EXERCISED')])])).toMatchObject({ killedBy: [], onTarget: false });
  });
});

describe('a scenario the harness cannot exercise yet (notYet)', () => {
  const def: ScenarioDef<BaseContext> = {
    id: 'PSP-T-01', title: 't', titleIt: 't', seat: 'psp', feature: 'poste',
    checks: [spec('b', ['b', 'b'], 'NM-PSPPAY-PAY-05', 'MAY')],
    notYet: 'the reference Nodo does not serve verificaBollettino yet',
    run: async () => { throw new Error('must not run'); },
  };
  const env = (offered: boolean): SeatEnv<BaseContext> => ({ offers: () => offered, redactHeaders: [], close: async () => undefined, open: async () => { throw new Error('must not open'); } });

  it('counts as no coverage, though its checks are declared', () => {
    expect(requirementsOf(def)).toEqual([]);
    expect(() => validateScenarios([def as ScenarioDef<never>])).not.toThrow();
  });

  it('ends NOT_APPLICABLE with the harness gap as the reason when the feature is declared, never INCONCLUSIVE', async () => {
    const r = await runScenario(def, env(true));
    expect(r.verdict).toBe('NOT_APPLICABLE');
    expect(r.reason).toMatch(/not exercised by this version of collaudo: the reference Nodo does not serve verificaBollettino/);
    expect((await runScenario(def, env(false))).reason).toMatch(/does not declare features.poste/);
  });
});

describe('a kill only by WARNING (issue 8 item 17)', () => {
  const check = (id: string, requirements: string[], verdict: Check['verdict'], level: Check['level']): Check => ({ id, title: id, requirements, level, clause: '', verdict, message: '', evidence: [], entries: [] });
  const result = (id: string, verdict: ScenarioResult['verdict'], checks: Check[]): ScenarioResult =>
    ({ id, title: id, titleIt: id, seat: 'ec', requirements: [], verdict, checks, journalFile: '', journal: [], startedAt: '', durationMs: 0 });

  it('says the defect is caught as a WARNING and why, so the exit code is not changed by it', () => {
    const r = mutantRow({ id: 'm', description: 'd', catches: ['NM-TOK-VAL-04'] }, [result('S1', 'WARNING', [check('details', ['NM-TOK-VAL-04'], 'WARNING', 'SHOULD')])]);
    expect(r).toMatchObject({ onTarget: true, caughtAs: 'WARNING' });
    expect(r.warningReading).toMatch(/details: SHOULD NM-TOK-VAL-04 — the catalogue makes this a WARNING .* still exits 0/);
  });

  it('a FAIL on target is caught as FAIL, with no reading to explain', () => {
    const r = mutantRow({ id: 'm', description: 'd', catches: ['NM-TOK-VAL-04'] }, [result('S1', 'FAIL', [check('details', ['NM-TOK-VAL-04'], 'FAIL', 'MUST')])]);
    expect(r).toMatchObject({ caughtAs: 'FAIL' });
    expect(r.warningReading).toBeUndefined();
  });
});
