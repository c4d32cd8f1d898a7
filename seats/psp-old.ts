// The PSP seat, old model (SANP 2.2.6): the candidate is a PSP's old-model channel (PspPerNodo, its
// payment page, its calls to NodoPerPsp); the harness plays the reference Nodo (one per environment,
// listening on harness.listen so an external PSP can be configured to call it), the emulated EC (the
// reference EC's old-model station, connected to that Nodo) and the payer's browser for EC-started
// carts. As in the EC seat's old model (./ec-old.ts) the Nodo's records outlive a scenario: each
// scenario binds its journal and faults to it, scenarios of one environment run one at a time, and an
// exchange about a payment an earlier scenario started goes to the unattributed journal.
// Virtual clock with the embedded reference PSP; real clock against an external one.
import { randomUUID } from 'node:crypto';
import { type Clock, RealClock, VirtualClock } from '../src/core/clock.js';
import { Faults } from '../src/core/faults.js';
import type { Journal } from '../src/core/journal.js';
import { Journal as PlainJournal } from '../src/core/journal.js';
import { Ledger, ScenarioLedger } from '../src/core/ledger.js';
import { BaseContext, type ScenarioDef, ScenarioStop, judgesAny } from '../src/core/scenario.js';
import type { SeatEnv } from '../src/core/runner.js';
import { EMBEDDED_PSP, type LoadedProfile, type OldFeature, type Profile, loadProfile, modelsOf, offersFeature } from '../src/profile/index.js';
import { requiredTrigger } from '../src/triggers/from-profile.js';
import { type OldPspTriggerAction, ReportInbox, TRIGGER_CONTRACT, TriggerError, type TriggerReport, type TriggerRequest, type TriggerTransport } from '../src/triggers/index.js';
import type { PositionState } from '../domain/common.js';
import type { ChannelEntry, Registry } from '../domain/registry.js';
import { EMULATED_EC_IBAN, SECONDARY_EC } from '../domain/harness-parties.js';
import { evidencePath } from '../reports/evidence.js';
import { OldNodo } from '../actors/nodo/old/index.js';
import { Payer, findBrowser } from '../actors/payer/index.js';
import { ReferenceEc, defaultServices } from '../candidates/ec/index.js';
import type { OldEcDefect } from '../candidates/ec/old/defects.js';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import { OLD_PSP_DEFECTS, type OldPspDefect, isOldPspDefect } from '../candidates/psp/old/index.js';
import { OldEcJournal } from './ec-old.js';
import { pspSettingsFromEnv } from './psp.js';
import { pspSeatRegistry } from './registries.js';
import { saveLedger } from './ledger-files.js';
import { saveUnattributed } from './unattributed-files.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { type FdrSide, startFdrSide } from './psp-fdr.js';

/**
 * Mutant runs: a defect of the reference PSP's old model meets the old model's scenarios that judge a
 * requirement it violates (only their checks can catch it on target; the baseline runs them all).
 */
export const meetsOldPspModel = (defect: string, def: ScenarioDef<never>): boolean =>
  isOldPspDefect(defect) && judgesAny(def, OLD_PSP_DEFECTS.find((d) => d.id === defect)?.catches ?? []);

/** The emulated EC station's password at the Nodo (NodoPerPa): the harness's own party. */
export const EMULATED_EC_OLD_PASSWORD = 'collaudoEC01';

/** The spontaneous services the emulated EC offers (paaChiediNumeroAvviso) and the Nodo's catalogue lists. */
export const EMULATED_EC_SERVICES = defaultServices();

/** The candidate's old-model channel as the Nodo knows it. */
export interface OldPspChannel {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  password: string;
  /** where the Nodo calls the PSP (PspPerNodo) */
  pspPerNodo: string;
  /** the payment page WISP sends the payer to (+ '?' + parametriPagamentoImmediato) */
  paymentPage?: string;
  rtMode: 'push' | 'pull';
  /** the PSP accepts storno requests (profile old.features.storno) */
  storno: boolean;
  /** its channel of payment model 2, authorisation managed by the PSP (profile old.psp.authChannel) */
  authChannel?: string;
  /** a payer's account the PSP holds a manleva for (profile old.psp.authChannel.manlevaIban) */
  manlevaIban?: string;
}

/** A notice of the emulated EC: aux digit 3 + IUV, its amount and state when created. */
export interface OldNotice {
  fiscalCode: string;
  noticeNumber: string;
  iuv: string;
  amountCents: number;
}

