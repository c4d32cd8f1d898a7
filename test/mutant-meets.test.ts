// Mutant runs register a defect only against the scenarios that can catch it on target (the seats'
// `meets`): a scenario with a check bound to a requirement the defect violates, of the defect's own
// payment model. Every defect must meet at least one scenario, or `collaudo mutants` could never catch it.
import { describe, expect, it } from 'vitest';
import { judgesAny, modelOf, requirementsOf } from '../src/core/scenario.js';
import { EC_DEFECTS, OLD_EC_DEFECTS } from '../candidates/ec/index.js';
import { ecPlan } from '../suites/ec/plan.js';
import { meetsNewModel } from '../seats/ec.js';
import { meetsOldModel } from '../seats/ec-old.js';
import { PSP_DEFECTS } from '../candidates/psp/defects.js';
import { OLD_PSP_DEFECTS } from '../candidates/psp/old/index.js';
import { pspPlan } from '../suites/psp/plan.js';
import { meetsNewPspModel } from '../seats/psp.js';
import { meetsOldPspModel } from '../seats/psp-old.js';

type Def = Parameters<typeof meetsNewModel>[1];
type Meets = (defect: string, def: Def) => boolean;
const plans: Record<'ec' | 'psp', Def[]> = { ec: ecPlan as Def[], psp: pspPlan as Def[] };
const cases: ['ec' | 'psp', 'new' | 'old', readonly { id: string; catches: readonly string[] }[], Meets][] = [
  ['ec', 'new', EC_DEFECTS, meetsNewModel],
  ['ec', 'old', OLD_EC_DEFECTS, meetsOldModel],
  ['psp', 'new', PSP_DEFECTS, meetsNewPspModel],
  ['psp', 'old', OLD_PSP_DEFECTS, meetsOldPspModel],
];
const plan = plans.ec;

describe('mutant runs meet the scenarios that judge what a defect breaks', () => {
  for (const [seat, model, defects, meets] of cases) {
    it(`every ${model}-model ${seat.toUpperCase()} defect meets a scenario of its model that judges one of its requirements, and only such`, () => {
      const lonely: string[] = [];
      for (const d of defects) {
        const met = plans[seat].filter((s) => meets(d.id, s));
        if (!met.length) lonely.push(d.id);
        for (const s of met) {
          expect(modelOf(s), `${d.id} meets ${s.id}`).toBe(model);
          expect(requirementsOf(s).some((r) => d.catches.includes(r)), `${d.id} meets ${s.id}`).toBe(true);
        }
      }
      expect(lonely).toEqual([]);
    });
  }
  it("a defect of one model never meets the other model's scenarios, nor a scenario not yet built", () => {
    const old = OLD_EC_DEFECTS[0]!;
    const fresh = EC_DEFECTS[0]!;
    expect(plan.filter((s) => modelOf(s) === 'new').some((s) => meetsOldModel(old.id, s))).toBe(false);
    expect(plan.filter((s) => modelOf(s) === 'old').some((s) => meetsNewModel(fresh.id, s))).toBe(false);
    const gap = plan.find((s) => s.notYet !== undefined)!;
    expect(judgesAny(gap, gap.checks.flatMap((c) => c.requirements))).toBe(false);
  });
});
