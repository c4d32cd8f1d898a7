// The PSP seat's scenario context: what a scenario of suites/psp sees (its positions and notices, the
// trigger towards the candidate, waits until the candidate acted or its flow settled, the Nodo's
// notifications) over the runtime one environment shares (./psp.ts builds both).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../src/core/clock.js';
import type { JournalEntry } from '../src/core/journal.js';
import { BaseContext, ScenarioStop } from '../src/core/scenario.js';
import { formatAmount, noticeAux3, type PositionState } from '../domain/common.js';
import type { NodeObj } from '../src/wire/xml.js';
import type { ReferenceNodo } from '../actors/nodo/index.js';
import type { EmulatedPsp } from '../actors/psp/client.js';
import type { PspIds } from '../domain/registry.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { TRIGGER_CONTRACT, TriggerError, type ReportInbox, type TriggerReport, type TriggerRequest, type TriggerTransport } from '../src/triggers/index.js';
import { KEYLESS_BY_ACTION, type Intercept, type PspRouter, type Slot } from './psp-routing.js';
import { nextDue, scheduleSpan, type PspTiming } from './psp-timing.js';
import type { DEFAULT_PSP_TIMEOUTS } from './psp-counterpart.js';
import { SECONDARY_EC } from '../domain/harness-parties.js';
import type { FdrSide } from './psp-fdr.js';
import { quoted } from '../src/core/text.js';

/** Run-wide counter of fresh notice numbers (scenarios run side by side). */
let freshSeq = 0;

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
  /** reconciliation: the environment's flow store, FdR 3 server and calendar (./psp-fdr.ts) */
  fdr: FdrSide;
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
      if (e instanceof TriggerError) {
        this.inconclusive([
          `the candidate could not be asked to act (${this.rt.transport.kind} trigger): ${e.message}`,
          `non è stato possibile chiedere al candidato di agire (trigger ${this.rt.transport.kind}): ${quoted(e.message)}`,
        ]);
      }
      throw e;
    }
    return { request, firedAt, deadlineAt: firedAt + deadlineMs };
  }

  /** Like `trigger`, but a refused request is returned instead of ending the scenario (robustness checks). */
  async tryTrigger(r: Parameters<PspContext['trigger']>[0]): Promise<TriggerHandle | { error: string; errorIt: string }> {
    try {
      return await this.trigger(r);
    } catch (e) {
      // trigger() turns a TriggerError into INCONCLUSIVE (said in both languages); here the caller judges it
      const message = (e as Error).message;
      return { error: message, errorIt: e instanceof ScenarioStop ? (e.reasonIt ?? quoted(message)) : quoted(message) };
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
   * INCONCLUSIVE ("the candidate never acted"), never FAIL. `whatIt`: `what` in Italian.
   */
  async acted(h: TriggerHandle, primitives: string[], what: string, whatIt?: string): Promise<JournalEntry> {
    const left = Math.max(0, h.deadlineAt - Date.now());
    try {
      return await this.journal.waitFor((e) => e.direction === 'request' && e.from === 'psp' && primitives.includes(e.primitive ?? ''), left, what);
    } catch {
      const stray = this.rt.router.unattributed.entries.filter((e) => e.direction === 'request' && e.from === 'psp' && e.at >= h.firedAt).length;
      return this.inconclusive([
        `the candidate never acted: no ${primitives.join('/')} for ${what} within ${h.request.deadlineMs} ms after the ${this.rt.transport.kind} trigger (${h.request.action}) to ${this.rt.transport.target}` +
          (stray ? `; meanwhile ${stray} request(s) reached the harness's Nodo that no scenario owns (see the run's unattributed traffic)` : ''),
        `il candidato non ha mai agito: nessuna ${primitives.join('/')} per ${whatIt ?? what} entro ${h.request.deadlineMs} ms dal trigger ${this.rt.transport.kind} (${quoted(h.request.action)}) verso ${this.rt.transport.target}` +
          (stray ? `; nel frattempo ${stray} richieste sono arrivate al Nodo dello strumento di collaudo senza appartenere ad alcuno scenario (vedi il traffico non attribuito dell’esecuzione)` : ''),
      ]);
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
