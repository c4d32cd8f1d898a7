// The pagoPA platform services the harness plays besides the Nodo (EC seat): Checkout (carts),
// GPD and ACA, on one HTTP server with a path prefix each (/checkout, /gpd, /aca), plus GPD's
// paForNode endpoint for GPD-held notices. One instance per seat environment; the running
// scenario binds its journal and PSP (scenarios of one worker run one after the other).
import type { Clock } from '../../src/core/clock.js';
import type { Journal } from '../../src/core/journal.js';
import type { EmulatedPsp } from '../psp/client.js';
import { EmulatedCheckout } from './checkout.js';
import { EmulatedGpd } from './gpd.js';
import type { Faults } from '../../src/core/faults.js';
import type { RunningServer } from '../../src/wire/http-common.js';
import { startRestServer } from '../../src/wire/rest/server.js';
import { CHECKOUT_CARTS, GPD } from '../../interfaces/rest/index.js';

export { validateBody, OPENAPI_DIR } from '../../src/wire/rest/openapi.js';
export type { ApiDoc, SchemaVerdict } from '../../src/wire/rest/openapi.js';
export { restCall } from '../../src/wire/rest/client.js';
export type { RestCall } from '../../src/wire/rest/client.js';

export interface PlatformUrls { checkoutUrl: string; gpdUrl: string; acaUrl: string }

export class Platform {
  readonly checkout: EmulatedCheckout;
  readonly gpd: EmulatedGpd;
  private server?: RunningServer;
  private journal?: Journal;
  private faults?: Faults;
  constructor(private readonly o: { clock: Clock; idBrokerPA: string; idStation: string; port?: number; host?: string }) {
    this.checkout = new EmulatedCheckout({ clock: o.clock, baseUrl: () => this.server?.url ?? 'http://platform.invalid' });
    this.gpd = new EmulatedGpd({ clock: o.clock, journal: () => this.journal, broker: { idBrokerPA: o.idBrokerPA, idStation: o.idStation } });
  }

  async start(): Promise<PlatformUrls> {
    this.server ??= await startRestServer({
      name: 'platform',
      clock: this.o.clock,
      port: this.o.port,
      host: this.o.host,
      peer: 'ec',
      journal: () => this.journal,
      faults: () => this.faults,
      services: [
        { api: CHECKOUT_CARTS, mount: '/checkout', handle: (r) => this.checkout.handle(r), refused: (r) => this.checkout.refuse(r) },
        { api: GPD, mount: '/gpd', handle: (r) => this.gpd.handle(r) },
        { api: GPD, mount: '/aca', handle: (r) => this.gpd.handle(r) },
      ],
    });
    await this.gpd.startSoap();
    return this.urls;
  }

  get urls(): PlatformUrls {
    if (!this.server) throw new Error('Platform is not started');
    return { checkoutUrl: `${this.server.url}/checkout`, gpdUrl: `${this.server.url}/gpd`, acaUrl: `${this.server.url}/aca` };
  }

  /** The running scenario's journal, PSP and transport faults (undefined = none). */
  bind(b: { journal: Journal; psp: EmulatedPsp; faults?: Faults } | undefined): void {
    this.journal = b?.journal;
    this.faults = b?.faults;
    this.checkout.bind(b);
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    await this.gpd.stop();
  }
}
