// The PSP seat: the candidate is a PSP system; the harness plays the reference Nodo (listening where
// the profile says, `harness.listen`, so the candidate can be configured to call it) and an emulated
// EC (a ReferenceEc in-process, whose positions each scenario creates with their own notice numbers).
// Scenarios ask the candidate to act through a trigger (src/triggers) and judge what it sends.
// One environment per vitest file: one Nodo (fixed port → the CLI runs the files one after the
// other), one EC; scenarios run one at a time and own their correlation keys (notice numbers,
// tokens, idempotency keys), so the journal entries and faults of the shared Nodo reach the right
// scenario. Virtual clock with the embedded reference PSP, real clock against an external one.
import { randomUUID } from 'node:crypto';
import { Clock, RealClock, VirtualClock } from '../clock.js';
import { Faults } from '../faults.js';
import { Journal, JournalEntry, type Correlation } from '../journal.js';
import { BaseContext, ScenarioDef } from '../scenario.js';
import type { SeatEnv } from '../runner.js';
import { EMBEDDED_PSP, LoadedProfile, Profile, featureOn, loadProfile, readProfileFile } from '../profile/index.js';
import { HARNESS_PSP, Registry } from '../registry.js';
import { makeIban, noticeAux3, type PositionState } from '../domain.js';
import type { El, NodeObj } from '../protocol/xml.js';
import { evidencePath } from '../../reports/evidence.js';
import { ReferenceNodo, type NodoService } from '../../mocks/nodo/index.js';
import { EmulatedPsp, type PspIds } from '../../mocks/psp/client.js';
import { ReferenceEc } from '../../mocks/ec/index.js';
import { ReferencePsp } from '../../mocks/psp/reference-psp.js';
import type { PspDefect } from '../../mocks/psp/defects.js';
import {
  CommandTrigger, HttpTrigger, PromptTrigger, ReportInbox, TRIGGER_CONTRACT, TriggerError,
  type TriggerReport, type TriggerRequest, type TriggerTransport,
} from '../triggers/index.js';
import { PACKAGE_ROOT } from './ec.js';
import path from 'node:path';

export const REFERENCE_PSP_PROFILE = path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-psp.yaml');

/** The emulated Checkout / App IO touchpoint activates with the candidate's idPSP on its own channel. */
export const CHECKOUT = { idBrokerPSP: '15376371009', idChannel: '15376371009_05', password: 'checkout_01', description: 'collaudo emulated Checkout' } as const;
/** A secondary beneficiary EC served by the emulated EC's station (multi-beneficiary notices). */
export const SECONDARY_EC = { fiscalCode: '88888888888', companyName: 'Provincia di Collaudo', ibans: [makeIban('IT', 'X0306909606100000099999')] };
/** The spontaneous service the emulated EC offers (car tax, reference EC catalogue). */
export const CAR_TAX_SERVICE = { idServizio: '00001', idSoggettoServizio: '00001', description: 'Tassa automobilistica', categoria: 'Tributi', xsdRiferimento: 'TassaAutomobilistica_1_1_0.xsd' };
export const DEFAULT_PSP_TIMEOUTS = { pspNotifyPayment: 7000 };

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

/** Journal whose inbound entries from an unnamed client are the candidate PSP's. */
export class PspJournal extends Journal {
  readonly watchers = new Set<(e: JournalEntry) => void>();
  override record(e: Parameters<Journal['record']>[0]): JournalEntry {
    const from = e.from === 'client' ? 'psp' : e.from;
    const to = e.to === 'client' ? 'psp' : e.to;
    const full = super.record({ ...e, from, to });
    for (const w of this.watchers) w(full);
    return full;
  }
}

type Intercept = (op: string, body: El, proceed: () => Promise<NodeObj>) => Promise<NodeObj>;

