// Runs one scenario and turns what happened into a ScenarioResult; registers scenarios as vitest
// tests. The vitest test fails only when the verdict blocks (FAIL, ERROR, INCONCLUSIVE), so the
// self-tests are red for a real problem; the CLI reads the verdict from the task meta, not the status.
import { test, describe, afterAll } from 'vitest';
import { JUDGING, type ScenarioResult, type Verdict } from './model.js';
import type { JournalEntry } from './journal.js';
import { redactEntry } from './journal.js';
import { BaseContext, HarnessFault, ScenarioDef, ScenarioStop, modelOf } from './scenario.js';
import { scenarioVerdict } from './verdict.js';
import type { Bi } from './text.js';

declare module 'vitest' {
  interface TaskMeta {
    collaudo?: ScenarioResult;
    /** the defect switched on in the reference part (mutant runs) */
    collaudoMutant?: string;
  }
}

export interface SeatEnv<C extends BaseContext> {
  /** builds the context of one scenario (its own journal, faults, Nodo …) */
  open(def: ScenarioDef<C>): Promise<{ ctx: C; close(): Promise<void> }>;
  /** the payment models the profile lists (`models`): a scenario of another model is NOT_APPLICABLE */
  certifies?(model: string): boolean;
  /** the feature check for MAY-if-offered scenarios, among the features of the scenario's model */
  offers(feature: NonNullable<ScenarioDef['feature']>, model: string): boolean;
  redactHeaders: string[];
  close(): Promise<void>;
}

