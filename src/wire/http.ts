// SOAP over HTTP: a server with a body-size limit and a keep-alive client with a deadline.
// Both journal what crosses the wire and apply the scenario's transport faults.
import type http from 'node:http';
import type { Clock } from '../core/clock.js';
import type { Correlation, Journal, JournalEntry } from '../core/journal.js';
import type { Faults, TransportFault } from '../core/faults.js';
import { type Decoded, DecodeResult, decodeEnvelope, decodeMessage, encodeSoapFault } from './soap.js';
import { type InterfacePack, type Operation, correlate, correlateMessage, mergeRules, packsAt } from './contract.js';
import { documentLabel } from './documents.js';
import { DEFAULT_MAX_BODY, type RunningServer, type TlsClientOptions, type TlsServerOptions, type Transport, badRequestTarget, collectBody, headersOf, holdConnection, listen, realLimitOf, refuse, sendHttp, withholdAnswer } from './http-common.js';

// the shared HTTP pieces stay importable from here, where the SOAP parts always found them
export { DEFAULT_MAX_BODY, badRequestTarget, guardServer, refuse } from './http-common.js';
export type { RunningServer, TlsClientOptions, TlsServerOptions, Transport } from './http-common.js';

/** Correlation keys of a message of `op`'s interface, by that interface's rule. */
function correlationOfRaw(raw: string, op: Operation): Correlation {
  const d = decodeEnvelope(raw, { validate: false });
  return d.ok ? correlateMessage(d.msg, op.pack.correlation, op.pack.deriveCorrelation) : {};
}

/** The journal's name for a document a message of `primitive` carries (e.g. nodoInviaRPT#RPT). */
export const documentPrimitive = (primitive: string, document: string): string => `${primitive}#${document}`;

type EntryBase = Pick<JournalEntry, 'exchange' | 'direction' | 'from' | 'to' | 'url' | 'correlation'>;

/**
 * Each base64 document of a message as its own journal entry, beside the message (same exchange
 * and direction): its decoded XML and its own schema verdict (issue 10, item 1).
 */
function journalDocuments(journal: Journal | undefined, base: EntryBase, msg: Decoded | undefined): void {
  if (!journal || !msg?.op) return;
  for (const d of msg.documents ?? []) {
    // the document's own keys first (each RPT of a cart has its IUV and CCP), then the message's
    const correlation = { ...base.correlation, ...correlate(d.root, msg.op.pack.correlation) };
    journal.record({ ...base, correlation, primitive: documentPrimitive(msg.op.name, d.name), raw: d.text, xsd: d.xsd, note: `${documentLabel(d)} carried base64 in <${d.element}> of ${msg.kind === 'response' ? msg.op.response : msg.op.request}` });
  }
}

/** The documents of a message we send or answer, decoded and validated (none when its interface carries none). */
function documentsOf(raw: string, op: Operation | undefined): Decoded | undefined {
  if (!op?.pack.documents.length) return undefined;
  const d = decodeEnvelope(raw, { ops: op.pack.operations });
  return d.ok && d.msg.op ? d.msg : undefined;
}

// ---------------- client ----------------

export interface CallOptions {
  url: string;
  op: Operation;
  /** the full envelope to send */
  envelope: string;
  soapAction?: string;
  from: string;
  to: string;
  timeoutMs: number;
  clock: Clock;
  journal?: Journal;
  faults?: Faults;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  /** on a virtual clock, the real time we give the peer before calling it a timeout */
  realCapMs?: number;
  note?: string;
}

export interface CallResult {
  transport: Transport;
  status?: number;
  raw?: string;
  decoded?: DecodeResult;
  latencyMs: number;
  error?: string;
  /** a response came, but after the deadline: evidence only, the caller treats it as a timeout */
  late?: boolean;
  /** the response's HTTP headers (journaled; secrets are redacted when the journal leaves the process) */
  headers?: Record<string, string>;
}

