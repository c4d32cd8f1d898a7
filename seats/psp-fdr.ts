// The PSP seat's reconciliation side (issue 12): one FlowStore per environment, shared by the Nodo of
// that environment (new model: nodeForPsp's legacy upload; old model: NodoPerPsp) and the FdR 3 REST
// server the seat starts here (on harness.listen.host, port harness.listen.fdrPort for an external
// PSP, any free port for the embedded one), and the run's calendar: real days, or the compressed day
// the profile sets for a run at real pace (fdr.dayMs). The candidate is told the FdR 3 base URL the
// way it is told the Nodo's: the embedded reference PSP directly, an external one by its configuration.
import type { Clock } from '../src/core/clock.js';
import type { Correlation, Journal } from '../src/core/journal.js';
import type { Faults } from '../src/core/faults.js';
import type { LoadedProfile, Profile } from '../src/profile/index.js';
import { readProfileFile } from '../src/profile/index.js';
import type { Registry } from '../domain/registry.js';
import { type DayScale, compressedDays, realDays } from '../domain/fdr/calendar.js';
import { FdrRestServer } from '../actors/nodo/fdr/rest-server.js';
import type { FlowStore } from '../actors/nodo/fdr/store.js';

export type FdrTransport = 'soap' | 'rest';

export interface FdrSide {
  flows: FlowStore;
  rest: FdrRestServer;
  /** FdR 3 PSP API base URL (…/fdr-psp/service/v1) */
  pspUrl: string;
  organizationUrl: string;
  /** the run's calendar */
  days: DayScale;
  /** the channels the PSP reports by (profile fdr.transports, default both) */
  transports: FdrTransport[];
}

/** The run's days: compressed when the profile says (runs at real pace), else real days in Europe/Rome. */
export function fdrDays(p: Profile, clock: Clock): DayScale {
  const dayMs = p.fdr?.dayMs;
  if (!dayMs || clock.virtual) return realDays();
  const start = clock.now();
  const real = realDays();
  const originDay = p.fdr?.originDay ?? real.dayOf(start).day;
  return compressedDays({ originMs: start, originDay, dayMs });
}

export async function startFdrSide(o: {
  loaded: LoadedProfile;
  clock: Clock;
  flows: FlowStore;
  registry: Registry | (() => Registry);
  embedded: boolean;
  journal?: (c: Correlation) => Journal | undefined;
  faults?: (c: Correlation) => Faults | undefined;
}): Promise<FdrSide> {
  const p = o.loaded.profile;
  const listen = p.harness?.listen;
  const tls = listen?.tls ? { cert: readProfileFile(o.loaded, listen.tls.cert)!, key: readProfileFile(o.loaded, listen.tls.key)!, ca: readProfileFile(o.loaded, listen.tls.ca), requestCert: listen.tls.requestCert } : undefined;
  const rest = new FdrRestServer({ clock: o.clock, registry: o.registry, flows: o.flows, journal: o.journal, faults: o.faults, host: listen?.host ?? '127.0.0.1', port: o.embedded ? 0 : (listen?.fdrPort ?? 0), tls, peer: 'psp' });
  let urls;
  try {
    urls = await rest.start();
  } catch (e) {
    throw new Error(`the harness's FdR 3 API cannot listen on ${listen?.host ?? '127.0.0.1'}:${listen?.fdrPort ?? 0} (harness.listen.fdrPort): ${(e as Error).message}`);
  }
  return { flows: o.flows, rest, pspUrl: urls.pspUrl, organizationUrl: urls.organizationUrl, days: fdrDays(p, o.clock), transports: p.fdr?.transports?.length ? [...p.fdr.transports] : ['soap', 'rest'] };
}
