// The PSP seat: the candidate is a PSP system; the harness plays the reference Nodo (listening where
// the profile says, `harness.listen`, so the candidate can be configured to call it) and an emulated
// EC (a ReferenceEc in-process, whose positions each scenario creates with their own notice numbers).
// Scenarios ask the candidate to act through a trigger (src/triggers) and judge what it sends.
// One environment (one Nodo, one EC) serves the scenarios of a vitest file; the Nodo's traffic is
// charged to the scenario that owns its keys (./psp-routing.ts), so scenarios may run side by side.
// Virtual clock with the embedded reference PSP: one scenario at a time (virtual time is shared, an
// advance would disturb another scenario's measurement), one environment per file. Real clock
// against an external PSP: the CLI registers every scenario in one file (one Nodo on the profile's
// fixed port) and runs them concurrently, so a run lasts about its longest wait (src/runner.ts).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Clock, RealClock, VirtualClock } from '../src/core/clock.js';
import type { JournalEntry } from '../src/core/journal.js';
import { BaseContext, ScenarioDef } from '../src/core/scenario.js';
import type { RegisterOptions, SeatEnv } from '../src/core/runner.js';
import { EMBEDDED_PSP, LoadedProfile, clientTls, featureOn, loadProfile } from '../src/profile/index.js';
import { requiredTrigger } from '../src/triggers/from-profile.js';
import { formatAmount, noticeAux3, type PositionState } from '../domain/common.js';
import type { NodeObj } from '../src/wire/xml.js';
import { evidencePath } from '../reports/evidence.js';
import type { ReferenceNodo } from '../actors/nodo/index.js';
import { EmulatedPsp } from '../actors/psp/client.js';
import type { PspIds } from '../domain/registry.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import type { PspDefect } from '../candidates/psp/defects.js';
import { ReportInbox, TRIGGER_CONTRACT, TriggerError, type TriggerReport, type TriggerRequest, type TriggerTransport } from '../src/triggers/index.js';
import { PACKAGE_ROOT } from './ec.js';
import { KEYLESS_BY_ACTION, PspJournal, PspRouter, type Intercept, type Slot } from './psp-routing.js';
import { nextDue, pspTiming, scheduleSpan, type PspTiming } from './psp-timing.js';
import { CHECKOUT, DEFAULT_PSP_TIMEOUTS, SECONDARY_EC, candidateOf, startPspCounterpart } from './psp-counterpart.js';

export { CAR_TAX_SERVICE, CHECKOUT, DEFAULT_PSP_TIMEOUTS, SECONDARY_EC } from './psp-counterpart.js';
export const REFERENCE_PSP_PROFILE = path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-psp.yaml');

export interface Position {
  fiscalCode: string;
  noticeNumber: string;
  amountCents: number;
  /** the amount as printed on the notice (decimal string) */
  amount: string;
}

export interface TriggerHandle {
  request: TriggerRequest;
  firedAt: number;
  /** real-time instant by which the candidate must have acted */
  deadlineAt: number;
}

export { PspJournal };

/** Everything the scenarios of one env share. */
export interface PspRuntime {
  clock: Clock;
  nodo: ReferenceNodo;
  ec: ReferenceEc;
  inbox: ReportInbox;
  transport: TriggerTransport;
  candidate: PspIds;
  /** the candidate's pspForNode URL (pspNotifyPayment) */
  pspForNodeUrl: string;
  pspTls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
  pspHeaders?: Record<string, string>;
  deadlineMs: number;
  /** the spec's schedule a scenario listens by (profile timeouts, NM-TR-03/04/06) */
  timing: PspTiming;
  timeouts: typeof DEFAULT_PSP_TIMEOUTS;
  router: PspRouter;
  register(slot: Slot, key: string): void;
  embedded: boolean;
  /** the embedded reference PSP: resolves when every flow it started has ended */
  idle?(): Promise<void>;
}

export class PspContext extends BaseContext {
  private seq = 0;
  constructor(
    base: ConstructorParameters<typeof BaseContext>,
    readonly rt: PspRuntime,
    private readonly slot: Slot,
    /** the harness's own PSP (pre-activations, notices paid elsewhere) */
    readonly harnessPsp: EmulatedPsp,
    /** the emulated touchpoint: activates with the candidate's idPSP on the Checkout channel */
    readonly checkout: EmulatedPsp,
  ) {
    super(...base);
  }
  get nodo(): ReferenceNodo {
    return this.rt.nodo;
  }
  get candidate(): PspIds {
    return this.rt.candidate;
  }
  get ecFiscalCode(): string {
    return this.profile.ec.idPA;
  }

