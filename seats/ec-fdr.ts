// Reconciliation at the EC seat: ONE FlowStore per run (per EcParts), shared by every new-model Nodo a
// scenario starts (nodeForPa list / download), the old-model Nodo (NodoPerPa) and the FdR 3 REST server
// started here (organisation reads; fdr.listen fixes its address for a real EC, any free port otherwise).
// The running scenario binds its journal, faults and the Nodo's configuration; the REST server reads them.
import type { Clock } from '../src/core/clock.js';
import type { Faults } from '../src/core/faults.js';
import type { Journal } from '../src/core/journal.js';
import type { Registry } from '../domain/registry.js';
import { type FdrSettings, type Profile, fdrSettings } from '../src/profile/index.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { FdrRestServer, type FdrRestUrls } from '../actors/nodo/fdr/rest-server.js';
import { type DayScale, compressedDays } from '../domain/fdr/calendar.js';
import { isoDate } from '../src/core/clock.js';

export interface EcFdrBinding {
  journal: Journal;
  faults: Faults;
  registry: Registry;
}

export class EcFdr {
  readonly flows: FlowStore;
  readonly rest: FdrRestServer;
  private bound?: EcFdrBinding;
  /** the embedded reference EC's reconciliation: resolves when the rounds it started have ended (undefined for a real EC) */
  settle?: () => Promise<void>;
  private urls?: FdrRestUrls;

  /**
   * The calendar the harness's flows are dated on: compressed to fdr.dayMs from the run's start (on
   * fdr.originDay, else today; a run at real pace passes D+2 in minutes), else undefined (the clock's own days).
   */
  readonly days?: DayScale;

  private readonly settings: FdrSettings;

  constructor(private readonly clock: Clock, p: Profile) {
    this.flows = new FlowStore(clock);
    this.settings = fdrSettings(p);
    const { dayMs, originDay, listen } = this.settings;
    if (dayMs) this.days = compressedDays({ originMs: clock.now(), originDay: originDay ?? isoDate(clock.now()), dayMs });
    this.rest = new FdrRestServer({
      clock,
      flows: this.flows,
      registry: () => this.bound?.registry ?? { ecs: [], brokersPa: [], stations: [], psps: [], brokersPsp: [], channels: [] },
      journal: () => this.bound?.journal,
      faults: () => this.bound?.faults,
      host: listen.host,
      port: listen.port,
      peer: 'ec',
    });
  }

  async start(): Promise<FdrRestUrls> {
    this.urls = await this.rest.start().catch((e: Error) => {
      const { host, port } = this.settings.listen;
      throw new Error(`the harness's FdR 3 server cannot listen on ${host}:${port} (fdr.listen): ${e.message}`);
    });
    return this.urls;
  }

  /** The calendar day of clock time `ms` for the flows' dates (compressed when the profile says so). */
  dayOf(ms = this.clock.now()): string {
    return this.days ? this.days.dayOf(ms).day : isoDate(ms);
  }

  /** the organisation API's base URL the candidate EC reads (…/fdr-org/service/v1) */
  get organizationUrl(): string {
    return this.rest.urls.organizationUrl;
  }
  get pspUrl(): string {
    return this.rest.urls.pspUrl;
  }

  /** The running scenario's journal, faults and the Nodo's configuration (undefined: none running). */
  bind(b: EcFdrBinding | undefined): void {
    this.bound = b;
  }

  stop(): Promise<void> {
    return this.rest.stop();
  }
}
