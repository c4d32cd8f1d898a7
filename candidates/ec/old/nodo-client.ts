// The station's calls to the Nodo (NodoPerPa, P01-P13): at the URL and with the station password it
// is configured with (ReferenceEc.useNodo), every call through src/wire/http.ts soapCall, so it is
// journaled like any exchange; the request is checked against our schema before it leaves (a
// defect that means to send an invalid one says so) and the answer is validated by the call.
import type { Correlation, Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import { OLD_DEFAULT_TIMEOUTS } from '../../../domain/timeouts.js';
import { nodoPerPa, type Operation } from '../../../interfaces/index.js';
import { soapCall } from '../../../src/wire/http.js';
import { type FaultBean, decodeEnvelope, encodeEnvelope, readFault } from '../../../src/wire/soap.js';
import { type El, type NodeObj, child } from '../../../src/wire/xml.js';

/** Where the station reaches the Nodo and the password the Nodo gave it (TR-31: 8..15 characters). */
export interface NodoLink {
  url: string;
  password: string;
}

export interface NodoAnswer {
  /** an HTTP 200 answer of the operation, valid against the schema */
  usable: boolean;
  transport: string;
  httpStatus?: number;
  /** the response element (or the child it wraps) */
  body?: El;
  fault?: FaultBean;
  /** why the answer cannot be used, in words */
  problem?: string;
}

/** The EC grants the Nodo the longest wait the Nodo grants a station (an RT delivery, TR-10 → IF-X-13). */
export const NODO_CALL_TIMEOUT_MS = OLD_DEFAULT_TIMEOUTS.paaInviaRT;

export class NodoClient {
  link?: NodoLink;

  constructor(
    private readonly ids: { idBrokerPA: string; idStation: string; name: string },
    private readonly env: {
      clock: import('../../../src/core/clock.js').Clock;
      journal?: (c: Correlation) => Journal | undefined;
      faults?: (c: Correlation) => Faults | undefined;
    },
  ) {}

  /** The PA identities every NodoPerPa query starts with (identificativoIntermediarioPA … password). */
  paIds(): NodeObj {
    return { identificativoIntermediarioPA: this.ids.idBrokerPA, identificativoStazioneIntermediarioPA: this.ids.idStation, password: this.password() };
  }

  password(): string {
    if (!this.link) throw new Error('no Nodo configured: call useNodo({ url, password }) first');
    return this.link.password;
  }

  /** Calls `opName` with `content` (and its SOAP header content); `invalid` lets a defect send a schema-invalid request. */
  async call(opName: string, content: NodeObj, corr: Correlation, o: { header?: NodeObj; invalid?: boolean } = {}): Promise<NodoAnswer> {
    if (!this.link) return { usable: false, transport: 'none', problem: 'no Nodo configured (useNodo)' };
    const op = operation(opName);
    const envelope = encodeEnvelope(op, 'request', content, o.header);
    if (!o.invalid) {
      const d = decodeEnvelope(envelope, { ops: nodoPerPa.operations });
      if (!d.ok || !d.msg.xsd.valid) throw new Error(`our ${opName} request is not valid against NodoPerPa.xsd: ${d.ok ? d.msg.xsd.errors.join('; ') : d.message}`);
    }
    const r = await soapCall({
      url: this.link.url, op, envelope, from: this.ids.name, to: 'nodo', timeoutMs: NODO_CALL_TIMEOUT_MS, clock: this.env.clock,
      journal: this.env.journal?.(corr), faults: this.env.faults?.(corr),
    });
    if (r.transport !== 'ok') return { usable: false, transport: r.transport, problem: `${r.transport}${r.error ? `: ${r.error}` : ''}` };
    const d = r.decoded;
    if (!d || !d.ok) return { usable: false, transport: 'ok', httpStatus: r.status, problem: `HTTP ${r.status}: ${d && !d.ok ? d.message : 'no body'}` };
    if (d.msg.soapFault) return { usable: false, transport: 'ok', httpStatus: r.status, problem: `SOAP Fault ${d.msg.soapFault.faultcode}: ${d.msg.soapFault.faultstring}` };
    const body = op.result ? (child(d.msg.body, op.result) ?? d.msg.body) : d.msg.body;
    const usable = r.status === 200 && d.msg.kind === 'response' && d.msg.op === op && d.msg.xsd.valid;
    return {
      usable, transport: 'ok', httpStatus: r.status, body, fault: readFault(body),
      problem: usable ? undefined : `HTTP ${r.status}, ${d.msg.xsd.valid ? 'not a ' + opName + ' answer' : `answer not valid: ${d.msg.xsd.errors.slice(0, 2).join('; ')}`}`,
    };
  }
}

function operation(name: string): Operation {
  const op = nodoPerPa.operations.find((o) => o.name === name);
  if (!op) throw new Error(`NodoPerPa has no operation ${name}`);
  return op;
}