export async function runScenario<C extends BaseContext>(def: ScenarioDef<C>, env: SeatEnv<C>): Promise<ScenarioResult> {
  const started = Date.now();
  let ctx: C | undefined;
  let close: (() => Promise<void>) | undefined;
  let error: Bi | undefined;
  let stop: ScenarioStop | undefined;
  const model = modelOf(def);
  if (env.certifies && !env.certifies(model)) {
    // the CLI runs only the listed models' scenarios; a plain vitest run with such a profile lands here
    stop = new ScenarioStop('NOT_APPLICABLE', [`the profile does not list model ${model} in models`, `il profilo non elenca il modello ${model} in models`]);
  } else if (def.notYet !== undefined && (!def.feature || env.offers(def.feature, model))) {
    stop = new ScenarioStop('NOT_APPLICABLE', [`not exercised by this version of collaudo: ${def.notYet}`, `non esercitato da questa versione di collaudo: ${def.notYetIt ?? def.notYet}`]);
  } else if (def.feature && !env.offers(def.feature, model)) {
    const field = `${model === 'old' ? 'old.features' : 'features'}.${def.feature}: true`;
    stop = new ScenarioStop('NOT_APPLICABLE', [`the profile does not declare ${field}`, `il profilo non dichiara ${field}`]);
  } else {
    try {
      ({ ctx, close } = await env.open(def));
      ctx.declare(def.checks);
      await def.run(ctx);
    } catch (e) {
      if (e instanceof ScenarioStop) stop = e;
      else if (e instanceof HarnessFault) error = harnessSaid('', e.message);
      else error = harnessSaid('', (e as Error)?.stack ?? String(e));
    } finally {
      try {
        await close?.();
      } catch (e) {
        error ??= harnessSaid(' while closing', (e as Error).message);
      }
    }
  }
  const checks = ctx?.checks ?? [];
  const verdict: Verdict = scenarioVerdict({
    error: error?.[0],
    notApplicable: stop?.kind === 'NOT_APPLICABLE' ? stop.reason : undefined,
    inconclusive: stop?.kind === 'INCONCLUSIVE' ? stop.reason : undefined,
    checks,
  });
  const journal: JournalEntry[] = (ctx?.journal.entries ?? []).map((e) => redactEntry(e, env.redactHeaders));
  return {
    id: def.id,
    title: def.title,
    titleIt: def.titleIt,
    seat: def.seat,
    model,
    requirements: [...new Set(checks.filter((c) => JUDGING.includes(c.verdict)).flatMap((c) => c.requirements))],
    verdict,
    reason: stop?.reason ?? error?.[0] ?? noJudgement(checks)?.[0],
    reasonIt: stop ? stop.reasonIt : (error?.[1] ?? noJudgement(checks)?.[1]),
    checks,
    journalFile: `evidence/journal/${def.id}.json`,
    journal,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

/** The harness's own trouble: the detail (an exception's text) is technical and stays as thrown. */
function harnessSaid(when: string, detail: string): Bi {
  return [`harness error${when}: ${detail}`, `errore dello strumento${when ? ' alla chiusura' : ''} (dettaglio tecnico): ${detail}`];
}

/** Why a scenario that judged nothing has no verdict of its own. */
function noJudgement(checks: ScenarioResult['checks']): Bi | undefined {
  if (checks.length === 0) return ['the scenario recorded no check', 'lo scenario non ha registrato alcuna verifica'];
  if (checks.some((c) => JUDGING.includes(c.verdict))) return undefined;
  return [
    `no check could be exercised: ${checks.map((c) => `${c.id}: ${c.message}`).join('; ')}`,
    `nessuna verifica è stata esercitata: ${checks.map((c) => `${c.id}: ${c.messageIt ?? c.message}`).join('; ')}`,
  ];
}

export function failureText(r: ScenarioResult): string {
  const bad = r.checks.filter((c) => c.verdict === 'FAIL' || c.verdict === 'ERROR' || c.verdict === 'INCONCLUSIVE');
  return [
    `${r.id} ${r.verdict}${r.reason ? `: ${r.reason}` : ''}`,
    ...bad.map((c) => `  ✖ [${c.requirements.join(', ')} ${c.level}] ${c.title}: ${c.message}`),
  ].join('\n');
}

export interface RegisterOptions {
  /**
   * Run the scenarios side by side (real clock, one environment routing by keys): scenarios that
   * wait on a candidate wait together, so the file lasts about its longest wait. Virtual-clock runs
   * stay sequential: their scenarios share the virtual time.
   */
  concurrent?: boolean;
  /** per-scenario test timeout (default 120 s) */
  timeoutMs?: number;
  /**
   * Mutant runs: whether a defect switch is run against a scenario (default: every scenario). A
   * defect of the other payment model's station cannot change what a scenario sees; a scenario that
   * judges none of the requirements a defect violates cannot catch it on target.
   */
  meets?: (defect: string, scenario: ScenarioDef<never>) => boolean;
}

/**
 * The scenarios of shard i of n ("i/n") when a run is one file (`--shard` within it): the selected
 * ones (`selected`: their ids, as the CLI passes them in COLLAUDO_SCENARIOS; default every one) are
 * dealt to the shards in turn, those with a declared `paceMs` first, slowest first, then the others
 * in list order — so the scenarios that wait on the spec's schedules land in different shards. Every
 * shard computes the same deal from the same list: nothing is coordinated between them. The shard's
 * scenarios keep their list order.
 */
export function shardOf<T extends { id: string; paceMs?: number }>(defs: T[], shard: string | undefined, selected?: readonly string[]): T[] {
  const m = shard ? /^(\d+)\/(\d+)$/.exec(shard) : null;
  if (!m) return defs;
  const [i, n] = [Number(m[1]), Number(m[2])];
  const chosen = selected?.length ? defs.filter((d) => selected.includes(d.id)) : defs;
  const paced = chosen.filter((d) => (d.paceMs ?? 0) > 0).sort((a, b) => b.paceMs! - a.paceMs!);
  const deal = [...paced, ...chosen.filter((d) => !paced.includes(d))];
  const mine = new Set(deal.filter((_, k) => k % n === i - 1));
  return defs.filter((d) => mine.has(d));
}

/** The scenario ids the CLI selected for this run (COLLAUDO_SCENARIOS, set with --scenario/--grep or by the profile's models); undefined: all. */
export function selectedScenarios(): string[] | undefined {
  const ids = process.env.COLLAUDO_SCENARIOS?.split(',').filter(Boolean);
  return ids?.length ? ids : undefined;
}

/**
 * Registers scenarios as vitest tests, sharing one seat environment per test file (worker).
 * With COLLAUDO_MUTANTS="a,b,…" (set by `collaudo mutants`) every scenario runs once per defect
 * switch, each with its own reference part, in one vitest run: the kill matrix costs one start-up.
 */
export function defineScenarios<C extends BaseContext>(defs: ScenarioDef<C>[], makeEnv: (mutant?: string) => Promise<SeatEnv<C>>, o: RegisterOptions = {}): void {
  const mutants = process.env.COLLAUDO_MUTANTS;
  if (mutants === undefined) {
    register(defs, () => makeEnv(), undefined, o);
    return;
  }
  for (const m of mutants.split(',')) {
    const met = m && o.meets ? defs.filter((d) => o.meets!(m, d as ScenarioDef<never>)) : defs;
    if (!met.length) continue;
    describe(`mutant ${m || '(none)'}`, () => register(met, () => makeEnv(m || undefined), m || undefined, o));
  }
}

/**
 * Side by side, scenarios naming the same `exclusive` resource take turns: each one's work starts when
 * the previous holder's has ended, however that ended (a chain of promises per resource, in the order
 * they asked). Without a resource the work starts at once.
 */
export function turnTaker(): <T>(resource: string | undefined, work: () => Promise<T>) => Promise<T> {
  const last = new Map<string, Promise<unknown>>();
  return (resource, work) => {
    if (!resource) return work();
    const mine = (last.get(resource) ?? Promise.resolve()).then(work);
    last.set(resource, mine.catch(() => undefined));
    return mine;
  };
}

function register<C extends BaseContext>(defs: ScenarioDef<C>[], makeEnv: () => Promise<SeatEnv<C>>, mutant: string | undefined, o: RegisterOptions): void {
  let envP: Promise<SeatEnv<C>> | undefined;
  const define = o.concurrent ? test.concurrent : test;
  const inTurn = turnTaker();
  for (const def of defs) {
    define(`${def.id} ${def.title}`, async ({ task }) => {
      envP ??= makeEnv();
      const env = await envP;
      const r = await inTurn(def.exclusive, () => runScenario(def, env));
      task.meta.collaudo = r;
      if (mutant) task.meta.collaudoMutant = mutant;
      // in a mutant run a FAIL is the expected outcome, not a broken test
      if (!mutant && (r.verdict === 'FAIL' || r.verdict === 'ERROR' || r.verdict === 'INCONCLUSIVE')) throw new Error(failureText(r));
    }, o.timeoutMs ?? 120_000);
  }
  afterAll(async () => {
    if (envP) await (await envP).close();
  });
}
