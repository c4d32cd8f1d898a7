// The pagoPA platform services the harness plays besides the Nodo (EC seat): Checkout (carts),
// GPD and ACA, on one HTTP server with a path prefix each (/checkout, /gpd, /aca), plus GPD's
// paForNode endpoint for GPD-held notices. One instance per seat environment; the running
// scenario binds its journal and PSP (scenarios of one worker run one after the other).
import type { Clock } from '../../src/core/clock.js';
import type { Journal } from '../../src/core/journal.js';
import type { EmulatedPsp } from '../psp/client.js';
import { EmulatedCheckout } from './checkout.js';
import { EmulatedGpd } from './gpd.js';
import { type RestServer, startRestServer } from '../../src/wire/rest.js';

export { validateBody, OPENAPI_DIR } from '../../src/wire/openapi.js';
export type { ApiDoc, SchemaVerdict } from '../../src/wire/openapi.js';
export { restCall, jsonCorrelation } from '../../src/wire/rest.js';
export type { RestCall } from '../../src/wire/rest.js';

export interface PlatformUrls { checkoutUrl: string; gpdUrl: string; acaUrl: string }

export class Platform {
  readonly checkout: EmulatedCheckout;
  readonly gpd: EmulatedGpd;
  private server?: RestServer;
  private journal?: Journal;
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
      journal: () => this.journal,
      handle: async (r) => {
        const strip = (p: string) => ({ ...r, path: r.path.slice(p.length) || '/' });
        if (r.path.startsWith('/checkout/')) {
          const res = this.checkout.handle(strip('/checkout'));
          return res;
        }
        if (r.path.startsWith('/gpd/')) return this.gpd.handle(strip('/gpd'));
        if (r.path.startsWith('/aca/')) return this.gpd.handle(strip('/aca'));
        return { status: 404, operation: 'unknown', json: { title: 'Not Found', status: 404, detail: `nothing at ${r.path}` } };
      },
    });
    await this.gpd.startSoap();
    return this.urls;
  }

  get urls(): PlatformUrls {
    if (!this.server) throw new Error('Platform is not started');
    return { checkoutUrl: `${this.server.url}/checkout`, gpdUrl: `${this.server.url}/gpd`, acaUrl: `${this.server.url}/aca` };
  }

  /** The running scenario's journal and PSP (undefined = none). */
  bind(b: { journal: Journal; psp: EmulatedPsp } | undefined): void {
    this.journal = b?.journal;
    this.checkout.bind(b);
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    await this.gpd.stop();
  }
}