  /** Routes the Nodo traffic with this key to this scenario. */
  own(key: string): void {
    this.rt.register(this.slot, key);
  }

  /** Called for every entry of this scenario's journal as it is recorded (before the answer leaves). */
  onEntry(fn: (e: JournalEntry) => void): void {
    this.slot.journal.watchers.add(fn);
  }

  /** Scripted answers of the Nodo for this scenario's requests. */
  script(fn: Intercept | undefined): void {
    this.slot.intercept = fn;
  }

  /** A debt position at the emulated EC, owned by this scenario. */
  position(o: { state?: PositionState; amountCents?: number; transfers?: number; secondary?: boolean; printedCents?: number } = {}): Position {
    const p = this.rt.ec.provision({
      state: o.state ?? 'payable',
      amountCents: o.amountCents ?? 1000 + ((this.seq++ * 731 + this.scenarioId.length * 97) % 9000),
      transfers: o.transfers,
      secondaryFiscalCode: o.secondary ? SECONDARY_EC.fiscalCode : undefined,
    });
    this.own(p.noticeNumber);
    const printed = o.printedCents ?? p.amountCents;
    return { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, amountCents: printed, amount: formatAmount(printed) };
  }

  /** A notice number nobody issued (EC numbering, 99-prefixed IUV), owned by this scenario. */
  freshNotice(fiscalCode = this.ecFiscalCode): Position {
    // unique across the scenarios running side by side: a run-wide counter, not the scenario's own
    const base = `99${String(Date.now() % 1e8).padStart(8, '0')}${String(freshSeq++ % 1000).padStart(3, '0')}`;
    const n = noticeAux3(this.profile.ec.segregationCode ?? '01', base);
    this.own(n);
    return { fiscalCode, noticeNumber: n, amountCents: 1500, amount: '15.00' };
  }

  /** Asks the candidate to act. A transport failure ends the scenario INCONCLUSIVE. */
  async trigger(r: Omit<TriggerRequest, 'contract' | 'requestId' | 'scenarioId' | 'deadline' | 'deadlineMs' | 'reportUrl'>): Promise<TriggerHandle> {
    // flows whose requests carry no key (catalogue, demand) claim them by the service data they name
    const keyless = KEYLESS_BY_ACTION[r.action];
    if (keyless) await this.rt.router.claim(this.slot, keyless, r.spontaneous?.datiSpecificiServizio);
    const deadlineMs = this.rt.deadlineMs;
    const request: TriggerRequest = {
      contract: TRIGGER_CONTRACT,
      requestId: randomUUID(),
      scenarioId: this.scenarioId,
      seat: 'psp',
      ...r,
      deadline: new Date(Date.now() + deadlineMs).toISOString(),
      deadlineMs,
      reportUrl: this.rt.inbox.url || undefined,
    };
    const firedAt = Date.now();
    try {
      await this.rt.transport.fire(request);
    } catch (e) {
      if (e instanceof TriggerError) this.inconclusive(`the candidate could not be asked to act (${this.rt.transport.kind} trigger): ${e.message}`);
      throw e;
    }
    return { request, firedAt, deadlineAt: firedAt + deadlineMs };
  }

  /** Like `trigger`, but a refused request is returned instead of ending the scenario (robustness checks). */
  async tryTrigger(r: Parameters<PspContext['trigger']>[0]): Promise<TriggerHandle | { error: string }> {
    try {
      return await this.trigger(r);
    } catch (e) {
      // trigger() turns a TriggerError into INCONCLUSIVE; here the caller judges it
      return { error: (e as Error).message };
    }
  }

  /** The candidate's requests to the Nodo (in order), optionally of one primitive. */
  requests(primitive?: string | string[]): JournalEntry[] {
    const ps = primitive === undefined ? undefined : Array.isArray(primitive) ? primitive : [primitive];
    return this.journal.entries.filter((e) => e.direction === 'request' && e.from === 'psp' && e.to === 'nodo' && (!ps || ps.includes(e.primitive ?? '')));
  }

  /** The answer recorded for a request entry (same exchange). */
  answerOf(req: JournalEntry | undefined): JournalEntry | undefined {
    if (!req) return undefined;
    return this.journal.entries.find((e) => e.direction === 'response' && e.exchange === req.exchange && e.seq > req.seq);
  }

