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
import path from 'node:path';
import { Clock, RealClock, VirtualClock } from '../src/core/clock.js';
import { Ledger, ScenarioLedger } from '../src/core/ledger.js';
import { type ScenarioDef, judgesAny } from '../src/core/scenario.js';
import type { RegisterOptions, SeatEnv } from '../src/core/runner.js';
import { EMBEDDED_PSP, LoadedProfile, clientTls, loadProfile, modelsOf, offersFeature } from '../src/profile/index.js';
import { requiredTrigger } from '../src/triggers/from-profile.js';
import { evidencePath } from '../reports/evidence.js';
import { EmulatedPsp } from '../actors/psp/client.js';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import { PSP_DEFECTS, type PspDefect, isPspDefect } from '../candidates/psp/defects.js';
import { PACKAGE_ROOT } from './ec.js';
import { PspJournal, PspRouter } from './psp-routing.js';
import { pspTiming } from './psp-timing.js';
import { candidateOf, startPspCounterpart } from './psp-counterpart.js';
import { CHECKOUT } from '../domain/harness-parties.js';
import { saveLedger } from './ledger-files.js';
import { saveUnattributed } from './unattributed-files.js';
import { PspContext, type PspRuntime } from './psp-context.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { startFdrSide } from './psp-fdr.js';

export { PspJournal };
export { PspContext, type Position, type PspRuntime, type TriggerHandle } from './psp-context.js';

export const REFERENCE_PSP_PROFILE = path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-psp.yaml');





/**
 * Mutant runs: a defect of the new-model reference PSP meets the new model's scenarios that judge a
 * requirement it violates (only their checks can catch it on target; the baseline runs them all).
 */
export const meetsNewPspModel = (defect: string, def: ScenarioDef<never>): boolean =>
  isPspDefect(defect) && judgesAny(def, PSP_DEFECTS.find((d) => d.id === defect)?.catches ?? []);

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

  // one ledger for the run; a receipt the shared Nodo settles is the scenario's that owns its keys
  const ledger = new Ledger();
  // one flow store for the environment: the Nodo's SOAP upload and the FdR 3 server publish into it
  const flows = new FlowStore(clock, ledger);
  const cp = await startPspCounterpart(loaded, clock, {
    flows,
    journal: (c) => router.journal(c),
    faults: (c) => router.faults(c),
    intercept: (op, c, body) => router.intercept(op, c, body),
    ledger: new ScenarioLedger(ledger, (x) => ('receiptId' in x ? router.ownerOf({ noticeNumber: x.noticeNumber, paymentToken: x.receiptId })?.id : undefined)),
  });
  const { ec, nodo, nodoUrl, inbox, timeouts } = cp;
  const fdr = await startFdrSide({ loaded, clock, flows, registry: cp.registry, embedded, journal: (c) => router.journal(c), faults: (c) => router.faults(c) ?? router.claimedFaults('createFlow') }).catch(async (e: Error) => {
    await cp.stop();
    throw e;
  });

  // ---- the candidate: embedded reference PSP or an external system
  let reference: ReferencePsp | undefined;
  let pspForNodeUrl = p.endpoint.url;
  let triggerUrl = p.trigger!.http?.url;
  if (embedded) {
    reference = new ReferencePsp({ clock, nodoUrl, ids: candidate, defects: settings.mutant ? [settings.mutant as PspDefect] : [] });
    const r = await reference.start();
    pspForNodeUrl = r.pspForNodeUrl;
    reference.fdr.endpoints.fdrPsp = fdr.pspUrl;
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
    fdr,
  };
  return {
    redactHeaders: Object.keys(p.endpoint.headers ?? {}),
    offers: (f, m) => offersFeature(p, f, m),
    certifies: (m) => modelsOf(p).includes(m),
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
      const ctx = new PspContext([def.id, p, clock, journal, faults, (e) => evidencePath(def.id, e), new ScenarioLedger(ledger, def.id)], rt, slot, harnessPsp, checkout);
      return {
        ctx,
        close: async () => {
          await reference?.idle();
          router.close(slot);
        },
      };
    },
    async close() {
      saveUnattributed('psp', router.unattributed.entries);
      saveLedger(ledger);
      await reference?.stop();
      await transport.close();
      await fdr.rest.stop();
      await cp.stop();
    },
  };
}
