// The EC seat: the candidate is an EC station; the harness plays the reference Nodo and an
// emulated PSP. One environment per vitest worker (profile, clock, notices, the embedded
// reference EC in demo mode); one Nodo, journal and fault set per scenario.
import { Clock, RealClock, VirtualClock } from '../src/core/clock.js';
import { Faults } from '../src/core/faults.js';
import { Journal, type Correlation } from '../src/core/journal.js';
import { Ledger, ScenarioLedger } from '../src/core/ledger.js';
import { saveLedger } from './ledger-files.js';
import { BaseContext, Notice, ScenarioDef, ScenarioStop, judgesAny, modelOf } from '../src/core/scenario.js';
import { StationHealth, healthOf } from './ec-health.js';
import type { SeatEnv } from '../src/core/runner.js';
import { EMBEDDED_EC, LoadedProfile, Profile, clientTls, loadProfile, modelsOf, offersFeature } from '../src/profile/index.js';
import type { NoticeState } from '../domain/common.js';
import { EMULATED_EC_IBAN } from '../domain/harness-parties.js';
import { ecSeatRegistry } from './registries.js';
import { NoticeAllocator, noticePlan, type UpdatedAmountNotice } from './ec-notices.js';
import { evidencePath } from '../reports/evidence.js';
import { DEFAULT_TIMEOUTS, ReferenceNodo, type NodoTimeouts } from '../actors/nodo/index.js';
import { EmulatedPsp } from '../actors/psp/client.js';
import { EC_DEFECTS, ReferenceEc, EcDefect, derivedIban, isOldEcDefect } from '../candidates/ec/index.js';
import { Platform } from '../actors/platform/index.js';
import type { TriggerTransport } from '../src/triggers/index.js';
import { triggerOf } from '../src/triggers/from-profile.js';
import path from 'node:path';
import { EcFdr } from './ec-fdr.js';

import { PACKAGE_ROOT } from '../src/core/paths.js';
export { PACKAGE_ROOT };
export const REFERENCE_EC_PROFILE = path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-ec.yaml');

/** The other ECs the reference EC's station serves (profile `ec.secondaryEcs`), each with its own account. */
export function secondaryEcsOf(p: Profile): { fiscalCode: string; companyName: string; ibans: string[] }[] {
  return (p.ec.secondaryEcs ?? []).map((fc) => ({ fiscalCode: fc, companyName: `Ente beneficiario ${fc}`, ibans: [derivedIban(fc)] }));
}

/**
 * Mutant runs: a defect of the new-model station meets the new model's scenarios that judge a
 * requirement it violates (only their checks can catch it on target; the baseline runs them all).
 */
export const meetsNewModel = (defect: string, def: ScenarioDef<never>): boolean =>
  // a defect may name the old model's ids too (the reconciler is both stations'): it meets the new model's scenarios only
  !isOldEcDefect(defect) && modelOf(def) === 'new' && judgesAny(def, EC_DEFECTS.find((d) => d.id === defect)?.catches ?? []);

/** What notice planning needs of a scenario: every EC scenario of both models is planned over one list. */
export type PlanEntry = Pick<ScenarioDef<never>, 'id' | 'reads' | 'writes' | 'feature' | 'model'>;

/** How a worker learns what to certify (set by the CLI; defaults certify the embedded reference EC). */
export interface RunSettings {
  profile: string;
  mutant?: string;
}
export function settingsFromEnv(): RunSettings {
  return {
    profile: process.env.COLLAUDO_PROFILE || REFERENCE_EC_PROFILE,
    mutant: process.env.COLLAUDO_MUTANT || undefined,
  };
}

/** How EC-initiated flows are asked for (profile `trigger:`; the embedded reference EC's own hook by default). */
export interface EcTrigger {
  transport: TriggerTransport;
  /** how long the candidate has to act, real ms */
  deadlineMs: number;
}

/** what the Nodo adds to its wait for the EC before it answers a PSP (NM-A-26: 7 s + 3 s, the emulated PSP's former 10 s) */
const CALLER_MARGIN_MS = 3000;

