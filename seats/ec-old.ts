// The EC seat, old model (SANP 2.2.6): the candidate is an EC station speaking RPT/RT; the harness
// plays the reference Nodo (NodoPerPa, NodoPerPsp, WISP), an emulated PSP (PspPerNodo and its payment
// page) and the payer's browser. Unlike the new model's one-Nodo-per-scenario, the old-model Nodo is
// one per environment: the candidate calls it (its NodoPerPa URL is configured at the station, so it
// listens on harness.listen against an external EC) and its records outlive a scenario (an RT copy a
// later scenario asks for). Each scenario binds its journal and faults to the Nodo, the PSP and the
// browser; scenarios of one environment run one at a time.
import type { Clock } from '../src/core/clock.js';
import { Faults } from '../src/core/faults.js';
import { type Correlation, Journal } from '../src/core/journal.js';
import { Ledger, ScenarioLedger } from '../src/core/ledger.js';
import { BaseContext, type Notice, type ScenarioDef, ScenarioStop, judgesAny, modelOf } from '../src/core/scenario.js';
import type { SeatEnv } from '../src/core/runner.js';
import { EMBEDDED_EC, type Profile, clientTls, loadProfile, modelsOf, offersFeature } from '../src/profile/index.js';
import { triggerOf } from '../src/triggers/from-profile.js';
import type { NoticeState } from '../domain/common.js';
import type { OldNodoTimeouts } from '../domain/timeouts.js';
import { evidencePath } from '../reports/evidence.js';
import { OldNodo } from '../actors/nodo/old/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { Payer, browserReasonSaid, findBrowser } from '../actors/payer/index.js';
import { OLD_EC_DEFECTS, type ReferenceEc, isOldEcDefect } from '../candidates/ec/index.js';
import { type EcParts, type EcTrigger, type PlanEntry, selected, settingsFromEnv, startEcParts } from './ec.js';
import { NoticeAllocator, noticePlan } from './ec-notices.js';
import { oldEcSeatRegistry } from './registries.js';
import type { Registry } from '../domain/registry.js';
import { HARNESS_PSP, HARNESS_PSP_AUTH_CHANNEL } from '../domain/harness-parties.js';
import { saveLedger } from './ledger-files.js';
import { saveUnattributed } from './unattributed-files.js';
import type { EcFdr } from './ec-fdr.js';

/** An IBAN no EC of the run owns (valid check digits), for a Nodo configuration that must refuse the EC's. */
const UNREGISTERED_IBAN = 'IT42L1234512345123456789012';

/**
 * Mutant runs: a defect of the old-model station meets the old model's scenarios that judge a
 * requirement it violates (only their checks can catch it on target; the baseline runs them all).
 */
export const meetsOldModel = (defect: string, def: ScenarioDef<never>): boolean =>
  isOldEcDefect(defect) && judgesAny(def, OLD_EC_DEFECTS.find((d) => d.id === defect)?.catches ?? []);

/** The candidate station as the old model names it, with what the Nodo knows of it. */
export interface OldStation {
  idDominio: string;
  idIntermediarioPA: string;
  idStazione: string;
  /** the station's password at the Nodo (its requests must carry it) */
  password: string;
  paPerNodo: string;
  paPerNodoPagamentoPsp: string;
  /** paaChiediNumeroAvviso (spontaneous payments) */
  paPerNodoRichiestaAvvisi: string;
  /** the portal's page WISP sends the payer back to */
  returnUrl: string;
}


export class OldEcContext extends BaseContext {
  constructor(
    base: ConstructorParameters<typeof BaseContext>,
    readonly nodo: OldNodo,
    readonly psp: OldPsp,
    private readonly payer: { browser: Payer } | { reason: string },
    readonly station: OldStation,
    readonly timeouts: Readonly<OldNodoTimeouts>,
    private readonly notices: NoticeAllocator,
    /** how EC-initiated flows are asked for (profile `trigger:`; the embedded reference EC's hook by default) */
    readonly trigger: EcTrigger | undefined,
    /** the embedded reference EC (demo, self-tests): its idle() says when what it started is over */
    readonly reference: ReferenceEc | undefined,
    /** the Nodo's configuration (a scenario may change it for the length of one step) */
    private readonly registry: Registry,
    /** reconciliation: the run's flows (the Nodo's NodoPerPa reads them), the FdR 3 server */
    readonly fdr?: EcFdr,
  ) {
    super(...base);
  }

