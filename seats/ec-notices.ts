// Test data of the EC seat: which notices a run needs and who gets which. A scenario declares per
// state the notices it only reads (`reads`: shared by every scenario and every run, never changed)
// and those it may change (`writes`: its own, consumed by the run). The plan is computed in one place
// from the scenarios that will run (a scenario whose feature the profile does not declare reserves
// nothing); `collaudo catalogue` prints it and the allocator follows it. Allocation follows catalogue
// order, never execution order, so parallel workers never share a written notice and scenario order
// never changes a verdict.
import { createHash } from 'node:crypto';
import { NOTICE_STATES, type NoticeState, checkDigit, noticeAux3, parseAmount } from '../domain/common.js';
import type { Correlation } from '../src/core/journal.js';
import type { NoticeRef, Profile } from '../src/profile/index.js';
import { HarnessFault, type Notice, type ScenarioDef, modelOf } from '../src/core/scenario.js';
import type { Bi, Said } from '../src/core/text.js';

type Counts = Partial<Record<NoticeState, number>>;

/** What a scenario declares: per state, the notices it only reads and those it may change. */
export interface NoticeDeclaration {
  reads: Counts;
  writes: Counts;
}

export function declarationOf(d: Pick<ScenarioDef<never>, 'reads' | 'writes'>): NoticeDeclaration {
  return { reads: { ...d.reads }, writes: { ...d.writes } };
}

export interface NoticePlan {
  /** per state: notices every scenario may read (the first ones of a listed state) */
  shared: Counts;
  /** per state: notices the run consumes (listed after the shared ones, in catalogue order) */
  consumed: Counts;
  /** per scenario that will run: its declaration and, per state, the index of its first written notice */
  scenarios: Map<string, NoticeDeclaration & { firstWrite: Counts }>;
  /** scenarios that reserve nothing because the profile does not declare their feature */
  notApplicable: string[];
}

/**
 * The notices a run needs: for each state the most any scenario reads (shared) plus the sum of what
 * the scenarios write (consumed), over the scenarios that will run (`offers` says which features
 * the profile declares; undefined = all).
 */
export function noticePlan(defs: Pick<ScenarioDef<never>, 'id' | 'reads' | 'writes' | 'feature' | 'model'>[], offers?: (f: NonNullable<ScenarioDef['feature']>, model: string) => boolean): NoticePlan {
  const shared: Counts = {};
  const consumed: Counts = {};
  const scenarios: NoticePlan['scenarios'] = new Map();
  const notApplicable: string[] = [];
  const running = defs.filter((d) => {
    const runs = !d.feature || !offers || offers(d.feature, modelOf(d));
    if (!runs) notApplicable.push(d.id);
    return runs;
  });
  for (const d of running) {
    const decl = declarationOf(d);
    for (const [s, n] of Object.entries(decl.reads) as [NoticeState, number][]) shared[s] = Math.max(shared[s] ?? 0, n);
  }
  for (const d of running) {
    const decl = declarationOf(d);
    const firstWrite: Counts = {};
    for (const [s, n] of Object.entries(decl.writes) as [NoticeState, number][]) {
      firstWrite[s] = (shared[s] ?? 0) + (consumed[s] ?? 0);
      consumed[s] = (consumed[s] ?? 0) + n;
    }
    scenarios.set(d.id, { ...decl, firstWrite });
  }
  return { shared, consumed, scenarios, notApplicable };
}

/** One line per state: "expired: 1 read (shared, reusable across runs) + 2 consumed". */
export function describePlan(p: NoticePlan): string[] {
  return NOTICE_STATES.filter((s) => (p.shared[s] ?? 0) + (p.consumed[s] ?? 0) > 0).map((s) => {
    const r = p.shared[s] ?? 0;
    const w = p.consumed[s] ?? 0;
    return `${s}: ${r + w} (${r} read, shared and reusable across runs; ${w} consumed by the run)`;
  });
}

// ---------------- allocation ----------------

/** A notice whose amount changed since it was printed (NM-PSPPAY-PAY-07). */
export type UpdatedAmountNotice = Notice & { amountCents: number; printedCents: number };

/** What the allocator needs from the scenario's context (it stops the scenario on missing data). */
export interface NoticeAsker {
  readonly scenarioId: string;
  inconclusive(reason: Said): never;
  harnessError(reason: string): never;
}

const key = (fc: string, nn: string) => `${fc}/${nn}`;

/**
 * Hands out notices per the plan and guards the shared ones: a notice only read that the harness's
 * own PSP or Nodo tries to change (activation, paGetPayment, a receipt) is a harness error naming the
 * scenario, raised before the request leaves.
 */
export class NoticeAllocator {
  /** notices handed out as read: fiscalCode/noticeNumber → state */
  private readonly shared = new Map<string, NoticeState>();
  private readonly cache = new Map<string, Promise<Notice>>();