export async function soapCall(o: CallOptions): Promise<CallResult> {
  const corr = correlationOfRaw(o.envelope, o.op);
  const fault = o.faults?.take('outbound', o.op.name, corr);
  const exchange = o.journal?.newExchange() ?? 0;
  const soapAction = fault?.kind === 'wrong-soapaction' ? 'collaudoWrongOperation' : (o.soapAction ?? o.op.name);
  const envelope = fault ? distortRequest(fault, o.envelope, o.op) : o.envelope;
  const headers: Record<string, string> = {
    'content-type': 'text/xml; charset=UTF-8',
    soapaction: `"${soapAction}"`,
    ...(o.headers ?? {}),
  };
  const start = o.clock.now();
  o.journal?.record({
    exchange, direction: 'request', from: o.from, to: o.to, url: o.url, primitive: o.op.name, soapAction,
    headers, raw: envelope, correlation: corr, note: [o.note, fault ? `injected fault: ${fault.kind}` : ''].filter(Boolean).join('; ') || undefined,
  });
  journalDocuments(o.journal, { exchange, direction: 'request', from: o.from, to: o.to, url: o.url, correlation: corr }, documentsOf(envelope, o.op));
  const finish = (r: CallResult): CallResult => {
    o.journal?.record({
      exchange, direction: 'response', from: o.to, to: o.from, url: o.url, primitive: o.op.name,
      httpStatus: r.status, headers: r.headers, raw: r.raw ?? '', latencyMs: r.latencyMs,
      xsd: r.decoded?.ok ? r.decoded.msg.xsd : undefined,
      transport: r.transport === 'ok' ? undefined : r.transport,
      correlation: r.decoded?.ok ? { ...corr, ...correlateMessage(r.decoded.msg, o.op.pack.correlation, o.op.pack.deriveCorrelation) } : corr,
      note: r.late ? `answer arrived after the ${o.timeoutMs} ms deadline` : r.error,
    });
    if (r.decoded?.ok) journalDocuments(o.journal, { exchange, direction: 'response', from: o.to, to: o.from, url: o.url, correlation: corr }, r.decoded.msg);
    return r;
  };
  if (fault?.kind === 'refused') return finish({ transport: 'refused', latencyMs: 0, error: 'injected: connection refused' });
  if (fault?.kind === 'delay') await o.clock.spend(fault.ms);

  const sent = await sendHttp({
    url: new URL(o.url), method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(envelope) }, body: envelope,
    tls: o.tls, timeoutMs: o.timeoutMs, realLimitMs: realLimitOf(o.clock, o.timeoutMs, o.realCapMs),
  });
  // the answer's encoding is decided once from its bytes and charset, as for requests
  const got = sent.bytes ? decodeMessage(sent.bytes, { contentType: sent.headers?.['content-type'], ops: o.op.pack.operations }) : undefined;
  const res: { transport: Transport; status?: number; raw?: string; decoded?: DecodeResult; error?: string; headers?: Record<string, string> } =
    sent.transport === 'ok' ? { transport: 'ok', status: sent.status, headers: sent.headers, raw: got?.text, decoded: got?.decoded } : { transport: sent.transport, error: sent.error };
  let latencyMs = o.clock.now() - start;
  if (res.transport === 'timeout') latencyMs = Math.max(latencyMs, o.timeoutMs);
  if (fault?.kind === 'no-answer' && res.transport === 'ok') {
    // the peer processed the request; the answer is lost on the way back
    return finish({ transport: 'timeout', latencyMs: o.timeoutMs, raw: res.raw, status: res.status, headers: res.headers, error: 'injected: answer lost' });
  }
  if (res.transport !== 'ok') return finish({ ...res, latencyMs });
  const decoded = res.decoded ?? decodeEnvelope(res.raw ?? '', { ops: o.op.pack.operations });
  if (latencyMs > o.timeoutMs) return finish({ transport: 'timeout', status: res.status, headers: res.headers, raw: res.raw, decoded, latencyMs, late: true });
  return finish({ transport: 'ok', status: res.status, headers: res.headers, raw: res.raw, decoded, latencyMs });
}

// ---------------- server ----------------

export interface IncomingSoap {
  raw: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  soapAction?: string;
  decoded: DecodeResult;
}
export interface OutgoingSoap {
  status: number;
  body: string;
  /** content type when the answer is not SOAP (e.g. the provisioning endpoint's JSON) */
  type?: string;
  /** further response headers (a web page's redirect: Location) */
  headers?: Record<string, string>;
  /**
   * A scripted slow or silent peer: the answer is held `ms` on the clock (spent at once on a virtual
   * clock) or until the caller closes the connection; then it is sent, or with `drop` none is (the
   * connection closed, or reset). `ended` hears how the exchange ended.
   */
  hold?: { ms: number; drop?: 'close' | 'reset'; ended?: (e: HoldEnd) => void };
}
/** How a held answer ended: when, who ended it ('caller': the caller closed first), whether it was sent. */
export interface HoldEnd {
  at: number;
  by: 'caller' | 'server';
  answered: boolean;
}
export interface ServerOptions {
  name: string;
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  maxBodyBytes?: number;
  clock: Clock;
  /** the interfaces served: a request is dispatched among those mounted at its path (any of them when none is) */
  interfaces?: readonly InterfacePack[];
  /** journal and faults may change per scenario, so they are looked up per request */
  /** the journal of an exchange, by its correlation and the path it arrived at (a server may journal one interface only) */
  journal?: (corr: Correlation, path?: string) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  /** GET handler, e.g. for ?wsdl */
  get?: (path: string) => { status: number; type: string; body: string; headers?: Record<string, string> } | undefined;
  handle: (req: IncomingSoap) => Promise<OutgoingSoap>;
  /** paths served in JSON rather than SOAP (their 413 is JSON too) */
  isJson?: (path: string) => boolean;
}