/** A trigger sent to the candidate: its request and where the scenario's journal stood when it was fired. */
export interface OldPspAsk {
  request: TriggerRequest;
  mark: number;
}

interface Runtime {
  clock: Clock;
  transport: TriggerTransport;
  inbox: ReportInbox;
  deadlineMs: number;
  reference?: ReferencePsp;
  /** the Nodo's configuration, changed by a scenario for one step (rtMode) */
  registry: Registry;
  /** reconciliation: the flow store the Nodo and the FdR 3 server share, the run's calendar (./psp-fdr.ts) */
  fdr: FdrSide;
}

export class OldPspContext extends BaseContext {
  constructor(
    base: ConstructorParameters<typeof BaseContext>,
    readonly nodo: OldNodo,
    /** the emulated EC (the reference EC's old-model station) */
    readonly ec: ReferenceEc,
    readonly channel: OldPspChannel,
    private readonly payer: { browser: Payer } | { reason: string },
    private readonly rt: Runtime,
  ) {
    super(...base);
  }

  /** The embedded reference PSP (demo, mutants): what it started is over at `settle()`. */
  get reference(): ReferencePsp | undefined {
    return this.rt.reference;
  }
  get clockOf(): Clock {
    return this.rt.clock;
  }
  /** Reconciliation: the environment's flow store, FdR 3 server and calendar. */
  get fdr(): FdrSide {
    return this.rt.fdr;
  }
  /** How long the candidate is given to act on a trigger (profile trigger.deadlineMs). */
  get deadlineMs(): number {
    return this.rt.deadlineMs;
  }

  /** The candidate declares this old-model feature (profile old.features). */
  offers(f: OldFeature): boolean {
    return offersFeature(this.profile, f, 'old');
  }

  /** The payer's browser; without one the scenario is NOT_APPLICABLE with the reason. */
  browser(): Payer {
    if ('reason' in this.payer) return this.notApplicable([this.payer.reason, `nessun browser utilizzabile per il pagatore: "${this.payer.reason}"`]);
    return this.payer.browser;
  }

  /** A new position at the emulated EC in `state` (its notice is this scenario's own). */
  position(o: { state?: PositionState; amountCents?: number } = {}): OldNotice {
    const p = this.ec.provision({ state: o.state ?? 'payable', amountCents: o.amountCents ?? 12050 });
    return { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber, iuv: p.noticeNumber.slice(1), amountCents: p.amountCents };
  }

  /** A notice number of the emulated EC's form that no position has (PAA_PAGAMENTO_SCONOSCIUTO). */
  unknownNotice(): OldNotice {
    const seg = this.profile.ec.segregationCode ?? '01';
    const tail = `9${String(Date.now() % 1e9).padStart(9, '0')}${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`.slice(0, 15);
    return { fiscalCode: this.profile.ec.idPA, noticeNumber: `3${seg}${tail}`, iuv: `${seg}${tail}`, amountCents: 5000 };
  }

  /**
   * Asks the candidate to act (old-psp-* action, contract collaudo-trigger/1). A refused request ends
   * the scenario INCONCLUSIVE: the candidate was never asked.
   */
  async ask(action: OldPspTriggerAction, n: Pick<OldNotice, 'fiscalCode'> & { noticeNumber?: string }, extra: Partial<TriggerRequest> = {}): Promise<OldPspAsk> {
    // old-psp-spontaneous asks for a notice the candidate does not have yet: no noticeNumber
    const request = {
      contract: TRIGGER_CONTRACT,
      requestId: randomUUID(),
      scenarioId: this.scenarioId,
      seat: 'psp',
      action,
      fiscalCode: n.fiscalCode,
      ...(n.noticeNumber ? { noticeNumber: n.noticeNumber } : {}),
      deadline: new Date(Date.now() + this.rt.deadlineMs).toISOString(),
      deadlineMs: this.rt.deadlineMs,
      reportUrl: this.rt.inbox.url || undefined,
      ...extra,
    } as TriggerRequest;
    const mark = this.journal.entries.at(-1)?.seq ?? 0;
    try {
      await this.rt.transport.fire(request);
    } catch (e) {
      if (e instanceof TriggerError) {
        return this.inconclusive([
          `the candidate could not be asked to act (${this.rt.transport.kind} trigger ${action}): ${e.message}`,
          `non è stato possibile chiedere al candidato di agire (trigger ${this.rt.transport.kind} ${action}): "${e.message}"`,
        ]);
      }
      throw e;
    }
    return { request, mark };
  }

