// Reconciliation at the EC seat: ONE FlowStore per run (per EcParts), shared by every new-model Nodo a
// scenario starts (nodeForPa list / download), the old-model Nodo (NodoPerPa) and the FdR 3 REST server
// started here (organisation reads; harness.fdr fixes its address for a real EC, any free port otherwise).
// The running scenario binds its journal, faults and the Nodo's configuration; the REST server reads them.
import type { Clock } from '../src/core/clock.js';
import type { Faults } from '../src/core/faults.js';
import type { Journal } from '../src/core/journal.js';
import type { Registry } from '../domain/registry.js';
import type { Profile } from '../src/profile/index.js';
import { FlowStore } from '../actors/nodo/fdr/store.js';
import { FdrRestServer, type FdrRestUrls } from '../actors/nodo/fdr/rest-server.js';

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

  constructor(clock: Clock, private readonly p: Profile) {
    this.flows = new FlowStore(clock);
    this.rest = new FdrRestServer({
      clock,
      flows: this.flows,
      registry: () => this.bound?.registry ?? { ecs: [], brokersPa: [], stations: [], psps: [], brokersPsp: [], channels: [] },
      journal: () => this.bound?.journal,
      faults: () => this.bound?.faults,
      host: p.harness?.fdr?.host,
      port: p.harness?.fdr?.port,
      peer: 'ec',
    });
  }

  async start(): Promise<FdrRestUrls> {
    this.urls = await this.rest.start().catch((e: Error) => {
      throw new Error(`the harness's FdR 3 server cannot listen on ${this.p.harness?.fdr?.host ?? '127.0.0.1'}:${this.p.harness?.fdr?.port ?? 0} (harness.fdr): ${e.message}`);
    });
    return this.urls;
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
