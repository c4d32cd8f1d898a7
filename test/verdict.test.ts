// The verdict engine (src/verdict.ts): ordered rules of scenarioVerdict, checkVerdict, exit codes,
// overall verdict and summaries. Table-driven; every row states the rule it exercises.
import { describe, expect, it } from 'vitest';
import { VERDICTS, type CheckVerdict, type Verdict } from '../src/core/model.js';
import { type ScenarioOutcome, checkVerdict, exitCode, overallVerdict, scenarioVerdict, summarize } from '../src/core/verdict.js';

const checks = (...vs: CheckVerdict[]) => vs.map((verdict) => ({ verdict }));

describe('checkVerdict', () => {
  it.each([
    [true, 'MUST', 'PASS'],
    [true, 'SHOULD', 'PASS'],
    [true, 'MAY', 'PASS'],
    [false, 'MUST', 'FAIL'],
    [false, 'SHOULD', 'WARNING'],
    [false, 'MAY', 'PASS'], // MAY never blocks: informational
  ] as const)('held=%s level=%s → %s', (held, level, verdict) => {
    expect(checkVerdict(held, level)).toBe(verdict);
  });

  it('only a MUST can produce FAIL, only a SHOULD can produce WARNING', () => {
    for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
      for (const held of [true, false]) {
        const v = checkVerdict(held, level);
        if (v === 'FAIL') expect(level).toBe('MUST');
        if (v === 'WARNING') expect(level).toBe('SHOULD');
      }
    }
  });
});

describe('scenarioVerdict: ordered rules', () => {
  const rows: [string, ScenarioOutcome, Verdict][] = [
    // rule 1: not applicable beats everything
    ['1. not applicable, no checks', { notApplicable: 'feature off', checks: [] }, 'NOT_APPLICABLE'],
    // rule 1 (issue 14 item 25): a FAIL proven before the feature was found missing stands
    ['1. a proven FAIL beats NOT_APPLICABLE', { notApplicable: 'feature off', checks: checks('FAIL') }, 'FAIL'],
    ['1. NOT_APPLICABLE beats ERROR', { notApplicable: 'x', error: 'boom', checks: checks('ERROR') }, 'NOT_APPLICABLE'],
    ['1. NOT_APPLICABLE beats INCONCLUSIVE', { notApplicable: 'x', inconclusive: 'y', checks: [] }, 'NOT_APPLICABLE'],
    ['1. empty reason still counts', { notApplicable: '', checks: checks('PASS') }, 'NOT_APPLICABLE'],
    // rule 2: a FAIL check stands even if the harness broke later
    ['2. one FAIL among PASS', { checks: checks('PASS', 'FAIL', 'PASS') }, 'FAIL'],
    ['2. FAIL beats a harness error', { error: 'boom', checks: checks('FAIL') }, 'FAIL'],
    ['2. FAIL beats an ERROR check', { checks: checks('ERROR', 'FAIL') }, 'FAIL'],
    ['2. FAIL beats INCONCLUSIVE', { inconclusive: 'no data', checks: checks('INCONCLUSIVE', 'FAIL') }, 'FAIL'],
    ['2. FAIL beats WARNING', { checks: checks('WARNING', 'FAIL') }, 'FAIL'],
    // rule 3: harness error
    ['3. harness error with passing checks', { error: 'boom', checks: checks('PASS') }, 'ERROR'],
    ['3. harness error without checks', { error: 'boom', checks: [] }, 'ERROR'],
    ['3. an ERROR check', { checks: checks('PASS', 'ERROR') }, 'ERROR'],
    ['3. ERROR beats INCONCLUSIVE', { error: 'boom', inconclusive: 'no data', checks: checks('INCONCLUSIVE') }, 'ERROR'],
    ['3. ERROR check beats INCONCLUSIVE check', { checks: checks('INCONCLUSIVE', 'ERROR') }, 'ERROR'],
    ['3. empty error string still counts', { error: '', checks: checks('PASS') }, 'ERROR'],
    // rule 4: inconclusive
    ['4. inconclusive stop with passing checks', { inconclusive: 'candidate never acted', checks: checks('PASS') }, 'INCONCLUSIVE'],
    ['4. inconclusive stop without checks', { inconclusive: 'no data', checks: [] }, 'INCONCLUSIVE'],
    ['4. an INCONCLUSIVE check', { checks: checks('PASS', 'INCONCLUSIVE') }, 'INCONCLUSIVE'],
    ['4. INCONCLUSIVE beats WARNING', { checks: checks('WARNING', 'INCONCLUSIVE') }, 'INCONCLUSIVE'],
    // rule 5: nothing judged
    ['5. no checks at all → ERROR', { checks: [] }, 'ERROR'],
    ['5. only NOT_EXERCISED checks → INCONCLUSIVE', { checks: checks('NOT_EXERCISED', 'NOT_EXERCISED') }, 'INCONCLUSIVE'],
    ['6. NOT_EXERCISED never turns a PASS into anything else', { checks: checks('PASS', 'NOT_EXERCISED') }, 'PASS'],
    ['2. FAIL stands beside NOT_EXERCISED checks', { checks: checks('NOT_EXERCISED', 'FAIL') }, 'FAIL'],
    // rule 6
    ['6. a WARNING among PASS', { checks: checks('PASS', 'WARNING') }, 'WARNING'],
    ['6. all PASS', { checks: checks('PASS', 'PASS') }, 'PASS'],
    ['6. a single PASS', { checks: checks('PASS') }, 'PASS'],
  ];
  it.each(rows)('%s', (_rule, outcome, verdict) => {
    expect(scenarioVerdict(outcome)).toBe(verdict);
  });

  it('WARNING comes only from a failed SHOULD; a failed MAY leaves the scenario PASS', () => {
    const from = (held: boolean, level: 'MUST' | 'SHOULD' | 'MAY') => ({ verdict: checkVerdict(held, level) });
    expect(scenarioVerdict({ checks: [from(true, 'MUST'), from(false, 'SHOULD')] })).toBe('WARNING');
    expect(scenarioVerdict({ checks: [from(true, 'MUST'), from(false, 'MAY')] })).toBe('PASS');
    expect(scenarioVerdict({ checks: [from(false, 'MAY'), from(false, 'MAY')] })).toBe('PASS');
    expect(scenarioVerdict({ checks: [from(false, 'MUST'), from(false, 'MAY')] })).toBe('FAIL');
  });

  it('the order of checks does not matter', () => {
    const vs: Verdict[] = ['PASS', 'WARNING', 'INCONCLUSIVE', 'FAIL', 'ERROR'];
    for (let i = 0; i < vs.length; i++) {
      const rotated = [...vs.slice(i), ...vs.slice(0, i)];
      expect(scenarioVerdict({ checks: checks(...rotated) })).toBe('FAIL');
    }
  });
});