  /** The candidate's report of a trigger, waited for at most the trigger's deadline (undefined: none came). */
  async report(a: OldPspAsk): Promise<TriggerReport | undefined> {
    if (this.rt.reference) await this.settle();
    return this.rt.inbox.get(a.request.requestId) ?? (await this.rt.inbox.wait(a.request.requestId, this.rt.reference ? 2000 : a.request.deadlineMs));
  }

  /**
   * Waits until what the scenario started is over: the embedded PSP idle (RT pushes with all their
   * retries), the emulated EC idle (its RPTs, ERs). False for an external PSP (its deadlines apply).
   */
  async settle(): Promise<boolean> {
    await this.ec.old.idle();
    if (!this.rt.reference) return false;
    await this.rt.reference.idle();
    await this.ec.old.idle();
    return true;
  }

  /**
   * Waits until the candidate is done with `ask`: the embedded PSP idle; an external one has reported
   * it (reportUrl) or the trigger's deadline passed — what it does afterwards (a second activation, an
   * RT it should not send) is then in the journal. The report, when one came.
   */
  async done(ask: OldPspAsk): Promise<TriggerReport | undefined> {
    const id = ask.request.requestId;
    if (await this.settle()) return this.rt.inbox.get(id);
    return this.rt.inbox.get(id) ?? (await this.rt.inbox.wait(id, Math.max(0, Date.parse(ask.request.deadline) - Date.now())));
  }

  /**
   * Waits on the wire, until the trigger's deadline, for a journal entry after `since` (the embedded
   * reference PSP: until it is idle); undefined when none came.
   */
  async waitEntry(match: (e: Journal['entries'][number]) => boolean, since: number, what: string): Promise<Journal['entries'][number] | undefined> {
    const found = () => this.journal.entries.find((e) => e.seq > since && match(e));
    if (await this.settle()) return found();
    return found() ?? this.journal.waitFor((e) => e.seq > since && match(e), this.rt.deadlineMs, what).catch(() => undefined);
  }

  /**
   * Runs `step` with the emulated EC misbehaving on purpose (one of the reference EC's old-model
   * switches, e.g. old-rpt-never-sent: no RPT after an activation, OLD-PSP-ERR-08); restored after.
   */
  async withEcBehaviour<T>(behaviour: OldEcDefect, step: () => Promise<T>): Promise<T> {
    // the harness's own EC: its switch set is the one it reads on every request
    const set = this.ec.old.station.defects as Set<OldEcDefect>;
    const had = set.has(behaviour);
    set.add(behaviour);
    try {
      return await step();
    } finally {
      if (!had) set.delete(behaviour);
    }
  }

  /** Runs `step` with the emulated EC refusing charge-back revoche on the merits (a negative ER, OLD-REV-CB-02). */
  async withChargeBackRefused<T>(step: () => Promise<T>): Promise<T> {
    this.ec.old.answerChargeBack('refuse');
    try {
      return await step();
    } finally {
      this.ec.old.answerChargeBack('accept');
    }
  }

  /**
   * Runs `step` with the candidate's channel at the Nodo changed (`rtMode`, the PSPs it authorises …);
   * the configuration is restored whatever happens.
   */
  async withChannel<T>(change: Partial<Pick<ChannelEntry, 'rtMode' | 'psps' | 'storno'>>, step: () => Promise<T>): Promise<T> {
    const c = this.rt.registry.channels.find((x) => x.idChannel === this.channel.idChannel);
    if (!c) return this.harnessError(`the Nodo's configuration has no channel ${this.channel.idChannel}`);
    const saved = { rtMode: c.rtMode, psps: c.psps, storno: c.storno };
    Object.assign(c, change);
    try {
      return await step();
    } finally {
      Object.assign(c, saved);
    }
  }
}

/** The candidate's channel from the profile (old.psp, identities defaulting to psp.*). */
export function channelOf(p: Profile, reference: ReferencePsp | undefined): OldPspChannel {
  const o = p.old!.psp!;
  const urls = reference?.old.urls;
  const embedded = (u: string | undefined) => u === EMBEDDED_PSP;
  return {
    idPSP: p.psp!.idPSP,
    idBrokerPSP: p.psp!.idBrokerPSP,
    idChannel: o.idChannel ?? p.psp!.idChannel,
    password: o.password ?? p.psp!.password,
    pspPerNodo: embedded(o.pspPerNodo) ? urls!.pspPerNodo : o.pspPerNodo,
    paymentPage: embedded(o.paymentPage) || (embedded(o.pspPerNodo) && !o.paymentPage) ? urls!.paymentPage : o.paymentPage,
    rtMode: o.rtMode ?? 'push',
    storno: p.old?.features?.storno === true,
    ...(o.authChannel ? { authChannel: o.authChannel.idChannel, manlevaIban: o.authChannel.manlevaIban } : {}),
  };
}