interface Slot {
  id: string;
  journal: PspJournal;
  faults: Faults;
  intercept?: Intercept;
  closed: boolean;
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
  quietMs: number;
  timeouts: typeof DEFAULT_PSP_TIMEOUTS;
  register(slot: Slot, key: string): void;
  embedded: boolean;
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
    return { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, amountCents: printed, amount: cents(printed) };
  }

  /** A notice number nobody issued (EC numbering, 99-prefixed IUV), owned by this scenario. */
  freshNotice(fiscalCode = this.ecFiscalCode): Position {
    const base = `99${String(Date.now() % 1e8).padStart(8, '0')}${String(this.seq++ % 1000).padStart(3, '0')}`;
    const n = noticeAux3(this.profile.ec.segregationCode ?? '01', base);
    this.own(n);
    return { fiscalCode, noticeNumber: n, amountCents: 1500, amount: '15.00' };
  }

  /** Asks the candidate to act. A transport failure ends the scenario INCONCLUSIVE. */
  async trigger(r: Omit<TriggerRequest, 'contract' | 'requestId' | 'scenarioId' | 'deadline' | 'deadlineMs' | 'reportUrl'>): Promise<TriggerHandle> {
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
      return this.inconclusive(
        `the candidate never acted: no ${primitives.join('/')} for ${what} within ${h.request.deadlineMs} ms after the ${this.rt.transport.kind} trigger (${h.request.action}) to ${this.rt.transport.target}`,
      );
    }
  }

  /**
   * Waits until the candidate's flow is over: its report (when it sends one) or `quietMs` of silence,
   * bounded by the trigger's deadline. Returns the report, if any.
   */
  async settle(h: TriggerHandle): Promise<TriggerReport | undefined> {
    const left = Math.max(0, h.deadlineAt - Date.now());
    const watchers = this.slot.journal.watchers;
    let stop = () => undefined as void;
    const quiet = new Promise<undefined>((resolve) => {
      let timer = setTimeout(() => stop(), this.rt.quietMs);
      const hard = setTimeout(() => stop(), left);
      const l = () => {
        clearTimeout(timer);
        timer = setTimeout(() => stop(), this.rt.quietMs);
      };
      watchers.add(l);
      stop = () => {
        clearTimeout(timer);
        clearTimeout(hard);
        watchers.delete(l);
        resolve(undefined);
      };
    });
    const report = await Promise.race([this.rt.inbox.wait(h.request.requestId, left), quiet]);
    stop();
    // the Nodo's own follow-up (receipts) on the virtual clock
    await new Promise<void>((r) => setImmediate(r));
    return report ?? this.rt.inbox.get(h.request.requestId);
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

function cents(c: number): string {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

export function pspSettingsFromEnv(): { profile: string; mutant?: string } {
  return { profile: process.env.COLLAUDO_PROFILE || REFERENCE_PSP_PROFILE, mutant: process.env.COLLAUDO_MUTANT || undefined };
}

/** `mutant` (COLLAUDO_MUTANTS run) overrides the single COLLAUDO_MUTANT of the environment. */
export async function pspEnv(_order: ScenarioDef<PspContext>[], mutant?: string): Promise<SeatEnv<PspContext>> {
  const settings = pspSettingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded: LoadedProfile = loadProfile(settings.profile);
  const p: Profile = loaded.profile;
  if (p.seat !== 'psp' || !p.psp || !p.harness?.listen || !p.trigger) throw new Error(`profile ${loaded.file} is not a PSP-seat profile (seat: ${p.seat})`);
  const embedded = p.endpoint.url === EMBEDDED_PSP;
  const clock: Clock = embedded ? new VirtualClock() : new RealClock();
  const candidate: PspIds = { idPSP: p.psp.idPSP, idBrokerPSP: p.psp.idBrokerPSP, idChannel: p.psp.idChannel, password: p.psp.password };

  // ---- routing of the shared Nodo's traffic to the scenario that owns it
  const byKey = new Map<string, Slot>();
  let current: Slot | undefined;
  const slotOf = (c: Correlation): Slot | undefined => {
    for (const k of [c.noticeNumber, c.paymentToken, c.idempotencyKey]) {
      const s = k ? byKey.get(k) : undefined;
      if (s) return s.closed ? undefined : s;
    }
    return current && !current.closed ? current : undefined;
  };

  // ---- emulated EC
  const ecId = p.ec;
  const ec = new ReferenceEc({
    clock,
    idPA: ecId.idPA,
    idBrokerPA: ecId.idBrokerPA,
    idStation: ecId.idStation,
    companyName: ecId.companyName ?? 'Comune di Collaudo',
    segregationCode: ecId.segregationCode ?? '01',
    ibans: ecId.ibans?.length ? ecId.ibans : [makeIban('IT', 'X0306909606100000012345')],
    secondaryEcs: [SECONDARY_EC],
  });
  const { url: ecUrl } = await ec.start();

  const timeouts = { ...DEFAULT_PSP_TIMEOUTS, ...(p.timeouts?.pspNotifyPayment ? { pspNotifyPayment: p.timeouts.pspNotifyPayment } : {}) };
  const registry: Registry = {
    ecs: [
      { fiscalCode: ecId.idPA, companyName: ecId.companyName ?? 'Comune di Collaudo', enabled: true, ibans: ecId.ibans ?? [], stations: [{ idStation: ecId.idStation, auxDigit: 3, code: ecId.segregationCode ?? '01' }] },
      { fiscalCode: SECONDARY_EC.fiscalCode, companyName: SECONDARY_EC.companyName, enabled: true, ibans: SECONDARY_EC.ibans, stations: [{ idStation: ecId.idStation, auxDigit: 3, code: ecId.segregationCode ?? '01' }] },
    ],
    brokersPa: [{ idBrokerPA: ecId.idBrokerPA, enabled: true }],
    stations: [{ idStation: ecId.idStation, idBrokerPA: ecId.idBrokerPA, enabled: true, serviceActive: true, url: ecUrl, version: (ecId.stationVersion ?? 1) as 1 | 2 }],
    psps: [
      { idPSP: candidate.idPSP, enabled: true, companyName: p.psp.companyName ?? p.name.slice(0, 140), fiscalCode: p.psp.fiscalCode ?? candidate.idBrokerPSP },
      { idPSP: HARNESS_PSP.idPSP, enabled: true, companyName: HARNESS_PSP.companyName, fiscalCode: HARNESS_PSP.fiscalCode },
    ],
    brokersPsp: [
      { idBrokerPSP: candidate.idBrokerPSP, enabled: true },
      { idBrokerPSP: HARNESS_PSP.idBrokerPSP, enabled: true },
      ...(candidate.idBrokerPSP === CHECKOUT.idBrokerPSP ? [] : [{ idBrokerPSP: CHECKOUT.idBrokerPSP, enabled: true }]),
    ],
    channels: [
      { idChannel: candidate.idChannel, idBrokerPSP: candidate.idBrokerPSP, password: candidate.password, enabled: true, description: `${p.name}`.slice(0, 70), psps: [candidate.idPSP] },
      { idChannel: HARNESS_PSP.idChannel, idBrokerPSP: HARNESS_PSP.idBrokerPSP, password: HARNESS_PSP.password, enabled: true, description: HARNESS_PSP.channelDescription, psps: [HARNESS_PSP.idPSP] },
      { idChannel: CHECKOUT.idChannel, idBrokerPSP: CHECKOUT.idBrokerPSP, password: CHECKOUT.password, enabled: true, description: CHECKOUT.description, psps: [candidate.idPSP] },
    ],
  };
  const services: NodoService[] = [{ ...CAR_TAX_SERVICE, fiscalCode: ecId.idPA, idStation: ecId.idStation }];
  const listen = p.harness.listen;
  const nodo = new ReferenceNodo({
    clock,
    registry,
    host: listen.host ?? '127.0.0.1',
    port: listen.port,
    tls: listen.tls ? { cert: readProfileFile(loaded, listen.tls.cert)!, key: readProfileFile(loaded, listen.tls.key)!, ca: readProfileFile(loaded, listen.tls.ca), requestCert: listen.tls.requestCert } : undefined,
    journal: (c) => slotOf(c)?.journal,
    faults: (c) => slotOf(c)?.faults,
    intercept: (op, body, c, proceed) => {
      const s = slotOf(c);
      return s?.intercept ? s.intercept(op, body, proceed) : proceed();
    },
    services,
    journalInbound: true,
  });
  let nodoUrl: string;
  try {
    ({ url: nodoUrl } = await nodo.start());
  } catch (e) {
    await ec.stop();
    throw new Error(`the harness's Nodo cannot listen on ${listen.host ?? '127.0.0.1'}:${listen.port}: ${(e as Error).message}`);
  }
  const inbox = new ReportInbox();
  await inbox.start(listen.host ?? '127.0.0.1', listen.reportPort ?? 0);

  // ---- the candidate: embedded reference PSP or an external system
  let reference: ReferencePsp | undefined;
  let pspForNodeUrl = p.endpoint.url;
  let triggerUrl = p.trigger.http?.url;
  if (embedded) {
    reference = new ReferencePsp({ clock, nodoUrl, ids: candidate, defects: settings.mutant ? [settings.mutant as PspDefect] : [] });
    const r = await reference.start();
    pspForNodeUrl = r.pspForNodeUrl;
    if (triggerUrl === EMBEDDED_PSP) triggerUrl = r.triggerUrl;
  }
  const t = p.trigger;
  const transport: TriggerTransport = t.http
    ? new HttpTrigger(triggerUrl!, {
        headers: t.http.headers,
        tls: t.http.tls ? { ca: readProfileFile(loaded, t.http.tls.ca), cert: readProfileFile(loaded, t.http.tls.cert), key: readProfileFile(loaded, t.http.tls.key), rejectUnauthorized: t.http.tls.rejectUnauthorized } : undefined,
      })
    : t.command
      ? new CommandTrigger(t.command, path.dirname(path.resolve(loaded.file)))
      : new PromptTrigger();
  const et = p.endpoint.tls;
  const rt: PspRuntime = {
    clock,
    nodo,
    ec,
    inbox,
    transport,
    candidate,
    pspForNodeUrl,
    pspTls: et ? { ca: readProfileFile(loaded, et.ca), cert: readProfileFile(loaded, et.cert), key: readProfileFile(loaded, et.key), rejectUnauthorized: et.rejectUnauthorized } : undefined,
    pspHeaders: p.endpoint.headers,
    deadlineMs: t.deadlineMs ?? (embedded ? 15_000 : 60_000),
    quietMs: t.quietMs ?? (embedded ? 300 : 3000),
    timeouts,
    embedded,
    register: (slot, key) => {
      byKey.set(key, slot);
    },
  };
  return {
    redactHeaders: Object.keys(p.endpoint.headers ?? {}),
    offers: (f) => featureOn(p, f),
    async open(def) {
      const journal = new PspJournal(clock);
      const faults = new Faults();
      const slot: Slot = { id: def.id, journal, faults, closed: false };
      current = slot;
      // tokens and keys seen in this scenario's traffic become its correlation keys
      journal.watchers.add((e) => {
        for (const k of [e.correlation.paymentToken, e.correlation.idempotencyKey]) if (k && !byKey.has(k)) byKey.set(k, slot);
      });
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
          slot.closed = true;
          if (current === slot) current = undefined;
        },
      };
    },
    async close() {
      await reference?.stop();
      await transport.close();
      await inbox.close();
      await nodo.stop();
      await ec.stop();
    },
  };
}
