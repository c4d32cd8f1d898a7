// Scenarios as typed data: metadata (id, requirement ids, notices and feature needed) plus a
// `run` that reads like the spec's sequence: stimulus, observations on the journal, checks.
import type { Clock } from './clock.js';
import type { Faults } from './faults.js';
import { Journal, JournalEntry } from './journal.js';
import type { Check, Seat, Verdict } from './model.js';
import type { NoticeState } from './domain.js';
import type { Feature, Profile } from './profile/index.js';
import { requirement } from './catalogue/index.js';
import { checkVerdict } from './verdict.js';

export interface Notice {
  fiscalCode: string;
  noticeNumber: string;
  amountCents?: number;
  state: NoticeState;
}

export interface ScenarioDef<C = unknown> {
  id: string;
  title: string;
  titleIt: string;
  seat: Seat;
  /** catalogue ids (NM-*, IF-*) this scenario verifies */
  requirements: string[];
  /** notices consumed or read, per state (drives allocation and the README's per-run counts) */
  notices?: Partial<Record<NoticeState, number>>;
  /** optional feature the candidate must declare (MAY-if-offered), else NOT_APPLICABLE */
  feature?: Feature;
  /** pins the primitive version used towards the candidate (EC seat: paGetPayment/paSendRT vs V2) */
  primitives?: 'v1' | 'v2';
  run(t: C): Promise<void>;
}

export interface CheckInput {
  id: string;
  title: string;
  requirement: string;
  level: Check['level'];
  clause?: string;
  held: boolean;
  message: string;
  entries?: (JournalEntry | undefined)[];
  /** override: e.g. WARNING for an accepted-but-not-preferred reading, INCONCLUSIVE when nothing could be judged */
  verdict?: Verdict;
}

/** Thrown to end a scenario early with a non-judging verdict. */
export class ScenarioStop extends Error {
  constructor(readonly kind: 'INCONCLUSIVE' | 'NOT_APPLICABLE', readonly reason: string) {
    super(reason);
  }
}

/** What every seat's context offers: journal, clock, faults, checks. */
export class BaseContext {
  readonly checks: Check[] = [];
  constructor(
    readonly scenarioId: string,
    readonly profile: Profile,
    readonly clock: Clock,
    readonly journal: Journal,
    readonly faults: Faults,
    private readonly evidencePath: (e: JournalEntry) => string,
  ) {}

  check(c: CheckInput): boolean {
    const req = requirement(c.requirement);
    if (!req) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names unknown requirement ${c.requirement}`);
    if (!req.levels[this.profile.seat]) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names ${c.requirement}, which does not apply to the ${this.profile.seat} seat`);
    const entries = c.entries?.filter((e): e is JournalEntry => !!e) ?? [];
    const verdict = c.verdict ?? checkVerdict(c.held, c.level);
    this.checks.push({
      id: c.id,
      title: c.title,
      requirement: c.requirement,
      level: c.level,
      clause: c.clause ?? clauseOf(c.requirement),
      verdict,
      message: c.message,
      evidence: entries.filter((e) => e.raw).map((e) => this.evidencePath(e)),
      entries: entries.map((e) => e.seq),
    });
    return c.held;
  }

  inconclusive(reason: string): never {
    throw new ScenarioStop('INCONCLUSIVE', reason);
  }
  notApplicable(reason: string): never {
    throw new ScenarioStop('NOT_APPLICABLE', reason);
  }
}

export function clauseOf(id: string): string {
  const r = requirement(id);
  if (!r) return id;
  const t = r.title.length > 160 ? `${r.title.slice(0, 157)}…` : r.title;
  return `${id} — ${t}`;
}

/**
 * Scenario data is validated when a suite loads, so a typo in an id or a requirement stops the
 * run with a clear message instead of producing a certificate that cites nothing.
 */
export function validateScenarios<T extends ScenarioDef<never>>(defs: T[]): T[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of defs) {
    if (!/^[A-Z]+(-[A-Z0-9]+)+$/.test(d.id)) problems.push(`${d.id}: id must look like EC-PAY-01`);
    if (seen.has(d.id)) problems.push(`${d.id}: duplicate scenario id`);
    seen.add(d.id);
    if (!d.title || !d.titleIt) problems.push(`${d.id}: title and titleIt are required`);
    if (d.requirements.length === 0) problems.push(`${d.id}: names no requirement`);
    for (const r of d.requirements) {
      const req = requirement(r);
      if (!req) problems.push(`${d.id}: unknown requirement ${r}`);
      else if (!req.levels[d.seat]) problems.push(`${d.id}: requirement ${r} does not apply to the ${d.seat} seat`);
    }
  }
  if (problems.length) throw new Error(`invalid scenario data:\n  ${problems.join('\n  ')}`);
  return defs;
}