export function soapActionOf(h: http.IncomingHttpHeaders): string | undefined {
  const v = h['soapaction'];
  if (typeof v !== 'string') return undefined;
  return v.trim().replace(/^"(.*)"$/, '$1');
}

/** IF-X-02: the SOAPAction header names the body's operation. Missing is judged by the caller. */
export function soapActionMismatch(soapAction: string | undefined, op: Operation): string | undefined {
  if (soapAction === undefined || soapAction === op.name) return undefined;
  return `IF-X-02: SOAPAction "${soapAction.slice(0, 80)}" does not match the body element, an ${op.name} request (expected SOAPAction "${op.name}")`;
}

/** IF-X-01: a SOAP 1.1 request travels as text/xml; an XML media type is tolerated, anything else refused. */
export function xmlContentTypeProblem(h: http.IncomingHttpHeaders): string | undefined {
  const v = h['content-type'];
  if (v === undefined) return undefined;
  const type = v.split(';')[0]!.trim().toLowerCase();
  if (/^(text|application)\/([\w.-]+\+)?xml$/.test(type)) return undefined;
  return `IF-X-01: Content-Type ${v.slice(0, 80)} is not XML; a SOAP 1.1 request is sent as Content-Type: text/xml; charset=UTF-8`;
}

export async function startSoapServer(o: ServerOptions): Promise<RunningServer> {
  return listen(o, soapRequestListener(o));
}

