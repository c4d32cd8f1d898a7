// The provisioning adapter over HTTP (JSON): create and change positions, read positions,
// receipts and the spontaneous services. Validation and its errors are ./provisioning.ts.
import type { OutgoingSoap } from '../../src/wire/http.js';
import { ProvisioningError, type UpdateInput, parseJsonBody } from './provisioning.js';
import type { DemandService } from './services.js';
import type { PositionJson, ReceiptJson } from './position-json.js';
import type { EcFrontEnd } from './frontend.js';

/** What the adapter uses of the EC: its positions, receipts, and the front end that feeds ACA. */
export interface ProvisionedEc {
  readonly frontEnd: EcFrontEnd;
  position(fiscalCode: string, noticeNumber: string): PositionJson | undefined;
  positions(): PositionJson[];
  receipts(): ReceiptJson[];
  update(fiscalCode: string, noticeNumber: string, input: UpdateInput): PositionJson;
}

type Json = { status: number; type: string; body: string };
const json = (status: number, v: unknown): Json => ({ status, type: 'application/json', body: JSON.stringify(v) });
const ONE = /^\/provisioning\/positions\/([^/]+)\/([^/]+)$/;

/** GET /provisioning/…; undefined when the path is not the adapter's. */
export function provisioningGet(ec: ProvisionedEc, services: DemandService[], p: string): Json | undefined {
  const one = ONE.exec(p);
  if (one) {
    const pos = ec.position(decodeURIComponent(one[1]!), decodeURIComponent(one[2]!));
    return pos ? json(200, pos) : json(404, { error: `no position ${one[1]}/${one[2]}`, field: null });
  }
  if (p === '/provisioning/positions') return json(200, { positions: ec.positions() });
  if (p === '/provisioning/receipts') return json(200, { receipts: ec.receipts() });
  if (p === '/provisioning/services') {
    return json(200, { services: services.map((s) => ({ idServizio: s.idServizio, idSoggettoServizio: s.idSoggettoServizio, name: s.name, root: `{${s.namespace}}${s.root}` })) });
  }
  return undefined;
}

/** POST /provisioning/positions (create) and /provisioning/positions/<fiscalCode>/<noticeNumber> (change). */
export async function provisioningPost(ec: ProvisionedEc, p: string, raw: string): Promise<OutgoingSoap> {
  // NB: startSoapServer labels every POST answer text/xml; the body here is JSON.
  try {
    if (p === '/provisioning/positions') return json(201, await ec.frontEnd.provisionExtended(parseJsonBody(raw) as Record<string, unknown>));
    const one = ONE.exec(p);
    if (one) {
      const updated = ec.update(decodeURIComponent(one[1]!), decodeURIComponent(one[2]!), parseJsonBody(raw) as UpdateInput);
      await ec.frontEnd.feedAca(updated);
      return json(200, updated);
    }
    return json(404, { error: `no provisioning operation at POST ${p}`, field: null });
  } catch (e) {
    if (e instanceof ProvisioningError) return json(e.status, { error: e.message, field: e.field });
    throw e;
  }
}