/**
 * The Nodo's configuration: the emulated EC's station with its old-model endpoints and password, the
 * candidate PSP on its old-model channel (PspPerNodo, redirect page, RT mode, storno flag).
 */
export function oldPspSeatRegistry(loaded: LoadedProfile, ch: OldPspChannel, ec: ReferenceEc): Registry {
  const reg = pspSeatRegistry(loaded, ch, ec.url);
  const s = reg.stations[0]!;
  const u = ec.oldUrls;
  s.password = EMULATED_EC_OLD_PASSWORD;
  s.old = { paPerNodo: u.paPerNodo, paPerNodoPagamentoPsp: u.paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi: u.paPerNodoRichiestaAvvisi, returnUrl: u.returnUrl };
  // the Catalogo dei Servizi: the services the emulated EC serves with paaChiediNumeroAvviso (its default catalogue)
  s.old.services = EMULATED_EC_SERVICES.map((x) => ({ idServizio: x.idServizio, idDominio: loaded.profile.ec.idPA, descrizione: x.name }));
  // the candidate's channel only: WISP offers the payer no PSP the harness cannot play
  reg.channels = reg.channels.filter((c) => c.idChannel === ch.idChannel);
  Object.assign(reg.channels[0]!, { pspPerNodoUrl: ch.pspPerNodo, redirectUrl: ch.paymentPage, rtMode: ch.rtMode, storno: ch.storno });
  // its channel of payment model 2 (L1201): the same PSP on the same PspPerNodo, no page to redirect to
  if (ch.authChannel) reg.channels.push({ ...reg.channels[0]!, idChannel: ch.authChannel, description: `${reg.channels[0]!.description}, autorizzazione gestita dal PSP`, modelloPagamento: 2, redirectUrl: undefined });
  return reg;
}

/** A request without x-collaudo-from: to NodoPerPsp it is the candidate PSP's, to NodoPerPa the emulated EC's. */
const callerOf = (e: { url?: string; primitive?: string }): string => (/NodoPerPsp/i.test(e.url ?? '') ? 'psp' : 'ec');

