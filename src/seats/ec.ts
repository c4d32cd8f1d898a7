// The EC seat: the candidate is an EC station; the harness plays the reference Nodo and an
// emulated PSP. One environment per vitest worker (profile, clock, notices, the embedded
// reference EC in demo mode); one Nodo, journal and fault set per scenario.
import { createHash } from 'node:crypto';
import { Clock, RealClock, VirtualClock } from '../clock.js';
import { Faults } from '../faults.js';
import { Journal } from '../journal.js';
import { BaseContext, Notice, ScenarioDef } from '../scenario.js';
import type { SeatEnv } from '../runner.js';
import { EMBEDDED_EC, LoadedProfile, Profile, featureOn, loadProfile, readProfileFile } from '../profile/index.js';
import { Registry, harnessPspEntries } from '../registry.js';
import { NoticeState, noticeAux3, checkDigit, makeIban } from '../domain.js';
import { evidencePath } from '../../reports/evidence.js';
import { ReferenceNodo } from '../../mocks/nodo/index.js';
import { EmulatedPsp } from '../../mocks/psp/client.js';
import { ReferenceEc, EcDefect, derivedIban } from '../../mocks/ec/index.js';
import { Platform } from '../../mocks/platform/index.js';
import { CommandTrigger, HttpTrigger, PromptTrigger, type TriggerTransport } from '../triggers/index.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REFERENCE_EC_PROFILE = path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-ec.yaml');

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

export const DEFAULT_TIMEOUTS = { paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000, paDemandPaymentNotice: 7000 };

export class EcContext extends BaseContext {
  constructor(
    base: ConstructorParameters<typeof BaseContext>,
    readonly nodo: ReferenceNodo,
    readonly psp: EmulatedPsp,
    readonly station: { idPA: string; idBrokerPA: string; idStation: string; version: 1 | 2; url: string },
    readonly timeouts: typeof DEFAULT_TIMEOUTS,
    private readonly notices: NoticeSource,
    /** base URL of the provisioning contract's positions, when the candidate offers it */
    readonly provisioningUrl: string | undefined,
    /** the platform services the harness plays besides the Nodo (Checkout, GPD/ACA) */
    readonly platform?: Platform,
    /** base URL of the embedded reference EC (its HTTP hook, portal, payment options); undefined for an external candidate */
    readonly embeddedEcUrl?: string,
    /** the trigger of EC-initiated flows; undefined when the profile names none for an external candidate */
    readonly trigger?: EcTrigger,
  ) {
    super(...base);
  }
  /** The k-th notice in `state` this scenario reads (declared in `reads`): shared, never changed. */
  notice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.get(this, this.scenarioId, state, k);
  }
  /**
   * The k-th notice whose amount changed since it was printed (profile-declared, with its printed amount;
   * NM-PSPPAY-PAY-07); undefined when the profile declares none (the check is then not exercised).
   */
  async updatedAmountNotice(_k = 0): Promise<(Notice & { printedCents: number }) | undefined> {
    return undefined;
  }
  /** The k-th notice in `state` this scenario may change (declared in `writes`): its own, consumed. */
  ownNotice(state: NoticeState, k = 0): Promise<Notice> {
    return this.notices.get(this, this.scenarioId, state, k);
  }
}

// ---------------- notices ----------------

interface NoticeSource {
  get(t: EcContext, scenarioId: string, state: NoticeState, k: number): Promise<Notice>;
}