  constructor(
    readonly plan: NoticePlan,
    private readonly profile: Profile,
    private readonly provisioning?: { url: string; headers: Record<string, string>; updatedAmount: boolean },
    /** makes the unknown notices a scenario may change differ from run to run (they are consumed too) */
    private readonly runSalt = Date.now().toString(36),
  ) {}

  /** `t.notice(state, k)`: the k-th notice in `state` the scenario reads . */
  async read(t: NoticeAsker, state: NoticeState, k: number): Promise<Notice> {
    const d = this.declaration(t);
    if (k >= (d.reads[state] ?? 0)) t.harnessError(`scenario ${t.scenarioId} asks for read notice #${k + 1} in state "${state}" but declares reads.${state} = ${d.reads[state] ?? 0}`);
    return this.once(`read/${state}/${k}`, async () => {
      const n = (await this.listed(t, state, k, 'read')) ?? (await this.generated(t, state, k, `read/${state}`));
      this.shared.set(key(n.fiscalCode, n.noticeNumber), state);
      return n;
    });
  }

  /** `t.ownNotice(state, k)`: the k-th notice in `state` the scenario may change (its own, consumed). */
  async write(t: NoticeAsker, state: NoticeState, k: number): Promise<Notice> {
    const d = this.declaration(t);
    const declared = d.writes[state] ?? 0;
    if (k >= declared) t.harnessError(`scenario ${t.scenarioId} asks for its own notice #${k + 1} in state "${state}" but declares writes.${state} = ${d.writes[state] ?? 0}`);
    const index = (d.firstWrite[state] ?? 0) + k;
    return this.once(`write/${t.scenarioId}/${state}/${k}`, async () => (this.provisioning ? undefined : await this.listed(t, state, index, 'write')) ?? (await this.generated(t, state, k, `${this.runSalt}/${t.scenarioId}/${state}`)));
  }