/** The old-model PSP environment: one Nodo, the emulated EC, the candidate and a browser for a vitest file. */
export async function pspOldEnv(mutant?: string): Promise<SeatEnv<OldPspContext>> {
  const settings = pspSettingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded = loadProfile(settings.profile);
  const p = loaded.profile;
  const offers = (f: Parameters<typeof offersFeature>[1], m: string) => offersFeature(p, f, m);
  const certifies = (m: string) => modelsOf(p).includes(m);
  if (!certifies('old') || !p.old?.psp || !p.psp) {
    return {
      redactHeaders: [],
      offers,
      certifies,
      open: () => Promise.reject(new ScenarioStop('NOT_APPLICABLE', ['the profile does not describe the old model (models: [old] and old.psp)', 'il profilo non descrive il vecchio modello (models: [old] e old.psp)'])),
      close: async () => undefined,
    };
  }
  const embedded = p.endpoint.url === EMBEDDED_PSP;
  const clock: Clock = embedded ? new VirtualClock() : new RealClock();
  const listen = { host: p.harness?.listen?.host ?? '127.0.0.1', port: p.harness?.listen?.port ?? 0 };

  // the emulated EC: the reference EC's old-model station
  const ec = new ReferenceEc({
    clock,
    idPA: p.ec.idPA,
    idBrokerPA: p.ec.idBrokerPA,
    idStation: p.ec.idStation,
    companyName: p.ec.companyName ?? 'Comune di Collaudo',
    segregationCode: p.ec.segregationCode ?? '01',
    ibans: p.ec.ibans?.length ? p.ec.ibans : [EMULATED_EC_IBAN],
    secondaryEcs: [SECONDARY_EC],
    services: EMULATED_EC_SERVICES,
  });
  await ec.start();

  // the candidate: the embedded reference PSP (its old side), or an external PSP
  const ids = { idPSP: p.psp.idPSP, idBrokerPSP: p.psp.idBrokerPSP, idChannel: p.old.psp.idChannel ?? p.psp.idChannel, password: p.old.psp.password ?? p.psp.password };
  let reference: ReferencePsp | undefined;
  let triggerUrl = p.trigger?.http?.url;
  if (embedded) {
    const defects = settings.mutant && isOldPspDefect(settings.mutant) ? [settings.mutant as OldPspDefect] : [];
    reference = new ReferencePsp({ clock, nodoUrl: 'http://127.0.0.1:9/nodeForPsp', ids, defects, old: { ids, name: p.psp.companyName ?? p.name, authChannel: p.old.psp.authChannel?.idChannel, rtMode: p.old.psp.rtMode ?? 'push', sendRealCapMs: 2000, rptWaitRealMs: 1500 } });
    const r = await reference.start();
    if (triggerUrl === EMBEDDED_PSP) triggerUrl = r.triggerUrl;
  }
  const channel = channelOf(p, reference);
  const registry = oldPspSeatRegistry(loaded, channel, ec);
  const ledger = new Ledger();
  // one flow store for the environment: NodoPerPsp's upload and the FdR 3 server publish into it
  const flows = new FlowStore(clock, ledger);
  const nodo = new OldNodo({ clock, registry, ...listen, ledger, flows });
  const nodoUrls = await nodo.start().catch(async (e: Error) => {
    await reference?.stop();
    await ec.stop();
    throw new Error(`the harness's old-model Nodo cannot listen on ${listen.host}:${listen.port} (harness.listen): ${e.message}`);
  });
  ec.useNodo({ url: nodoUrls.nodoPerPa, password: EMULATED_EC_OLD_PASSWORD });
  reference?.old.useNodo(nodoUrls.nodoPerPsp, nodoUrls.wispReturn, nodoUrls.nodoPerPspRichiestaAvvisi);
  // the FdR 3 server journals into the scenario the Nodo is bound to
  let bound: { journal: Journal; faults: Faults } | undefined;
  const fdr = await startFdrSide({ loaded, clock, flows, registry, embedded, journal: () => bound?.journal, faults: () => bound?.faults }).catch(async (e: Error) => {
    await reference?.stop();
    await nodo.stop();
    await ec.stop();
    throw e;
  });
  if (reference) reference.fdr.endpoints.fdrPsp = fdr.pspUrl;

  const transport = requiredTrigger(loaded, triggerUrl);
  const inbox = new ReportInbox();
  await inbox.start(listen.host, embedded ? 0 : (p.harness?.listen?.reportPort ?? 0));
  const found = findBrowser();
  const payer: { browser: Payer } | { reason: string } = 'path' in found ? { browser: new Payer({ executablePath: found.path }) } : { reason: found.reason };
  const owners = new Map<string, string>();
  const late = new PlainJournal(clock);
  const parties: Record<string, string> = { [nodoUrls.base]: 'nodo', [new URL(ec.oldUrls.returnUrl).origin]: 'ec' };
  if (channel.paymentPage) parties[new URL(channel.paymentPage).origin] = 'psp';
  const rt: Runtime = { clock, transport, inbox, deadlineMs: p.trigger?.deadlineMs ?? (embedded ? 15_000 : 60_000), reference, registry, fdr };

  return {
    redactHeaders: Object.keys(p.endpoint.headers ?? {}),
    offers,
    certifies,
    async open(def) {
      const journal = new OldEcJournal(clock, def.id, owners, late, callerOf);
      const faults = new Faults();
      nodo.bind({ journal, faults });
      bound = { journal, faults };
      if ('browser' in payer) payer.browser.bind({ journal, parties });
      const ctx = new OldPspContext([def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e), new ScenarioLedger(ledger, def.id)], nodo, ec, channel, payer, rt);
      return {
        ctx,
        close: async () => {
          // what the candidate or the EC started for this scenario ends inside it
          await ctx.settle();
          nodo.rtPushes.clear();
          if ('browser' in payer) payer.browser.bind(undefined);
          nodo.bind(undefined);
          bound = undefined;
        },
      };
    },
    async close() {
      saveLedger(ledger);
      saveUnattributed('psp-old', [...nodo.unattributed.entries, ...late.entries].sort((a, b) => a.at - b.at));
      if ('browser' in payer) await payer.browser.close();
      await inbox.close();
      await transport.close();
      await reference?.stop();
      await fdr.rest.stop();
      await nodo.stop();
      await ec.stop();
    },
  };
}