describe('exitCode', () => {
  const rows: [Verdict[], number][] = [
    [[], 0],
    [['PASS'], 0],
    [['PASS', 'WARNING', 'NOT_APPLICABLE'], 0],
    [['NOT_APPLICABLE'], 0],
    [['FAIL'], 1],
    [['INCONCLUSIVE'], 3],
    [['ERROR'], 4],
    [['PASS', 'ERROR', 'FAIL'], 1], // FAIL 1 beats ERROR 4
    [['INCONCLUSIVE', 'FAIL'], 1], // FAIL beats INCONCLUSIVE
    [['INCONCLUSIVE', 'ERROR'], 4], // ERROR beats INCONCLUSIVE
    [['WARNING', 'INCONCLUSIVE', 'PASS'], 3],
    [['ERROR', 'INCONCLUSIVE', 'ERROR'], 4],
  ];
  it.each(rows)('%j → %i', (vs, code) => {
    expect(exitCode(vs)).toBe(code);
  });
});

describe('overallVerdict', () => {
  const rows: [Verdict[], Verdict][] = [
    [[], 'ERROR'], // nothing ran
    [['NOT_APPLICABLE'], 'NOT_APPLICABLE'],
    [['NOT_APPLICABLE', 'NOT_APPLICABLE'], 'NOT_APPLICABLE'],
    [['PASS', 'NOT_APPLICABLE'], 'PASS'],
    [['PASS', 'WARNING'], 'WARNING'],
    [['WARNING', 'INCONCLUSIVE'], 'INCONCLUSIVE'],
    [['INCONCLUSIVE', 'ERROR'], 'ERROR'],
    [['ERROR', 'FAIL', 'PASS'], 'FAIL'],
  ];
  it.each(rows)('%j → %s', (vs, v) => {
    expect(overallVerdict(vs)).toBe(v);
  });

  it('agrees with exitCode: a blocking overall verdict ⇔ non-zero exit', () => {
    const blocking: Verdict[] = ['FAIL', 'ERROR', 'INCONCLUSIVE'];
    // every multiset of up to two verdicts
    for (const a of VERDICTS) {
      for (const b of VERDICTS) {
        const vs = [a, b];
        expect(blocking.includes(overallVerdict(vs)), vs.join(',')).toBe(exitCode(vs) !== 0);
      }
    }
  });
});

describe('summarize', () => {
  it('counts every verdict, zero for the absent ones', () => {
    expect(summarize(['PASS', 'PASS', 'FAIL', 'NOT_APPLICABLE', 'WARNING', 'PASS'])).toEqual({
      PASS: 3,
      WARNING: 1,
      FAIL: 1,
      INCONCLUSIVE: 0,
      NOT_APPLICABLE: 1,
      ERROR: 0,
    });
  });
  it('an empty run has every key at zero', () => {
    const s = summarize([]);
    expect(Object.keys(s).sort()).toEqual([...VERDICTS].sort());
    expect(Object.values(s).every((n) => n === 0)).toBe(true);
  });
  it('the counts add up to the number of verdicts', () => {
    const vs: Verdict[] = [...VERDICTS, ...VERDICTS, 'ERROR'];
    const s = summarize(vs);
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(vs.length);
    expect(s.ERROR).toBe(3);
  });
});