  /**
   * The k-th notice whose amount changed since it was printed: listed in the profile
   * (notices.updatedAmount) or created through provisioning when its contract updates amounts;
   * undefined when neither is declared.
   */
  async updatedAmount(t: NoticeAsker, k: number): Promise<UpdatedAmountNotice | undefined> {
    const list = this.profile.notices?.updatedAmount ?? [];
    const ref = list[k];
    if (ref) {
      const current = parseAmount(ref.amount);
      const printed = parseAmount(ref.printedAmount);
      if (current === undefined || printed === undefined) return undefined;
      return { fiscalCode: ref.fiscalCode ?? this.profile.ec.idPA, noticeNumber: ref.noticeNumber, state: 'payable', amountCents: current, printedCents: printed };
    }
    if (!this.provisioning?.updatedAmount) return undefined;
    const p = this.provisioning;
    return this.once(`updated/${t.scenarioId}/${k}`, async () => {
      const printedCents = 2000 + ((k * 389 + t.scenarioId.length * 53) % 5000);
      const n = await this.provision(t, 'payable', printedCents);
      const amountCents = printedCents + 1234;
      const res = await fetch(`${p.url}/${encodeURIComponent(n.fiscalCode)}/${encodeURIComponent(n.noticeNumber)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...p.headers },
        body: JSON.stringify({ amountCents }),
      }).catch((e: Error) => t.inconclusive(unreachable(p.url, e)));
      if (res.status !== 200) {
        const body = (await res.text()).slice(0, 200);
        t.inconclusive([
          `the provisioning endpoint did not update the amount of ${n.noticeNumber} (HTTP ${res.status}: ${body})`,
          `l’endpoint di provisioning non ha aggiornato l’importo di ${n.noticeNumber} (HTTP ${res.status}: "${body}")`,
        ]);
      }
      return { ...n, amountCents, printedCents } as Notice;
    }) as Promise<UpdatedAmountNotice>;
  }

  /** Called by the harness's PSP and Nodo before a request that may change a notice leaves. */
  guard(scenarioId: string, primitive: string, corr: Correlation): void {
    // only a receipt changes a position: during activation it stays open, the Nodo (not the EC)
    // blocks concurrent attempts (IF-paGetPayment-F74), so verify, activation and paGetPayment read
    if (!primitive.startsWith('paSendRT')) return;
    if (!corr.fiscalCode || !corr.noticeNumber) return;
    const state = this.shared.get(key(corr.fiscalCode, corr.noticeNumber));
    if (state === undefined) return;
    const d = this.plan.scenarios.get(scenarioId);
    if (!d) return;
    throw new HarnessFault(
      `scenario ${scenarioId}: the harness was about to send ${primitive} for notice ${corr.noticeNumber} (${state}), which is shared and only read; ` +
        `a scenario that may change a notice declares it in writes and takes it with t.ownNotice`,
    );
  }

  private declaration(t: NoticeAsker): NoticeDeclaration & { firstWrite: Counts } {
    const d = this.plan.scenarios.get(t.scenarioId);
    if (!d) return t.harnessError(`scenario ${t.scenarioId} is not in the notice plan (its feature is not declared, or it is not part of the seat's catalogue)`);
    return d;
  }

  private once(k: string, make: () => Promise<Notice>): Promise<Notice> {
    let p = this.cache.get(k);
    if (!p) {
      p = make();
      this.cache.set(k, p);
      // a failed attempt (e.g. provisioning down) is retried by the next scenario that asks
      p.catch(() => this.cache.delete(k));
    }
    return p;
  }

  private async listed(t: NoticeAsker, state: NoticeState, index: number, role: 'read' | 'write'): Promise<Notice | undefined> {
    const list = this.profile.notices?.[state] ?? [];
    const ref = list[index];
    if (ref !== undefined) {
      const r: NoticeRef = typeof ref === 'string' ? { noticeNumber: ref } : ref;
      return { fiscalCode: r.fiscalCode ?? this.profile.ec.idPA, noticeNumber: r.noticeNumber, amountCents: parseAmount(r.amount), state };
    }
    // unknown notices are generated when not listed; with provisioning, the other states are created
    if (state === 'unknown' || this.provisioning) return undefined;
    const shared = this.plan.shared[state] ?? 0;
    const need = shared + (this.plan.consumed[state] ?? 0);
    return t.inconclusive([
      `the profile lists ${list.length} notice(s) in state "${state}"; this run needs ${need} (${shared} read, ${need - shared} consumed) and this scenario's ${role === 'read' ? 'read' : 'own'} notice is #${index + 1} ` +
        `(add notices.${state}, or a provisioning endpoint; see \`collaudo catalogue --seat ec\`)`,
      `il profilo elenca ${list.length} avviso/i nello stato "${state}"; questa esecuzione ne richiede ${need} (${shared} in sola lettura, ${need - shared} consumati) e l’avviso ${role === 'read' ? 'in lettura' : 'proprio'} richiesto qui è il n. ${index + 1} ` +
        `(aggiungere notices.${state}, o un endpoint di provisioning; vedi \`collaudo catalogue --seat ec\`)`,
    ]);
  }

  private generated(t: NoticeAsker, state: NoticeState, k: number, scope: string): Promise<Notice> {
    if (state === 'unknown') return Promise.resolve({ fiscalCode: this.profile.ec.idPA, noticeNumber: unknownNotice(this.profile, scope, k), state });
    const amount = 1000 + ((k * 731 + scope.length * 97) % 9000);
    return this.provision(t, state, amount);
  }

  private async provision(t: NoticeAsker, state: NoticeState, amountCents: number): Promise<Notice> {
    const p = this.provisioning;
    if (!p) return t.inconclusive([`no provisioning endpoint to create a "${state}" notice`, `nessun endpoint di provisioning per creare un avviso "${state}"`]);
    const res = await fetch(p.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...p.headers },
      body: JSON.stringify({ state, amountCents }),
    }).catch((e: Error) => t.inconclusive(unreachable(p.url, e)));
    if (res.status !== 201) {
      const body = (await res.text()).slice(0, 200);
      t.inconclusive([`provisioning endpoint answered HTTP ${res.status} for a ${state} position: ${body}`, `l’endpoint di provisioning ha risposto HTTP ${res.status} per una posizione "${state}": "${body}"`]);
    }
    const j = (await res.json()) as { fiscalCode: string; noticeNumber: string; amountCents: number };
    return { fiscalCode: j.fiscalCode, noticeNumber: j.noticeNumber, amountCents: j.amountCents, state };
  }
}

/** The provisioning endpoint could not be reached (the error is technical and stays as it came). */
function unreachable(url: string, e: Error): Bi {
  return [`provisioning endpoint ${url} unreachable: ${e.message}`, `endpoint di provisioning ${url} irraggiungibile: "${e.message}"`];
}

/** A notice number of the EC's numbering that it never issued (9-prefixed IUV base, per scope). */
export function unknownNotice(p: Profile, scope: string, k: number): string {
  const h = createHash('sha256').update(`${scope}/${k}`).digest();
  const base = ('99' + h.readBigUInt64BE(0).toString().padStart(11, '0')).slice(0, 13);
  if (p.ec.auxDigit === 3) return noticeAux3(p.ec.segregationCode ?? '00', base);
  if (p.ec.auxDigit === 0) {
    const pre = `0${p.ec.applicationCode ?? '00'}${base}`;
    return pre + checkDigit(pre);
  }
  return `${p.ec.auxDigit}${('9' + h.readBigUInt64BE(8).toString()).padEnd(17, '0').slice(0, 17)}`;
}