  /**
   * Runs `step` while the Nodo's configuration lists none of the EC's IBANs (the EC's RPTs are then
   * refused with PPT_IBAN_NON_CENSITO, V-09); the configuration is restored whatever happens.
   */
  async withoutIbans<T>(step: () => Promise<T>): Promise<T> {
    const ec = this.registry.ecs.find((e) => e.fiscalCode === this.station.idDominio);
    if (!ec) return this.harnessError(`the Nodo's configuration has no EC ${this.station.idDominio}`);
    const saved = ec.ibans;
    // a list the EC's accounts are not in (an empty list means "not checked")
    ec.ibans = [UNREGISTERED_IBAN];
    try {
      return await step();
    } finally {
      ec.ibans = saved;
    }
  }

  /** The k-th notice in `state` this scenario reads (declared in `reads`): shared, never changed. */
  notice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.read(this, state, k);
  }
  /** The k-th notice in `state` this scenario may change (declared in `writes`): its own, consumed. */
  ownNotice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.write(this, state, k);
  }
  /** The payer's browser; without one the scenario is NOT_APPLICABLE with the reason (clarification 7). */
  browser(): Payer {
    if ('reason' in this.payer) return this.notApplicable(browserReasonSaid(this.payer.reason));
    return this.payer.browser;
  }
}

/**
 * The keys that tie an exchange to the payment attempt a scenario started: IUV with CCP (a notice read
 * by several scenarios shares its IUV, never a CCP), the cart and its WISP session.
 */
function ownedKeys(c: Correlation): string[] {
  return [c.iuv && c.ccp ? `${c.iuv}|${c.ccp}` : undefined, c.idCarrello, c.idSession].filter((v): v is string => !!v);
}

/**
 * A scenario's journal. A request that names no sender (no x-collaudo-from) comes from the candidate
 * EC. The Nodo outlives scenarios, so an exchange about a payment an earlier scenario started (an RT
 * redelivered after its scenario ended, a late RPT) is never charged to the running one: it goes to the
 * environment's unattributed journal with its owner named, kept for the certificate.
 */
export class OldEcJournal extends Journal {
  constructor(
    clock: Clock,
    private readonly scenarioId: string,
    private readonly owners: Map<string, string>,
    private readonly late: Journal,
    /** the party a request without x-collaudo-from comes from (the candidate's seat; the PSP seat tells by the entry) */
    private readonly caller: (e: Parameters<Journal['record']>[0]) => string = () => 'ec',
  ) {
    super(clock);
  }
  /** exchanges charged to an earlier scenario (its request decided; its answer and documents follow it) */
  private readonly elsewhere = new Map<number, string>();
  override record(e: Parameters<Journal['record']>[0]) {
    const named = (x: string) => (x === 'client' ? this.caller(e) : x);
    const entry = { ...e, from: named(e.from), to: named(e.to) };
    const keys = ownedKeys(e.correlation);
    // the EC's own calls (the candidate's in the EC seat, the emulated EC's in the PSP seat) are what the
    // running scenario asked for, whatever keys they reuse; a PSP's may be a late retry of an earlier one
    if (e.direction === 'request' && entry.from !== 'ec' && !this.elsewhere.has(e.exchange)) {
      const owner = keys.map((k) => this.owners.get(k)).find((o) => o !== undefined && o !== this.scenarioId);
      if (owner) this.elsewhere.set(e.exchange, owner);
    }
    const owner = this.elsewhere.get(e.exchange);
    if (owner) return this.late.record({ ...entry, note: [`belongs to ${owner} (after it ended)`, e.note].filter(Boolean).join('; ') });
    for (const k of keys) if (!this.owners.has(k)) this.owners.set(k, this.scenarioId);
    return super.record(entry);
  }
}

