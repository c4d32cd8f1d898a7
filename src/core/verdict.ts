// The verdict engine: small pure functions with ordered rules (DESIGN.md, verdict table).
import type { Check, CheckVerdict, Verdict } from './model.js';

/** Verdict of one check from whether it held and its level. */
export function checkVerdict(held: boolean, level: Check['level']): Verdict {
  if (held) return 'PASS';
  if (level === 'MUST') return 'FAIL';
  if (level === 'SHOULD') return 'WARNING';
  return 'PASS'; // MAY: informational, never blocks
}

export interface ScenarioOutcome {
  /** the harness broke (exception in our code); never the candidate's FAIL */
  error?: string;
  /** the feature is not declared by the candidate (MAY-if-offered) */
  notApplicable?: string;
  /** the candidate never acted, or data for a MUST was missing */
  inconclusive?: string;
  checks: { verdict: CheckVerdict }[];
}

/**
 * Ordered rules:
 * 1. any FAIL check → FAIL (a proven violation stands, whatever happened later: a feature found
 *    missing, the harness breaking)
 * 2. not applicable → NOT_APPLICABLE (nothing was judged)
 * 3. harness error → ERROR
 * 4. inconclusive, or a check that could not be judged → INCONCLUSIVE
 * 5. no check that judged anything: only NOT_EXERCISED ones → INCONCLUSIVE; none at all → ERROR
 *    (a scenario that judged nothing cannot PASS)
 * 6. any WARNING → WARNING, else PASS (NOT_EXERCISED checks never change these)
 */
export function scenarioVerdict(o: ScenarioOutcome): Verdict {
  if (o.checks.some((c) => c.verdict === 'FAIL')) return 'FAIL';
  if (o.notApplicable !== undefined) return 'NOT_APPLICABLE';
  if (o.error !== undefined || o.checks.some((c) => c.verdict === 'ERROR')) return 'ERROR';
  if (o.inconclusive !== undefined || o.checks.some((c) => c.verdict === 'INCONCLUSIVE')) return 'INCONCLUSIVE';
  const judged = o.checks.filter((c) => c.verdict !== 'NOT_EXERCISED');
  if (judged.length === 0) return o.checks.length ? 'INCONCLUSIVE' : 'ERROR';
  if (judged.some((c) => c.verdict === 'WARNING')) return 'WARNING';
  return 'PASS';
}

/** Exit code of a run (DESIGN.md): FAIL 1 beats ERROR 4 and INCONCLUSIVE 3; otherwise 0. */
export function exitCode(verdicts: Verdict[]): number {
  if (verdicts.includes('FAIL')) return 1;
  if (verdicts.includes('ERROR')) return 4;
  if (verdicts.includes('INCONCLUSIVE')) return 3;
  return 0;
}

/** The run's overall verdict, in the same precedence as the exit code. */
export function overallVerdict(verdicts: Verdict[]): Verdict {
  for (const v of ['FAIL', 'ERROR', 'INCONCLUSIVE', 'WARNING', 'PASS'] as Verdict[]) if (verdicts.includes(v)) return v;
  return verdicts.length ? 'NOT_APPLICABLE' : 'ERROR';
}

export function summarize(verdicts: Verdict[]): Record<Verdict, number> {
  const s: Record<Verdict, number> = { PASS: 0, WARNING: 0, FAIL: 0, INCONCLUSIVE: 0, NOT_APPLICABLE: 0, ERROR: 0 };
  for (const v of verdicts) s[v]++;
  return s;
}
