// Scenarios as typed data: metadata (id, requirement ids, notices and feature needed) plus a
// `run` that reads like the spec's sequence: stimulus, observations on the journal, checks.
import type { Clock } from './clock.js';
import type { Faults } from './faults.js';
import { Journal, JournalEntry } from './journal.js';
import type { Check, CheckVerdict, Seat, Verdict } from './model.js';
import type { NoticeState } from '../../domain/common.js';
import type { Feature, OldFeature, Profile } from '../profile/index.js';
import { requirement, titleIt } from '../catalogue/index.js';
import { checkVerdict } from './verdict.js';
import { Ledger } from './ledger.js';
import type { Said } from './text.js';

export interface Notice {
  fiscalCode: string;
  noticeNumber: string;
  amountCents?: number;
  state: NoticeState;
}

/**
 * A check as data: its id within the scenario, what it asserts, its level and the requirement ids it
 * judges. The binding of requirements lives here, on the check (Inferno's verifies_requirements, the
 * OIDF suite's clause per condition), so `collaudo catalogue` knows what each scenario can judge
 * without running it, and a check can only name requirements its definition is bound to.
 */
export interface CheckSpec {
  id: string;
  title: string;
  /** the title in Italian (the certificate's Italian view) */
  titleIt: string;
  requirements: string[];
  level: Check['level'];
}

/** Shorthand for a check definition. */
export function spec(id: string, title: Said, requirements: string | string[], level: Check['level'] = 'MUST'): CheckSpec {
  return { id, title: title[0], titleIt: title[1], requirements: typeof requirements === 'string' ? [requirements] : requirements, level };
}

/** The payment model a scenario exercises when its definition names none: every scenario so far. */
export const DEFAULT_MODEL = 'new';

/** The payment model (wire contract) a scenario exercises: 'new' (SANP 3.x), later 'old' (RPT/RT) and 'fdr'. */
export function modelOf(d: { model?: string }): string {
  return d.model ?? DEFAULT_MODEL;
}

export interface ScenarioDef<C = unknown> {
  id: string;
  title: string;
  titleIt: string;
  seat: Seat;
  /**
   * The payment model whose wire contract it exercises (default DEFAULT_MODEL, 'new'): a run takes
   * only the scenarios of the models its profile lists (`models`).
   */
  model?: string;
  /** the checks this scenario may record, each bound to the requirement ids it judges */
  checks: CheckSpec[];
  /** notices this scenario only reads, per state: shared with other scenarios and runs, never changed */
  reads?: Partial<Record<NoticeState, number>>;
  /** notices this scenario may change (pays, closes, locks), per state: each its own, consumed by the run */
  writes?: Partial<Record<NoticeState, number>>;
  /**
   * The harness cannot exercise this scenario yet (a gap of collaudo, not of the candidate): the reason.
   * It ends NOT_APPLICABLE with that reason, and its checks count as no coverage anywhere.
   */
  notYet?: string;
  /** notYet in Italian */
  notYetIt?: string;
  /** optional feature the candidate must declare (MAY-if-offered), else NOT_APPLICABLE: of the scenario's model (`features`, or `old.features`) */
  feature?: Feature | OldFeature;
  /** pins the primitive version used towards the candidate (EC seat: paGetPayment/paSendRT vs V2) */
  primitives?: 'v1' | 'v2';
  /**
   * The real time the spec's schedules make it wait against a conformant candidate (the RT push's
   * TR-08 retries), when that is what a run at real pace waits for: `--shard` deals these first
   * (src/core/runner.ts shardOf).
   */
  paceMs?: number;
  /**
   * A resource of the candidate the scenario asks about as a whole (the PSP's flow of the day for an
   * EC): when scenarios run side by side, those naming the same one run one after another, so one
   * scenario's question is never answered with another's (src/core/runner.ts register).
   */
  exclusive?: string;
  run(t: C): Promise<void>;
}

export interface CheckInput {
  /** a check declared in the scenario's `checks` */
  id: string;
  /** overrides the declared title with the specifics of this run */
  title?: Said;
  /** narrows the declared requirements to those this outcome concerns (e.g. the field that was wrong) */
  requirements?: string[];
  clause?: string;
  held: boolean;
  /** what was seen, in both languages */
  message: Said;
  entries?: (JournalEntry | undefined)[];
  /** override: e.g. WARNING for an accepted-but-not-preferred reading, INCONCLUSIVE when nothing could be judged */
  verdict?: Verdict;
}

/** Thrown when the harness's own precondition fails (ERROR, never the candidate's FAIL). */
export class HarnessFault extends Error {}

/** Thrown to end a scenario early with a non-judging verdict. */
export class ScenarioStop extends Error {
  readonly reason: string;
  readonly reasonIt: string;
  constructor(readonly kind: 'INCONCLUSIVE' | 'NOT_APPLICABLE', reason: Said) {
    super(reason[0]);
    this.reason = reason[0];
    this.reasonIt = reason[1];
  }
}

/** What every seat's context offers: journal, clock, faults, checks, the run's ledger. */
export class BaseContext {
  readonly checks: Check[] = [];
  constructor(
    readonly scenarioId: string,
    readonly profile: Profile,
    readonly clock: Clock,
    readonly journal: Journal,
    readonly faults: Faults,
    private readonly evidencePath: (e: JournalEntry) => string,
    /**
     * The run's receipts and flows, shared by every scenario of the seat environment (one per suite
     * file; the CLI joins the environments' ledgers into ledger.json). The seat marks what this
     * scenario records with its id; read by key (EC, PSP, day), never by position.
     */
    readonly ledger: Ledger = new Ledger(),
  ) {}

