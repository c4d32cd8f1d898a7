// The certificate's coverage rows: per requirement of the seat, what the checks that ran judged, and
// when nothing judged it, why — never a silent gap: a feature the profile does not declare or a
// scenario that could not run (NOT_APPLICABLE with its reason), an organisational duty (DECLARED or
// not, from the profile's declarations), else plainly not verified by this run.
import type { Requirement } from '../src/catalogue/index.js';
import { JUDGING, type CoverageRow, type ScenarioResult, type Seat, type Verdict } from '../src/core/model.js';
import { overallVerdict } from '../src/core/verdict.js';
import { type Feature, type OldFeature, type Profile, offersFeature } from '../src/profile/index.js';

export function coverageRow(r: Requirement, seat: Seat, results: readonly ScenarioResult[], p: Profile, bound: ReadonlyMap<string, readonly string[]>): CoverageRow {
  const judging = results.flatMap((s) => s.checks.filter((c) => c.requirements.includes(r.id)).map((c) => ({ s, c })));
  const judged = judging.filter(({ c }) => JUDGING.includes(c.verdict));
  const notExercised = judging.filter(({ c }) => c.verdict === 'NOT_EXERCISED');
  const row: CoverageRow = {
    id: r.id,
    level: r.levels[seat] as CoverageRow['level'],
    condition: r.condition,
    coveredBy: [...new Set(judged.map(({ s }) => s.id))],
    ...(judged.length ? { verdict: overallVerdict(judged.map(({ c }) => c.verdict as Verdict)) } : {}),
    ...(notExercised.length ? { notExercisedIn: [...new Set(notExercised.map(({ s }) => s.id))] } : {}),
  };
  if (judged.length) return row;
  if (r.needs.includes('declaration')) {
    const declared = p.declarations?.[r.id] === true;
    return {
      ...row,
      declared,
      reason: declared
        ? `an organisational duty the messages cannot show: declared in the profile (declarations.${r.id})`
        : `an organisational duty the messages cannot show: not declared in the profile (declarations.${r.id})`,
      reasonIt: declared
        ? `un obbligo organizzativo che i messaggi non possono mostrare: dichiarato nel profilo (declarations.${r.id})`
        : `un obbligo organizzativo che i messaggi non possono mostrare: non dichiarato nel profilo (declarations.${r.id})`,
    };
  }
  if (r.condition && !offersFeature(p, r.condition as Feature | OldFeature, r.model)) {
    const field = `${r.model === 'old' ? 'old.features' : 'features'}.${r.condition}`;
    return { ...row, verdict: 'NOT_APPLICABLE', reason: `the profile does not declare ${field}`, reasonIt: `il profilo non dichiara ${field}` };
  }
  // the scenarios bound to it ran and ended NOT_APPLICABLE (a part this version lacks, no browser …)
  const na = results.filter((s) => s.verdict === 'NOT_APPLICABLE' && bound.get(s.id)?.includes(r.id));
  if (na.length && !results.some((s) => s.verdict !== 'NOT_APPLICABLE' && bound.get(s.id)?.includes(r.id))) {
    return {
      ...row,
      verdict: 'NOT_APPLICABLE',
      reason: na.map((s) => `${s.id}: ${s.reason ?? 'not applicable'}`).join('; '),
      reasonIt: na.map((s) => `${s.id}: ${s.reasonIt ?? s.reason ?? 'non applicabile'}`).join('; '),
    };
  }
  return row;
}
