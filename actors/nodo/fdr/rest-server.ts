// The reference Nodo's FdR 3 REST server: the PSP API at /fdr-psp/service/v1 and the organisation
// API at /fdr-org/service/v1 (the official base paths, so a client only changes its host), on
// THE REST transport (src/wire/rest): every request and answer validated against our OpenAPI
// documents and journaled. A request the document refuses gets the platform's ErrorResponse with
// its FDR-1xxx code; no input ends the process (an unexpected fault is FDR-0500).
import type { Clock } from '../../../src/core/clock.js';
import type { Faults } from '../../../src/core/faults.js';
import type { Correlation, Journal } from '../../../src/core/journal.js';
import type { Registry } from '../../../domain/registry.js';
import type { RunningServer, TlsServerOptions } from '../../../src/wire/http-common.js';
import { type RestRequest, type RestResponse, startRestServer } from '../../../src/wire/rest/server.js';
import { FDR_ORGANIZATION, FDR_PSP } from '../../../interfaces/rest/index.js';
import { FdrDrafts } from './drafts.js';
import { type FdrApiKey, fdrAnswer, refuseCaller, syntaxAnswer } from './rest-common.js';
import { handlePsp } from './rest-psp.js';
import { handleOrganization } from './rest-organization.js';
import type { FlowStore } from './store.js';

export const FDR_PSP_MOUNT = '/fdr-psp/service/v1';
export const FDR_ORGANIZATION_MOUNT = '/fdr-org/service/v1';

export interface FdrRestServerOptions {
  clock: Clock;
  /** the platform's configuration (a function when the running scenario may change it) */
  registry: Registry | (() => Registry);
  /** the run's published flows, shared with the SOAP side */
  flows: FlowStore;
  /** the journal of the running scenario (looked up per request) */
  journal?: (corr: Correlation) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  /** subscription keys; without them callers are identified by the configuration checks alone */
  apiKeys?: readonly FdrApiKey[];
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  /** the journal's name for a caller that sends no x-collaudo-from header */
  peer?: string;
}

export interface FdrRestUrls {
  /** base URL of the PSP API (…/fdr-psp/service/v1) */
  pspUrl: string;
  /** base URL of the organisation API (…/fdr-org/service/v1) */
  organizationUrl: string;
}

/** Never a thrown handler: an unexpected fault is the platform's FDR-0500. */
function guarded(f: () => RestResponse): RestResponse {
  try {
    return f();
  } catch (e) {
    return fdrAnswer('FDR-0500', `unexpected error: ${(e as Error).message}`);
  }
}

export class FdrRestServer {
  /** the PSPs' drafts (CREATED / INSERTED) */
  readonly drafts: FdrDrafts;
  private server?: RunningServer;
  private readonly registry: () => Registry;

  constructor(private readonly o: FdrRestServerOptions) {
    this.drafts = new FdrDrafts(o.clock, o.flows);
    const reg = o.registry;
    this.registry = typeof reg === 'function' ? reg : () => reg;
  }

  async start(): Promise<FdrRestUrls> {
    const o = this.o;
    const psp = { registry: this.registry, drafts: this.drafts, flows: o.flows, apiKeys: o.apiKeys };
    const org = { ...psp, clock: o.clock };
    // a refused request is first the gateway's business (the key), then FDR-1xxx
    const refusal = (scope: 'psp' | 'organization') => (r: RestRequest) =>
      guarded(() => refuseCaller(o.apiKeys, r, scope === 'psp' ? { psp: r.params['pspId'] } : { organization: r.params['organizationId'] }) ?? syntaxAnswer(r));
    this.server ??= await startRestServer({
      name: 'nodo',
      clock: o.clock,
      host: o.host,
      port: o.port,
      tls: o.tls,
      peer: o.peer,
      journal: (c) => o.journal?.(c),
      faults: (c) => o.faults?.(c),
      services: [
        { api: FDR_PSP, mount: FDR_PSP_MOUNT, handle: (r) => guarded(() => handlePsp(psp, r)), refusal: refusal('psp') },
        { api: FDR_ORGANIZATION, mount: FDR_ORGANIZATION_MOUNT, handle: (r) => guarded(() => handleOrganization(org, r)), refusal: refusal('organization') },
      ],
    });
    return this.urls;
  }

  get urls(): FdrRestUrls {
    if (!this.server) throw new Error('the FdR 3 server is not started');
    return { pspUrl: `${this.server.url}${FDR_PSP_MOUNT}`, organizationUrl: `${this.server.url}${FDR_ORGANIZATION_MOUNT}` };
  }

  /** the server's root URL (the Pact provider's base URL) */
  get url(): string {
    if (!this.server) throw new Error('the FdR 3 server is not started');
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
