// The certificate's coverage rows (cli/coverage.ts): a requirement no check judged says why —
// NOT_APPLICABLE for a feature the profile does not declare or a bound scenario that could not run,
// DECLARED / not declared for an organisational duty — and a row judged anywhere keeps only its
// judged verdict when shards are merged.
import { describe, expect, it } from 'vitest';
import { coverageRow } from '../cli/coverage.js';
import { requirement } from '../src/catalogue/index.js';
import type { Check, ScenarioResult } from '../src/core/model.js';
import type { Profile } from '../src/profile/index.js';

const P: Profile = {
  seat: 'ec',
  name: 'p',
  models: ['old', 'new'],
  ec: { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', auxDigit: 3, segregationCode: '01' },
  endpoint: { url: 'https://ec.invalid/' },
  old: { endpoints: { paPerNodo: 'https://ec.invalid/rt' }, password: 'Passw0rd99', returnUrl: 'https://ec.invalid/r', features: { pspStarted: true } },
};

function result(id: string, verdict: ScenarioResult['verdict'], checks: Partial<Check>[] = [], reason?: string): ScenarioResult {
  return {
    id, title: id, titleIt: id, seat: 'ec', requirements: [], verdict, reason, journalFile: '', journal: [], startedAt: '', durationMs: 0,
    checks: checks.map((c) => ({ id: 'c', title: 't', requirements: [], level: 'MUST', clause: '', verdict: 'PASS', message: '', evidence: [], entries: [], ...c })),
  };
}
const req = (id: string) => {
  const r = requirement(id);
  if (!r) throw new Error(`${id} is not in the catalogue`);
  return r;
};

describe('coverage rows', () => {
  it('a judged requirement takes the worst verdict of the checks that judged it, and no reason', () => {
    const rs = [result('S1', 'FAIL', [{ requirements: ['OLD-X-AUTH-01'], verdict: 'FAIL' }]), result('S2', 'PASS', [{ requirements: ['OLD-X-AUTH-01'] }])];
    const row = coverageRow(req('OLD-X-AUTH-01'), 'ec', rs, P, new Map());
    expect(row).toMatchObject({ coveredBy: ['S1', 'S2'], verdict: 'FAIL' });
    expect(row.reason).toBeUndefined();
  });
  it('a requirement whose condition the profile does not declare (in its model\'s features) is NOT_APPLICABLE with the field named', () => {
    const row = coverageRow(req('OLD-STO-01'), 'ec', [], P, new Map());
    expect(row).toMatchObject({ verdict: 'NOT_APPLICABLE', reason: 'the profile does not declare old.features.storno' });
    // declared: no longer explained away (nothing judged it: plainly not verified)
    const on = coverageRow(req('OLD-STO-01'), 'ec', [], { ...P, old: { ...P.old!, features: { storno: true } } }, new Map());
    expect(on.verdict).toBeUndefined();
    expect(on.reason).toBeUndefined();
  });
  it('an organisational duty is declared or not, from the profile, never a verdict', () => {
    const not = coverageRow(req('OLD-X-GDE-01'), 'ec', [], P, new Map());
    expect(not).toMatchObject({ declared: false });
    expect(not.verdict).toBeUndefined();
    const yes = coverageRow(req('OLD-X-GDE-01'), 'ec', [], { ...P, declarations: { 'OLD-X-GDE-01': true } }, new Map());
    expect(yes).toMatchObject({ declared: true });
    expect(yes.reason).toContain('declarations.OLD-X-GDE-01');
  });
  it('a requirement whose bound scenarios all ended NOT_APPLICABLE takes their reasons; one that ran another way is not explained away', () => {
    const bound = new Map([['S9', ['OLD-X-AUTH-01']], ['S8', ['OLD-X-AUTH-01']]]);
    const na = coverageRow(req('OLD-X-AUTH-01'), 'ec', [result('S9', 'NOT_APPLICABLE', [], 'no browser found (install Debian chromium)')], P, bound);
    expect(na).toMatchObject({ verdict: 'NOT_APPLICABLE', reason: 'S9: no browser found (install Debian chromium)' });
    const mixed = coverageRow(req('OLD-X-AUTH-01'), 'ec', [result('S9', 'NOT_APPLICABLE', [], 'x'), result('S8', 'INCONCLUSIVE', [], 'y')], P, bound);
    expect(mixed.verdict).toBeUndefined();
  });
});