  private specs: Map<string, CheckSpec> | undefined;

  /** Binds the scenario's declared checks (the runner calls this before `run`). */
  declare(specs: CheckSpec[] | undefined): void {
    this.specs = specs ? new Map(specs.map((x) => [x.id, x])) : undefined;
  }

  /** The declared definition of a check; a check the scenario did not declare is the harness's bug. */
  private specOf(c: { id: string; requirement?: string; requirements?: string[]; title?: Said; level?: Check['level'] }): CheckSpec {
    const declared = this.specs?.get(c.id);
    if (this.specs && !declared) throw new Error(`scenario ${this.scenarioId}: check ${c.id} is not declared in the scenario's checks`);
    const sp: CheckSpec = declared ?? { id: c.id, title: c.title === undefined ? c.id : c.title[0], titleIt: c.title === undefined ? c.id : c.title[1], requirements: c.requirements ?? (c.requirement ? [c.requirement] : []), level: c.level ?? 'MUST' };
    const named = c.requirements ?? (c.requirement ? [c.requirement] : sp.requirements);
    for (const r of named) {
      if (!sp.requirements.includes(r)) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names ${r}, which its definition is not bound to (${sp.requirements.join(', ')})`);
      const req = requirement(r);
      if (!req) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names unknown requirement ${r}`);
      if (!req.levels[this.profile.seat]) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names ${r}, which does not apply to the ${this.profile.seat} seat`);
    }
    if (named.length === 0) throw new Error(`scenario ${this.scenarioId}: check ${c.id} names no requirement`);
    return { ...sp, requirements: named };
  }

  check(c: CheckInput): boolean {
    const sp = this.specOf(c);
    const entries = c.entries?.filter((e): e is JournalEntry => !!e) ?? [];
    const verdict = c.verdict ?? checkVerdict(c.held, sp.level);
    this.push(sp, c.title ?? [sp.title, sp.titleIt], verdict, c.message, entries, c.clause);
    return c.held;
  }

  /**
   * Records that a declared check could not be exercised: its subject did not occur, or a step it
   * depends on failed earlier. Never a PASS, never coverage, never blocks the exit code.
   */
  notExercised(id: string, reason: Said, entries: (JournalEntry | undefined)[] = []): void {
    const sp = this.specOf({ id });
    this.push(sp, [sp.title, sp.titleIt], 'NOT_EXERCISED', reason, entries.filter((e): e is JournalEntry => !!e));
  }

  private push(sp: CheckSpec, title: Said, verdict: CheckVerdict, message: Said, entries: JournalEntry[], clause?: string): void {
    this.checks.push({
      id: sp.id,
      title: title[0],
      titleIt: title[1],
      requirements: sp.requirements,
      level: sp.level,
      clause: clause ?? sp.requirements.map((r) => clauseOf(r)).join('; '),
      verdict,
      message: message[0],
      messageIt: message[1],
      evidence: entries.filter((e) => e.raw).map((e) => this.evidencePath(e)),
      entries: entries.map((e) => e.seq),
    });
  }

  /** The harness itself cannot go on (its own precondition failed): the scenario is ERROR, never the candidate's FAIL. */
  harnessError(reason: string): never {
    throw new HarnessFault(reason);
  }

  inconclusive(reason: Said): never {
    throw new ScenarioStop('INCONCLUSIVE', reason);
  }
  notApplicable(reason: Said): never {
    throw new ScenarioStop('NOT_APPLICABLE', reason);
  }
}

export function clauseOf(id: string, lang: 'en' | 'it' = 'en'): string {
  const r = requirement(id);
  if (!r) return id;
  const title = (lang === 'it' ? titleIt(id) : undefined) ?? r.title;
  const t = title.length > 160 ? `${title.slice(0, 157)}…` : title;
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
    const ids = requirementsOf({ ...d, notYet: undefined });
    if (ids.length === 0) problems.push(`${d.id}: declares no check bound to a requirement`);
    if (d.notYet !== undefined && d.notYet.length < 20) problems.push(`${d.id}: notYet needs a reason a user can read`);
    for (const r of ids) {
      const req = requirement(r);
      if (!req) problems.push(`${d.id}: unknown requirement ${r}`);
      else if (!req.levels[d.seat]) problems.push(`${d.id}: requirement ${r} does not apply to the ${d.seat} seat`);
    }
    const specIds = new Set<string>();
    for (const c of d.checks) {
      if (specIds.has(c.id)) problems.push(`${d.id}: check ${c.id} declared twice`);
      specIds.add(c.id);
      if (c.requirements.length === 0) problems.push(`${d.id}: check ${c.id} is bound to no requirement`);
    }
  }
  if (problems.length) throw new Error(`invalid scenario data:\n  ${problems.join('\n  ')}`);
  return defs;
}

/** Whether a scenario has a check bound to one of `ids` (only such a check can catch a defect of them on target). */
export function judgesAny(d: Pick<ScenarioDef<never>, 'checks' | 'notYet'>, ids: readonly string[]): boolean {
  return requirementsOf(d).some((r) => ids.includes(r));
}

/** The requirement ids a scenario's declared checks are bound to (what it can judge, not what it did). */
export function requirementsOf(d: Pick<ScenarioDef<never>, 'checks' | 'notYet'>): string[] {
  if (d.notYet !== undefined) return [];
  return [...new Set(d.checks.flatMap((c) => c.requirements))];
}