  /**
   * Waits for the candidate's first request matching `pred` until the trigger's deadline; none →
   * INCONCLUSIVE ("the candidate never acted"), never FAIL.
   */
  async acted(h: TriggerHandle, primitives: string[], what: string): Promise<JournalEntry> {
    const left = Math.max(0, h.deadlineAt - Date.now());
    try {
      return await this.journal.waitFor((e) => e.direction === 'request' && e.from === 'psp' && primitives.includes(e.primitive ?? ''), left, what);
    } catch {
      const stray = this.rt.router.unattributed.entries.filter((e) => e.direction === 'request' && e.from === 'psp' && e.at >= h.firedAt).length;
      return this.inconclusive(
        `the candidate never acted: no ${primitives.join('/')} for ${what} within ${h.request.deadlineMs} ms after the ${this.rt.transport.kind} trigger (${h.request.action}) to ${this.rt.transport.target}` +
          (stray ? `; meanwhile ${stray} request(s) reached the harness's Nodo that no scenario owns (see the run's unattributed traffic)` : ''),
      );
    }
  }

  /**
   * Waits until the candidate's flow is over: nothing more is due from the PSP by the spec's
   * schedule (./psp-timing.ts: open exchanges answered, retries of unanswered requests come or
   * their time passes, the next step within 2 s unless the PSP reported the flow over; a PSP that
   * has sent reports before gets until the trigger's deadline for this flow's report). Bounded by
   * the trigger's deadline plus one full retry schedule. Returns the PSP's report, if any. Without
   * a handle: the flow the scenario started itself (e.g. a notification) settles the same way.
   */
  async settle(h?: TriggerHandle): Promise<TriggerReport | undefined> {
    const id = h?.request.requestId;
    if (this.rt.idle) {
      // the embedded reference PSP: its flows are awaited directly (virtual time)
      await this.rt.idle();
      await new Promise<void>((r) => setImmediate(r));
      return id ? this.rt.inbox.get(id) : undefined;
    }
    const clock = this.clock;
    const cap = (h ? h.deadlineAt : clock.now()) + scheduleSpan(this.rt.timing);
    for (;;) {
      const report = id ? this.rt.inbox.get(id) : undefined;
      let due = nextDue(this.journal.entries, this.rt.timing, !!report);
      // a PSP that reports its flows (it has reported before) is done when its report says so,
      // by the trigger's deadline at the latest, however long its silence between steps
      if (h && !report && due !== undefined && this.rt.inbox.size > 0) due = Math.max(due, h.deadlineAt);
      const now = clock.now();
      if ((due !== undefined && due <= now) || now >= cap) return report;
      const wait = Math.min(due ?? cap, cap) - now;
      // once the report is in, only the journal (a retry) or the due instant can change anything
      await this.nextEvent(wait, report ? undefined : id);
    }
  }

  /** Resolves on this scenario's next journal entry, the report for `requestId`, or after `ms`. */
  private nextEvent(ms: number, requestId?: string): Promise<void> {
    const watchers = this.slot.journal.watchers;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        watchers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      watchers.add(done);
      if (requestId) void this.rt.inbox.wait(requestId, ms).then((r) => r && done());
    });
  }

  /** The Nodo sends pspNotifyPayment(V2) to the candidate (Checkout / App IO). */
  notify(tokens: string[], version: 1 | 2, o: { to?: Partial<{ idPSP: string; idBrokerPSP: string; idChannel: string }>; content?: (c: NodeObj) => NodeObj; rawEnvelope?: string; note?: string } = {}) {
    for (const t of tokens) this.own(t);
    const to = { idPSP: this.candidate.idPSP, idBrokerPSP: this.candidate.idBrokerPSP, idChannel: this.candidate.idChannel, ...(o.to ?? {}) };
    let content = this.nodo.buildNotify(tokens, version, to);
    if (o.content) content = o.content(content);
    return this.nodo.notifyPsp(tokens, {
      version,
      url: this.rt.pspForNodeUrl,
      timeoutMs: this.rt.timeouts.pspNotifyPayment,
      content,
      rawEnvelope: o.rawEnvelope,
      headers: this.rt.pspHeaders,
      tls: this.rt.pspTls,
      note: o.note,
    });
  }
}

/**
 * Keeps the traffic no scenario owns for the certificate: the CLI names a folder
 * (COLLAUDO_UNATTRIBUTED_DIR) where every environment leaves its unattributed journal.
 */