/** The SOAP server's request handling alone, for a server that also serves other paths (HTML pages). */
export function soapRequestListener(o: ServerOptions): http.RequestListener {
  const max = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      receive(req, res);
    } catch (e) {
      // a handler bug never takes the server down: the caller gets a SOAP fault
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'text/xml; charset=UTF-8', connection: 'close' });
      res.end(encodeSoapFault('soapenv:Server', `internal error: ${(e as Error).message}`));
    }
  };
  const receive = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? '/';
    const bad = badRequestTarget(path);
    if (bad) {
      req.resume();
      return refuse(res, 400, bad);
    }
    if (req.method === 'GET' && o.get) {
      const g = o.get(path);
      if (g) {
        res.writeHead(g.status, { ...g.headers, 'content-type': g.type });
        res.end(g.body);
        return;
      }
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' });
      res.end('collaudo: SOAP endpoints accept POST only\n');
      return;
    }
    collectBody(req, max, (bytes) => {
      if (!bytes) {
        // a JSON endpoint (provisioning, trigger hook) answers in JSON, a SOAP endpoint with a fault
        if (o.isJson?.(path)) {
          res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ error: `request body larger than ${max} bytes`, field: null }));
        } else {
          res.writeHead(413, { 'content-type': 'text/xml; charset=UTF-8', connection: 'close' });
          res.end(encodeSoapFault('soapenv:Client', `request body larger than ${max} bytes`));
        }
        return;
      }
      serve(req, res, bytes, path).catch((e: unknown) => {
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'text/xml; charset=UTF-8', connection: 'close' });
        res.end(encodeSoapFault('soapenv:Server', `internal error: ${(e as Error).message}`));
      });
    });
  };
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer, path: string) => {
    // the encoding is decided once from the bytes and the charset (soap.ts decodeMessage)
    const mounted = o.interfaces ?? [];
    const at = packsAt(mounted, path);
    const served = at.length ? at : mounted;
    const { text: raw, decoded } = decodeMessage(bytes, { contentType: req.headers['content-type'], ops: served.flatMap((k) => k.operations) });
    const corr = decoded.ok ? correlateMessage(decoded.msg, decoded.msg.op?.pack.correlation ?? mergeRules(served), decoded.msg.op?.pack.deriveCorrelation) : {};
    const journal = o.journal?.(corr, path);
    const faults = o.faults?.(corr);
    const primitive = decoded.ok ? decoded.msg.op?.name : undefined;
    const exchange = journal?.newExchange() ?? 0;
    const start = o.clock.now();
    const soapAction = soapActionOf(req.headers);
    const from = String(req.headers['x-collaudo-from'] ?? 'client');
    journal?.record({
      exchange, direction: 'request', from, to: o.name, url: path, primitive, soapAction,
      headers: headersOf(req.headers),
      raw, xsd: decoded.ok ? decoded.msg.xsd : { valid: false, errors: [decoded.message] }, correlation: corr,
    });
    journalDocuments(journal, { exchange, direction: 'request', from, to: o.name, url: path, correlation: corr }, decoded.ok ? decoded.msg : undefined);
    const fault = faults?.take('inbound', primitive, corr);
    let out: OutgoingSoap;
    try {
      if (fault?.kind === 'delay') await o.clock.spend(fault.ms);
      out = await o.handle({ raw, path, headers: req.headers, soapAction, decoded });
    } catch (e) {
      out = { status: 500, body: encodeSoapFault('soapenv:Server', `internal error: ${(e as Error).message}`) };
    }
    const applied = applyInboundFault(fault, out);
    const record = (raw2: string, status?: number, transport?: string) =>
      journal?.record({
        exchange, direction: 'response', from: o.name, to: from, url: path, primitive, httpStatus: status, raw: raw2,
        latencyMs: o.clock.now() - start, transport, correlation: corr, note: fault ? `injected fault: ${fault.kind}` : undefined,
      });
    if (applied === 'no-answer' || applied === 'reset') {
      record('', undefined, applied);
      return withholdAnswer(applied, res, o.clock);
    }
    if (applied.hold) {
      const by = await holdConnection(res, o.clock, applied.hold.ms);
      if (applied.hold.drop || by === 'caller') {
        record('', undefined, by === 'caller' ? 'closed by the caller' : applied.hold.drop === 'reset' ? 'reset' : 'no-answer');
        applied.hold.ended?.({ at: o.clock.now(), by, answered: false });
        return applied.hold.drop === 'reset' && by === 'server' ? withholdAnswer('reset', res, o.clock) : void res.destroy();
      }
      applied.hold.ended?.({ at: o.clock.now(), by, answered: true });
    }
    record(applied.body, applied.status);
    if (journal) journalDocuments(journal, { exchange, direction: 'response', from: o.name, to: from, url: path, correlation: corr }, documentsOf(applied.body, decoded.ok ? decoded.msg.op : undefined));
    res.writeHead(applied.status, { ...applied.headers, 'content-type': applied.type ?? 'text/xml; charset=UTF-8' });
    res.end(applied.body);
  };
  return onRequest;
}

function distortRequest(f: TransportFault, envelope: string, op: Operation): string {
  switch (f.kind) {
    case 'non-xml':
      return 'this is not XML';
    case 'truncated':
      return envelope.slice(0, Math.floor(envelope.length / 2));
    case 'schema-invalid':
      // an unknown element right after the request element's start tag breaks the sequence
      return envelope.replace(new RegExp(`(<(?:[\\w-]+:)?${op.request}(?:\\s[^>]*)?>)`), '$1<collaudoBogus>x</collaudoBogus>');
    default:
      return envelope;
  }
}

/** The answer a server gives instead of `out` under an inbound transport fault ('no-answer' / 'reset': none). */
export function applyInboundFault(f: TransportFault | undefined, out: OutgoingSoap): OutgoingSoap | 'no-answer' | 'reset' {
  if (!f) return out;
  switch (f.kind) {
    case 'no-answer':
    case 'refused':
      return 'no-answer';
    case 'reset':
      return 'reset';
    case 'http500':
      return { status: 500, body: f.soapFault ? encodeSoapFault('soapenv:Server', 'injected server error') : 'Internal Server Error' };
    case 'non-xml':
      return { status: 200, body: '<html><body>Service temporarily unavailable</body></html' };
    case 'truncated':
      return { status: 200, body: out.body.slice(0, Math.floor(out.body.length / 2)) };
    case 'schema-invalid':
      // an unknown element right after the wrapper's start tag breaks the sequence
      return { status: 200, body: out.body.replace(/(<(?:[\w-]+:)?\w+(?:Res|Response|Risposta)(?:\s[^>]*)?>)/, '$1<collaudoBogus>x</collaudoBogus>') };
    default:
      return out;
  }
}