/** Where the Nodo listens: harness.listen (a real EC is configured with that NodoPerPa URL), any free port by default. */
function listenOf(p: Profile): { host: string; port: number } {
  return { host: p.harness?.listen?.host ?? '127.0.0.1', port: p.harness?.listen?.port ?? 0 };
}

/**
 * The old-model EC environment: one Nodo, one emulated PSP and one browser for the scenarios of a
 * vitest file. `order` is every EC scenario of both models (notice planning); `parts` are reference
 * parts a self-test started and keeps running.
 */
export async function ecOldEnv(order: PlanEntry[], mutant?: string, parts?: EcParts): Promise<SeatEnv<OldEcContext>> {
  const settings = settingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded = loadProfile(settings.profile);
  const p = loaded.profile;
  const offers = (f: NonNullable<ScenarioDef['feature']>, m: string) => offersFeature(p, f, m);
  const certifies = (m: string) => modelsOf(p).includes(m);
  // a profile that does not certify the old model starts nothing: every scenario is NOT_APPLICABLE (runner)
  if (!certifies('old') || !p.old?.endpoints || !p.old.password || !p.old.returnUrl) {
    return {
      redactHeaders: [],
      offers,
      certifies,
      open: () => Promise.reject(new ScenarioStop('NOT_APPLICABLE', ['the profile does not describe the old model (old:)', 'il profilo non descrive il vecchio modello (old:)'])),
      close: async () => undefined,
    };
  }
  // seat ec: the three are required (profile checks)
  const old = { ...p.old, endpoints: p.old.endpoints, password: p.old.password, returnUrl: p.old.returnUrl };
  const embedded = p.endpoint.url === EMBEDDED_EC;
  const own = parts ? undefined : await startEcParts(p, settings.mutant);
  const { clock, reference, fdr } = parts ?? own!;
  const ref = embedded ? reference : undefined;
  if (embedded && !ref) throw new Error('the embedded reference EC did not start');
  const isEmbedded = (u: string | undefined) => u === EMBEDDED_EC;
  const urls = ref?.oldUrls;
  const station: OldStation = {
    idDominio: p.ec.idPA,
    idIntermediarioPA: p.ec.idBrokerPA,
    idStazione: p.ec.idStation,
    password: old.password,
    paPerNodo: isEmbedded(old.endpoints.paPerNodo) ? urls!.paPerNodo : old.endpoints.paPerNodo,
    paPerNodoPagamentoPsp: isEmbedded(old.endpoints.paPerNodoPagamentoPsp) || (!old.endpoints.paPerNodoPagamentoPsp && urls) ? urls!.paPerNodoPagamentoPsp : (old.endpoints.paPerNodoPagamentoPsp ?? new URL('/PaPerNodoPagamentoPsp', old.endpoints.paPerNodo).href),
    paPerNodoRichiestaAvvisi: isEmbedded(old.endpoints.paPerNodoRichiestaAvvisi) || (!old.endpoints.paPerNodoRichiestaAvvisi && urls) ? urls!.paPerNodoRichiestaAvvisi : (old.endpoints.paPerNodoRichiestaAvvisi ?? new URL('/PaPerNodoRichiestaAvvisi', old.endpoints.paPerNodo).href),
    returnUrl: isEmbedded(old.returnUrl) ? urls!.returnUrl : old.returnUrl,
  };
  const tls = clientTls(loaded, p.endpoint.tls);
  const reg = oldEcSeatRegistry(p, { station, tls });
  const ledger = new Ledger();
  const nodo = new OldNodo({ clock, registry: reg, ...listenOf(p), rtWait: 'candidate', ledger, flows: fdr.flows });
  const nodoUrls = await nodo.start().catch((e: Error) => {
    throw new Error(`the harness's old-model Nodo cannot listen on ${listenOf(p).host}:${listenOf(p).port} (harness.listen): ${e.message}`);
  });
  // the harness's PSP: its calls are journaled by the Nodo that receives them (one record per exchange)
  const channels = reg.channels.filter((c) => c.psps.includes(HARNESS_PSP.idPSP)).map((c) => c.idChannel);
  const psp = new OldPsp({ clock, nodoUrl: nodoUrls.nodoPerPsp, returnUrl: nodoUrls.wispReturn, journalInbound: false, journalCalls: false, channels, authChannel: HARNESS_PSP_AUTH_CHANNEL.idChannel });
  const pspUrls = await psp.start();
  // the model-2 channel has no payment page: the PSP authorises outside pagoPA (L1502)
  for (const c of reg.channels) if (channels.includes(c.idChannel)) Object.assign(c, { pspPerNodoUrl: pspUrls.pspPerNodoUrl, redirectUrl: c.modelloPagamento === 2 ? undefined : pspUrls.paymentPageUrl });
  ref?.useNodo({ url: nodoUrls.nodoPerPa, password: old.password });

  const tp = p.trigger;
  let triggerUrl = tp?.http?.url;
  if (ref && (!tp || triggerUrl === EMBEDDED_EC)) triggerUrl = `${ref.baseUrl}/collaudo/trigger`;
  const transport = triggerOf(loaded, triggerUrl);
  const trigger: EcTrigger | undefined = transport ? { transport, deadlineMs: tp?.deadlineMs ?? (embedded ? 10_000 : 60_000) } : undefined;
  const provisioningUrl = p.provisioning?.url === EMBEDDED_EC && ref ? new URL('/provisioning/positions', ref.url).toString() : p.provisioning?.url;
  const notices = new NoticeAllocator(
    noticePlan(selected(order).filter((d) => certifies(modelOf(d))), offers),
    p,
    provisioningUrl ? { url: provisioningUrl, headers: p.provisioning?.headers ?? {}, updatedAmount: p.provisioning?.updatedAmount === true } : undefined,
  );
  const found = findBrowser();
  const payer: { browser: Payer } | { reason: string } = 'path' in found ? { browser: new Payer({ executablePath: found.path }) } : { reason: found.reason };
  // payment keys → the scenario that started the payment; what comes for it later is kept apart
  const owners = new Map<string, string>();
  const late = new Journal(clock);
  const parties = { [nodoUrls.base]: 'nodo', [new URL(pspUrls.paymentPageUrl).origin]: 'psp', [new URL(station.returnUrl).origin]: 'ec' };

  return {
    redactHeaders: Object.keys(p.endpoint.headers ?? {}),
    offers,
    certifies,
    async open(def) {
      const journal = new OldEcJournal(clock, def.id, owners, late);
      const faults = new Faults();
      const scenarioLedger = new ScenarioLedger(ledger, def.id);
      nodo.bind({ journal, faults });
      psp.bind({ journal, faults });
      if ('browser' in payer) payer.browser.bind({ journal, parties });
      const ctx = new OldEcContext(
        [def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e), scenarioLedger],
        nodo,
        psp,
        payer,
        station,
        nodo.timeouts,
        notices,
        trigger,
        ref,
        reg,
        fdr,
      );
      fdr.bind({ journal, faults, registry: reg });
      return {
        ctx,
        close: async () => {
          // what the embedded EC started for this scenario ends inside it (never in the next one's journal)
          await ref?.old.idle();
          if ('browser' in payer) payer.browser.bind(undefined);
          psp.bind(undefined);
          nodo.bind(undefined);
          fdr.bind(undefined);
        },
      };
    },
    async close() {
      saveLedger(ledger);
      // what reached the Nodo or the PSP while no scenario was bound (a retry after its scenario ended)
      saveUnattributed('ec-old', [...nodo.unattributed.entries, ...psp.unattributed.entries, ...late.entries].sort((a, b) => a.at - b.at));
      if ('browser' in payer) await payer.browser.close();
      await psp.stop();
      await nodo.stop();
      await transport?.close();
      await own?.stop();
    },
  };
}