export class EcContext extends BaseContext {
  constructor(
    base: ConstructorParameters<typeof BaseContext>,
    readonly nodo: ReferenceNodo,
    readonly psp: EmulatedPsp,
    readonly station: { idPA: string; idBrokerPA: string; idStation: string; version: 1 | 2; url: string },
    readonly timeouts: NodoTimeouts,
    private readonly notices: NoticeAllocator,
    /** base URL of the provisioning contract's positions, when the candidate offers it */
    readonly provisioningUrl: string | undefined,
    /** the platform services the harness plays besides the Nodo (Checkout, GPD/ACA) */
    readonly platform?: Platform,
    /** base URL of the embedded reference EC (its HTTP hook, portal, payment options); undefined for an external candidate */
    readonly embeddedEcUrl?: string,
    /** the trigger of EC-initiated flows; undefined when the profile names none for an external candidate */
    readonly trigger?: EcTrigger,
    private readonly health?: StationHealth,
    /** reconciliation: the run's flows, the FdR 3 server (seats/ec-fdr.ts) */
    readonly fdr?: EcFdr,
  ) {
    super(...base);
  }
  /**
   * The scenario since which the candidate station refuses every connection after having answered
   * before (it crashed); undefined while it answers. The scenario whose request killed it finds its
   * own id here and fails on the robustness requirement it violated.
   */
  candidateDown(): string | undefined {
    return this.health?.downSince;
  }
  /**
   * Like candidateDown, after confirming a suspicion: a connection reset counts only if a new
   * connection is refused too (within the verify timeout in force).
   */
  async probeCandidate(): Promise<string | undefined> {
    return this.health?.confirm(this.timeouts.paVerifyPaymentNotice);
  }
  /** The k-th notice in `state` this scenario reads (declared in `reads`): shared, never changed. */
  notice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.read(this, state, k);
  }
  /**
   * The k-th notice whose amount changed since it was printed (profile `notices.updatedAmount`, or
   * created through provisioning when `provisioning.updatedAmount` is declared; NM-PSPPAY-PAY-07);
   * undefined when the profile declares none (the check is then not exercised).
   */
  updatedAmountNotice(k = 0): Promise<UpdatedAmountNotice | undefined> {
    return this.notices.updatedAmount(this, k);
  }
  /** The k-th notice in `state` this scenario may change (declared in `writes`): its own, consumed. */
  ownNotice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.write(this, state, k);
  }
}

// ---------------- environment ----------------

/**
 * The reference parts an embedded run certifies with: the virtual clock, the harness's platform
 * services and (endpoint embedded:reference-ec) the reference EC. A self-test may build them once
 * and hand them to several environments, so that two runs meet one station instance that is never reset.
 */
export interface EcParts {
  clock: Clock;
  platform: Platform;
  reference?: ReferenceEc;
  /** the run's reporting flows and the FdR 3 server, shared by both models' Nodos */
  fdr: EcFdr;
  /** stops what was started here (not called by an environment that was handed the parts) */
  stop(): Promise<void>;
}

export async function startEcParts(p: Profile, mutant?: string): Promise<EcParts> {
  const embedded = p.endpoint.url === EMBEDDED_EC;
  // Real time only against an external candidate (DESIGN.md, clock).
  const clock: Clock = embedded ? new VirtualClock() : new RealClock();
  // the emulated Checkout/GPD/ACA listen where the profile says (harness.platform), so a real EC can call them
  const hp = p.harness?.platform;
  const platform = new Platform({ clock, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, host: hp?.host, port: hp?.port });
  const platformUrls = await platform.start().catch((e: Error) => {
    throw new Error(`the harness's platform services cannot listen on ${hp?.host ?? '127.0.0.1'}:${hp?.port ?? 0}: ${e.message}`);
  });
  let reference: ReferenceEc | undefined;
  if (embedded) {
    reference = new ReferenceEc({
      clock,
      idPA: p.ec.idPA,
      idBrokerPA: p.ec.idBrokerPA,
      idStation: p.ec.idStation,
      companyName: p.ec.companyName ?? 'Reference EC',
      segregationCode: p.ec.segregationCode ?? '01',
      ibans: p.ec.ibans?.length ? p.ec.ibans : [EMULATED_EC_IBAN],
      defects: mutant ? [mutant as EcDefect] : [],
      platform: platformUrls,
      secondaryEcs: secondaryEcsOf(p),
    });
    await reference.start();
  }
  const fdr = new EcFdr(clock, p);
  await fdr.start();
  if (reference) fdr.settle = () => reference.fdr.idle();
  return {
    clock,
    platform,
    reference,
    fdr,
    async stop() {
      await platform.stop();
      await fdr.stop();
      await reference?.stop();
    },
  };
}

/**
 * `mutant` (from a COLLAUDO_MUTANTS run) overrides the single COLLAUDO_MUTANT of the environment;
 * `parts` are reference parts started by the caller, kept running when the environment closes.
 */
