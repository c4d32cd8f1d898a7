// The reference EC's HTTP host: one server for the paForNode endpoint (SOAP_PATH), its WSDL and
// schemas, the provisioning adapter and the front end. Lifecycle and the GET routes; POSTs go to
// the EC's handler.
import { type IncomingSoap, type OutgoingSoap, type RunningServer, startSoapServer } from '../../src/wire/http.js';
import { servedSchema } from '../../src/wire/contract.js';
import { paForNode, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi } from '../../interfaces/index.js';
import { type ProvisionedEc, provisioningGet } from './provisioning-http.js';
import type { ReferenceEcOptions } from './options.js';
import type { DemandService } from './services.js';

export const SOAP_PATH = '/pagopa/paForNode';

type Answer = { status: number; type: string; body: string };

export class EcHost {
  private server?: RunningServer;

  constructor(
    private readonly opts: ReferenceEcOptions,
    private readonly routes: { get: (path: string) => Answer; post: (req: IncomingSoap) => Promise<OutgoingSoap> },
  ) {}

  get baseUrl(): string {
    if (!this.server) throw new Error('ReferenceEc is not started');
    return this.server.url;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startSoapServer({ interfaces: [paForNode, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi],
      name: this.opts.name ?? `ec:${this.opts.idStation}`,
      host: this.opts.host ?? '127.0.0.1',
      port: this.opts.port ?? 0,
      tls: this.opts.tls,
      clock: this.opts.clock,
      maxBodyBytes: this.opts.maxBodyBytes,
      journal: this.opts.journal,
      faults: this.opts.faults,
      get: (p) => this.routes.get(p),
      handle: (req) => this.routes.post(req),
      isJson: (p) => /^\/(provisioning|payment-options|collaudo|govpay)(\/|\?|$)/.test(p),
    });
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await s?.close();
  }
}

/** GET: the WSDL (?wsdl, its address the EC's), the schemas, the front end, the provisioning adapter. */
export function ecGet(ec: ProvisionedEc & { readonly url: string }, services: DemandService[], rawPath: string): Answer {
  const [p = '/', query = ''] = rawPath.split('?', 2);
  if (p === SOAP_PATH && /(^|&)wsdl(=|&|$)/i.test(query)) {
    const text = servedSchema(paForNode, 'paForNode.wsdl');
    if (text === undefined) return { status: 404, type: 'text/plain', body: 'paForNode.wsdl is not available\n' };
    const wsdl = text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${ec.url}$2`);
    return { status: 200, type: 'text/xml; charset=UTF-8', body: wsdl };
  }
  const xsd = /^\/pagopa\/([A-Za-z][A-Za-z-]*\.xsd)$/.exec(p);
  if (xsd) {
    const text = servedSchema(paForNode, xsd[1]!);
    if (text !== undefined) return { status: 200, type: 'text/xml; charset=UTF-8', body: text };
    return { status: 404, type: 'text/plain', body: `${xsd[1]} not found\n` };
  }
  return ec.frontEnd.handleGet(p, query) ?? provisioningGet(ec, services, p) ?? { status: 404, type: 'text/plain', body: `nothing at ${p}\n` };
}
