// The PSP seat's reconciliation side (issue 12): one FlowStore per environment, shared by the Nodo of
// that environment (new model: nodeForPsp's legacy upload; old model: NodoPerPsp) and the FdR 3 REST
// server the seat starts here (where fdr.listen says for an external PSP, any free port for the
// embedded one; TLS as the Nodo's, harness.listen.tls), and the run's calendar: real days, or the
// compressed day the profile sets for a run at real pace (fdr.dayMs). The candidate is told the FdR 3 base URL the
// way it is told the Nodo's: the embedded reference PSP directly, an external one by its configuration.
import type { Clock } from '../src/core/clock.js';
import type { Correlation, Journal } from '../src/core/journal.js';
import type { Faults } from '../src/core/faults.js';
import type { FdrTransport, LoadedProfile, Profile } from '../src/profile/index.js';
import { fdrSettings, readProfileFile } from '../src/profile/index.js';
import type { Registry } from '../domain/registry.js';
import { type DayScale, compressedDays, realDays } from '../domain/fdr/calendar.js';
import { FdrRestServer } from '../actors/nodo/fdr/rest-server.js';
import type { FlowStore } from '../actors/nodo/fdr/store.js';

export type { FdrTransport };

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
  const { dayMs, originDay: origin } = fdrSettings(p);
  if (!dayMs || clock.virtual) return realDays();
  const start = clock.now();
  const originDay = origin ?? realDays().dayOf(start).day;
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
  const settings = fdrSettings(p);
  const listen = { host: settings.listen.host, port: o.embedded ? 0 : settings.listen.port };
  const t = p.harness?.listen?.tls;
  const tls = t ? { cert: readProfileFile(o.loaded, t.cert)!, key: readProfileFile(o.loaded, t.key)!, ca: readProfileFile(o.loaded, t.ca), requestCert: t.requestCert } : undefined;
  const rest = new FdrRestServer({ clock: o.clock, registry: o.registry, flows: o.flows, journal: o.journal, faults: o.faults, ...listen, tls, peer: 'psp' });
  let urls;
  try {
    urls = await rest.start();
  } catch (e) {
    throw new Error(`the harness's FdR 3 API cannot listen on ${listen.host}:${listen.port} (fdr.listen): ${(e as Error).message}`);
  }
  return { flows: o.flows, rest, pspUrl: urls.pspUrl, organizationUrl: urls.organizationUrl, days: fdrDays(p, o.clock), transports: settings.transports };
}