/** Positions created on demand through the provisioning contract (POST /provisioning/positions). */
class ProvisionedNotices implements NoticeSource {
  private cache = new Map<string, Notice>();
  constructor(private url: string, private headers: Record<string, string>, private fiscalCode: string, private unknown: (id: string, k: number) => string) {}
  async get(t: EcContext, scenarioId: string, state: NoticeState, k: number): Promise<Notice> {
    const key = `${scenarioId}/${state}/${k}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let n: Notice;
    if (state === 'unknown') n = { fiscalCode: this.fiscalCode, noticeNumber: this.unknown(scenarioId, k), state };
    else {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers },
        body: JSON.stringify({ state, amountCents: 1000 + ((k * 731 + scenarioId.length * 97) % 9000) }),
      }).catch((e: Error) => t.inconclusive(`provisioning endpoint ${this.url} unreachable: ${e.message}`));
      if (res.status !== 201) t.inconclusive(`provisioning endpoint answered HTTP ${res.status} for a ${state} position: ${(await res.text()).slice(0, 200)}`);
      const j = (await res.json()) as { fiscalCode: string; noticeNumber: string; amountCents: number };
      n = { fiscalCode: j.fiscalCode, noticeNumber: j.noticeNumber, amountCents: j.amountCents, state };
    }
    this.cache.set(key, n);
    return n;
  }
}

/**
 * Notices listed in the profile. Payable ones are consumed (each scenario gets its own, allocated
 * in catalogue order so that parallel workers never share one); the other states are only read.
 */
class ListedNotices implements NoticeSource {
  private offsets = new Map<string, number>();
  constructor(private profile: Profile, order: ScenarioDef<EcContext>[], private unknown: (id: string, k: number) => string) {
    let next = 0;
    for (const d of order) {
      this.offsets.set(d.id, next);
      next += d.notices?.payable ?? 0;
    }
  }
  async get(t: EcContext, scenarioId: string, state: NoticeState, k: number): Promise<Notice> {
    const list = this.profile.notices?.[state] ?? [];
    if (state === 'unknown' && list.length === 0) return { fiscalCode: this.profile.ec.idPA, noticeNumber: this.unknown(scenarioId, k), state };
    const index = state === 'payable' ? (this.offsets.get(scenarioId) ?? 0) + k : k % Math.max(1, list.length);
    const ref = list[index];
    if (ref === undefined) {
      t.inconclusive(`the profile lists ${list.length} notice(s) in state "${state}"; this scenario needs #${index + 1} (add notices.${state} or a provisioning endpoint)`);
    }
    const r = typeof ref === 'string' ? { noticeNumber: ref } : ref;
    const amount = r.amount ? Math.round(Number(r.amount) * 100) : undefined;
    return { fiscalCode: r.fiscalCode ?? this.profile.ec.idPA, noticeNumber: r.noticeNumber, amountCents: amount, state };
  }
}

/** A notice number of the EC's numbering that it never issued (9-prefixed IUV base, per scenario). */
function unknownNotice(p: Profile): (id: string, k: number) => string {
  return (id, k) => {
    const h = createHash('sha256').update(`${id}/${k}`).digest();
    const base = ('99' + h.readBigUInt64BE(0).toString().padStart(11, '0')).slice(0, 13);
    if (p.ec.auxDigit === 3) return noticeAux3(p.ec.segregationCode ?? '00', base);
    if (p.ec.auxDigit === 0) {
      const pre = `0${p.ec.applicationCode ?? '00'}${base}`;
      return pre + checkDigit(pre);
    }
    return `${p.ec.auxDigit}${('9' + h.readBigUInt64BE(8).toString()).padEnd(17, '0').slice(0, 17)}`;
  };
}

// ---------------- environment ----------------