export async function ecEnv(order: PlanEntry[], mutant?: string, parts?: EcParts): Promise<SeatEnv<EcContext>> {
  const settings = settingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded: LoadedProfile = loadProfile(settings.profile);
  const p = loaded.profile;
  const embedded = p.endpoint.url === EMBEDDED_EC;
  const own = parts ? undefined : await startEcParts(p, settings.mutant);
  const { clock, platform, reference, fdr } = parts ?? own!;
  let stationUrl = p.endpoint.url;
  let provisioningUrl = p.provisioning?.url;
  if (reference) {
    stationUrl = reference.url;
    if (provisioningUrl === EMBEDDED_EC) provisioningUrl = new URL('/provisioning/positions', reference.url).toString();
  }
  // EC-initiated flows: the profile's trigger; the embedded reference EC's own hook by default
  const tp = p.trigger;
  let triggerUrl = tp?.http?.url;
  if (reference && (!tp || triggerUrl === EMBEDDED_EC)) triggerUrl = `${reference.baseUrl}/collaudo/trigger`;
  const transport = triggerOf(loaded, triggerUrl);
  const trigger: EcTrigger | undefined = transport ? { transport, deadlineMs: tp?.deadlineMs ?? (embedded ? 10_000 : 60_000) } : undefined;
  const notices = new NoticeAllocator(
    // only the scenarios this run selected (--scenario/--grep, the same for every shard) take notices
    noticePlan(selected(order).filter((d) => modelsOf(p).includes(modelOf(d))), (f, m) => offersFeature(p, f, m)),
    p,
    provisioningUrl ? { url: provisioningUrl, headers: p.provisioning?.headers ?? {}, updatedAmount: p.provisioning?.updatedAmount === true } : undefined,
  );
  const tls = clientTls(loaded, p.endpoint.tls);
  const version = p.ec.stationVersion ?? 1;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...(p.timeouts ?? {}) };
  // one ledger for the run: every scenario's Nodo records its receipts there, later scenarios read them
  const ledger = new Ledger();
  // the flows the harness publishes for the EC are evidence of the run as its receipts are (ledger.json)
  const offFlows = fdr.flows.onPublish((f) => ledger.recordFlow({ ...structuredClone(f.flow), transport: f.transport, at: f.publishedAt }));
  const redactHeaders = Object.keys(p.endpoint.headers ?? {});
  const health = healthOf(stationUrl);
  // NM-A-26: the emulated PSP waits for the Nodo at least the Nodo→EC timeout in force plus a margin
  const callerTimeoutMs = Math.max(timeouts.paVerifyPaymentNotice, timeouts.paGetPayment, timeouts.paDemandPaymentNotice) + CALLER_MARGIN_MS;
  return {
    redactHeaders,
    offers: (f, m) => offersFeature(p, f, m),
    certifies: (m) => modelsOf(p).includes(m),
    async open(def) {
      // a station that went down in an earlier scenario: nothing left to judge, unless it is back
      if (health.downSince && !(await health.reachable(timeouts.paVerifyPaymentNotice))) {
        // the reason is the journal's transport and note (technical): quoted in the Italian
        throw new ScenarioStop('INCONCLUSIVE', [
          `candidate unreachable since ${health.downSince}: ${health.downReason}; the station stopped answering and refuses connections`,
          `EC in collaudo irraggiungibile da ${health.downSince}: "${health.downReason}"; la stazione ha smesso di rispondere e rifiuta le connessioni`,
        ]);
      }
      const journal = new Journal(clock);
      const record = journal.record.bind(journal);
      journal.record = (e) => {
        const r = record(e);
        health.observe(def.id, r);
        return r;
      };
      const faults = new Faults();
      // a scenario may pin the primitive version (V2 ones need features.v2, checked by the runner)
      const v = def.primitives === 'v2' ? 2 : def.primitives === 'v1' ? 1 : version;
      const reg = ecSeatRegistry(p, { stationUrl, version: v, embedded, tls });
      // one station, one password at the Nodo whatever the model: nodeForPa's caller rule checks it (NM-X-AUTH-01)
      if (p.old?.password) reg.stations[0]!.password = p.old.password;
      // the emulated PSP journals its own calls, so the Nodo does not journal them again
      // shared notices are only read: the harness refuses to send what could change one
      const guard = (primitive: string, corr: Correlation) => notices.guard(def.id, primitive, corr);
      const scenarioLedger = new ScenarioLedger(ledger, def.id);
      const nodo = new ReferenceNodo({ clock, registry: reg, journal: () => journal, faults: () => faults, timeouts, journalInbound: false, guard, receiptWait: 'candidate', ledger: scenarioLedger, flows: fdr.flows });
      const { url } = await nodo.start();
      const psp = new EmulatedPsp({ nodoUrl: url, clock, journal, guard, validateRequests: true, timeoutMs: callerTimeoutMs });
      const ctx = new EcContext(
        [def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e), scenarioLedger],
        nodo,
        psp,
        { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, version: v, url: stationUrl },
        timeouts,
        notices,
        provisioningUrl,
        platform,
        reference ? reference.baseUrl : undefined,
        trigger,
        health,
        fdr,
      );
      platform.bind({ journal, psp, faults });
      fdr.bind({ journal, faults, registry: reg });
      return {
        ctx,
        close: async () => {
          platform.bind(undefined);
          fdr.bind(undefined);
          await nodo.stop();
          await health.confirm(timeouts.paVerifyPaymentNotice);
          health.unjudge(def.id, ctx.checks, journal.entries);
        },
      };
    },
    async close() {
      offFlows();
      saveLedger(ledger);
      await transport?.close();
      await own?.stop();
    },
  };
}

/** The scenarios the CLI selected for this run (COLLAUDO_SCENARIOS, set with --scenario/--grep); all by default. */
export function selected<T extends { id: string }>(order: T[]): T[] {
  const ids = process.env.COLLAUDO_SCENARIOS?.split(',').filter(Boolean);
  return ids?.length ? order.filter((d) => ids.includes(d.id)) : order;
}