function saveUnattributed(j: PspJournal): void {
  const dir = process.env.COLLAUDO_UNATTRIBUTED_DIR;
  if (!dir || j.entries.length === 0) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `psp-${process.pid}-${randomUUID()}.json`), JSON.stringify(j.entries));
}

/** Run-wide counter of fresh notice numbers (scenarios run side by side). */
let freshSeq = 0;


export function pspSettingsFromEnv(): { profile: string; mutant?: string } {
  return { profile: process.env.COLLAUDO_PROFILE || REFERENCE_PSP_PROFILE, mutant: process.env.COLLAUDO_MUTANT || undefined };
}

/** The longest a payment flow may last: a token lives at most 30 min (NM-TR-01). */
const TOKEN_LIFETIME_MS = 1_800_000;

/**
 * How the scenarios of a run are registered: side by side against an external PSP on the real
 * clock (a person at a prompt acts once at a time), one by one on the virtual clock.
 */
export function pspRunOptions(): RegisterOptions {
  const p = loadProfile(pspSettingsFromEnv().profile).profile;
  const embedded = p.endpoint.url === EMBEDDED_PSP;
  return embedded ? {} : { concurrent: !p.trigger?.prompt, timeoutMs: TOKEN_LIFETIME_MS };
}

/** `mutant` (COLLAUDO_MUTANTS run) overrides the single COLLAUDO_MUTANT of the environment. */
export async function pspEnv(_order: ScenarioDef<PspContext>[], mutant?: string): Promise<SeatEnv<PspContext>> {
  const settings = pspSettingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded: LoadedProfile = loadProfile(settings.profile);
  const p = loaded.profile;
  const candidate = candidateOf(loaded);
  const embedded = p.endpoint.url === EMBEDDED_PSP;
  const clock: Clock = embedded ? new VirtualClock() : new RealClock();

  // ---- routing of the shared Nodo's traffic to the scenario that owns it (./psp-routing.ts)
  const router = new PspRouter(clock, !pspRunOptions().concurrent);

  const cp = await startPspCounterpart(loaded, clock, {
    journal: (c) => router.journal(c),
    faults: (c) => router.faults(c),
    intercept: (op, c, body) => router.intercept(op, c, body),
  });
  const { ec, nodo, nodoUrl, inbox, timeouts } = cp;

  // ---- the candidate: embedded reference PSP or an external system
  let reference: ReferencePsp | undefined;
  let pspForNodeUrl = p.endpoint.url;
  let triggerUrl = p.trigger!.http?.url;
  if (embedded) {
    reference = new ReferencePsp({ clock, nodoUrl, ids: candidate, defects: settings.mutant ? [settings.mutant as PspDefect] : [] });
    const r = await reference.start();
    pspForNodeUrl = r.pspForNodeUrl;
    if (triggerUrl === EMBEDDED_PSP) triggerUrl = r.triggerUrl;
  }
  const transport = requiredTrigger(loaded, triggerUrl);
  const rt: PspRuntime = {
    clock,
    nodo,
    ec,
    inbox,
    transport,
    candidate,
    pspForNodeUrl,
    pspTls: clientTls(loaded, loaded.profile.endpoint.tls),
    pspHeaders: p.endpoint.headers,
    deadlineMs: p.trigger!.deadlineMs ?? (embedded ? 15_000 : 60_000),
    timing: pspTiming(p),
    timeouts,
    router,
    embedded,
    register: (slot, key) => router.own(slot, key),
    idle: reference ? () => reference!.idle() : undefined,
  };
  return {
    redactHeaders: Object.keys(p.endpoint.headers ?? {}),
    offers: (f) => featureOn(p, f),
    async open(def) {
      const slot = router.slot(def.id);
      const { journal, faults } = slot;
      const harnessPsp = new EmulatedPsp({ nodoUrl, clock, headers: { 'x-collaudo-from': 'harness-psp' } });
      const checkout = new EmulatedPsp({
        nodoUrl,
        clock,
        headers: { 'x-collaudo-from': 'checkout' },
        ids: { idPSP: candidate.idPSP, idBrokerPSP: CHECKOUT.idBrokerPSP, idChannel: CHECKOUT.idChannel, password: CHECKOUT.password },
      });
      const ctx = new PspContext([def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e)], rt, slot, harnessPsp, checkout);
      return {
        ctx,
        close: async () => {
          await reference?.idle();
          router.close(slot);
        },
      };
    },
    async close() {
      saveUnattributed(router.unattributed);
      await reference?.stop();
      await transport.close();
      await cp.stop();
    },
  };
}