/** `mutant` (from a COLLAUDO_MUTANTS run) overrides the single COLLAUDO_MUTANT of the environment. */
export async function ecEnv(order: ScenarioDef<EcContext>[], mutant?: string): Promise<SeatEnv<EcContext>> {
  const settings = settingsFromEnv();
  if (mutant) settings.mutant = mutant;
  const loaded: LoadedProfile = loadProfile(settings.profile);
  const p = loaded.profile;
  const embedded = p.endpoint.url === EMBEDDED_EC;
  // Real time only against an external candidate (DESIGN.md, clock).
  const clock: Clock = embedded ? new VirtualClock() : new RealClock();
  let reference: ReferenceEc | undefined;
  let stationUrl = p.endpoint.url;
  let provisioningUrl = p.provisioning?.url;
  // the emulated Checkout/GPD/ACA listen where the profile says (harness.platform), so a real EC can call them
  const hp = p.harness?.platform;
  const platform = new Platform({ clock, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, host: hp?.host, port: hp?.port });
  const platformUrls = await platform.start().catch((e: Error) => {
    throw new Error(`the harness's platform services cannot listen on ${hp?.host ?? '127.0.0.1'}:${hp?.port ?? 0}: ${e.message}`);
  });
  if (embedded) {
    reference = new ReferenceEc({
      clock,
      idPA: p.ec.idPA,
      idBrokerPA: p.ec.idBrokerPA,
      idStation: p.ec.idStation,
      companyName: p.ec.companyName ?? 'Reference EC',
      segregationCode: p.ec.segregationCode ?? '01',
      ibans: p.ec.ibans?.length ? p.ec.ibans : [makeIban('IT', 'X0306909606100000012345')],
      defects: settings.mutant ? [settings.mutant as EcDefect] : [],
      platform: platformUrls,
      secondaryEcs: (p.ec.secondaryEcs ?? []).map((fc) => ({ fiscalCode: fc, companyName: `Ente beneficiario ${fc}`, ibans: [derivedIban(fc)] })),
    });
    const { url } = await reference.start();
    stationUrl = url;
    if (provisioningUrl === EMBEDDED_EC) provisioningUrl = new URL('/provisioning/positions', url).toString();
  }
  // EC-initiated flows: the profile's trigger; the embedded reference EC's own hook by default
  const tp = p.trigger;
  let triggerUrl = tp?.http?.url;
  if (reference && (!tp || triggerUrl === EMBEDDED_EC)) triggerUrl = `${reference.baseUrl}/collaudo/trigger`;
  const transport: TriggerTransport | undefined = triggerUrl
    ? new HttpTrigger(triggerUrl, {
        headers: tp?.http?.headers,
        tls: tp?.http?.tls ? { ca: readProfileFile(loaded, tp.http.tls.ca), cert: readProfileFile(loaded, tp.http.tls.cert), key: readProfileFile(loaded, tp.http.tls.key), rejectUnauthorized: tp.http.tls.rejectUnauthorized } : undefined,
      })
    : tp?.command
      ? new CommandTrigger(tp.command, path.dirname(path.resolve(loaded.file)))
      : tp?.prompt
        ? new PromptTrigger()
        : undefined;
  const trigger: EcTrigger | undefined = transport ? { transport, deadlineMs: tp?.deadlineMs ?? (embedded ? 10_000 : 60_000) } : undefined;
  const unknown = unknownNotice(p);
  const notices: NoticeSource = provisioningUrl
    ? new ProvisionedNotices(provisioningUrl, p.provisioning?.headers ?? {}, p.ec.idPA, unknown)
    : new ListedNotices(p, order, unknown);
  const tls = p.endpoint.tls
    ? { ca: readProfileFile(loaded, p.endpoint.tls.ca), cert: readProfileFile(loaded, p.endpoint.tls.cert), key: readProfileFile(loaded, p.endpoint.tls.key), rejectUnauthorized: p.endpoint.tls.rejectUnauthorized }
    : undefined;
  const version = p.ec.stationVersion ?? 1;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...(p.timeouts ?? {}) };
  const registry = (): Registry => ({
    ecs: [
      {
        fiscalCode: p.ec.idPA,
        companyName: p.ec.companyName ?? p.name,
        enabled: true,
        ibans: p.ec.ibans ?? [],
        stations: [{ idStation: p.ec.idStation, auxDigit: p.ec.auxDigit, code: p.ec.auxDigit === 3 ? p.ec.segregationCode : p.ec.auxDigit === 0 ? p.ec.applicationCode : undefined }],
      },
      // secondary ECs served by the same station (multi-beneficiary receipts, NM-MB-PAY-01)
      ...(p.ec.secondaryEcs ?? []).map((fc) => ({
        fiscalCode: fc,
        companyName: `Ente beneficiario ${fc}`,
        enabled: true,
        ibans: embedded ? [derivedIban(fc)] : [],
        stations: [{ idStation: p.ec.idStation, auxDigit: p.ec.auxDigit, code: p.ec.auxDigit === 3 ? p.ec.segregationCode : p.ec.auxDigit === 0 ? p.ec.applicationCode : undefined }],
      })),
    ],
    brokersPa: [{ idBrokerPA: p.ec.idBrokerPA, enabled: true }],
    stations: [{ idStation: p.ec.idStation, idBrokerPA: p.ec.idBrokerPA, enabled: true, serviceActive: true, url: stationUrl, version, headers: p.endpoint.headers, tls }],
    ...harnessPspEntries(),
  });
  const redactHeaders = Object.keys(p.endpoint.headers ?? {});
  return {
    redactHeaders,
    offers: (f) => featureOn(p, f),
    async open(def) {
      const journal = new Journal(clock);
      const faults = new Faults();
      // a scenario may pin the primitive version (V2 ones need features.v2, checked by the runner)
      const v = def.primitives === 'v2' ? 2 : def.primitives === 'v1' ? 1 : version;
      const reg = registry();
      reg.stations[0]!.version = v;
      // the emulated PSP journals its own calls, so the Nodo does not journal them again
      const nodo = new ReferenceNodo({ clock, registry: reg, journal: () => journal, faults: () => faults, timeouts, journalInbound: false });
      const { url } = await nodo.start();
      const psp = new EmulatedPsp({ nodoUrl: url, clock, journal });
      const ctx = new EcContext(
        [def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e)],
        nodo,
        psp,
        { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, version: v, url: stationUrl },
        timeouts,
        notices,
        provisioningUrl,
        platform,
        reference ? reference.baseUrl : undefined,
        trigger,
      );
      platform.bind({ journal, psp });
      return {
        ctx,
        close: async () => {
          platform.bind(undefined);
          await nodo.stop();
        },
      };
    },
    async close() {
      await transport?.close();
      await platform.stop();
      await reference?.stop();
    },
  };
}
