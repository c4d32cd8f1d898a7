// A JSON-over-HTTP(S) server for REST APIs described by our OpenAPI documents: each service is an
// API mounted at a path prefix; a request is routed by method + path template to its operationId,
// validated against the operation (parameters, body; a refused one gets a 400 problem+json naming
// field and rule and never reaches the handler), answered, its answer validated against the
// status's schema (the verdict is journaled, the answer still goes out), and both legs journaled
// with correlation keys by the API's rule. Transport faults are taken per scenario, as for SOAP.
import type http from 'node:http';
import type { Clock } from '../../core/clock.js';
import type { Faults } from '../../core/faults.js';
import type { Correlation, Journal } from '../../core/journal.js';
import { DEFAULT_MAX_BODY, type RunningServer, type TlsServerOptions, badRequestTarget, collectBody, headersOf, listen, refuse, withholdAnswer } from '../http-common.js';
import { type JsonAnswer, applyJsonFault } from './faults.js';
import { type RestApi, type SchemaVerdict, correlateJson, route, validateRequest, validateResponse } from './openapi.js';

export interface RestRequest {
  method: string;
  /** the path below the service's mount point */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** parsed JSON body (undefined when empty or not JSON) */
  json?: unknown;
  jsonError?: string;
  operationId: string;
  /** path parameters of the operation's template, decoded */
  params: Record<string, string>;
  /** the request against its OpenAPI operation */
  verdict: SchemaVerdict;
}
export interface RestResponse {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** the handler's own verdict on the request (rules beyond the schema); journaled instead of the schema's */
  verdict?: SchemaVerdict;
  correlation?: Correlation;
}

export interface RestService {
  api: RestApi;
  /** path prefix the API is mounted at ('' = the root) */
  mount: string;
  handle(r: RestRequest): RestResponse | Promise<RestResponse>;
  /** told of a request the OpenAPI document refused (the server answered it 400) */
  refused?(r: RestRequest): void;
  /**
   * The answer to a request the OpenAPI document refused, when the API has its own error body
   * (FdR 3: ErrorResponse with an FDR-1xxx code); undefined keeps the default 400 problem+json.
   */
  refusal?(r: RestRequest): RestResponse | undefined;
}

export interface RestServerOptions {
  name: string;
  clock: Clock;
  services: readonly RestService[];
  /** journal and faults may change per scenario, so they are looked up per request */
  journal: (corr: Correlation) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  tls?: TlsServerOptions;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** who the journal names as the caller when the request has no x-collaudo-from header */
  peer?: string;
}

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({ type: 'about:blank', title, status, detail, ...extra });

export async function startRestServer(o: RestServerOptions): Promise<RunningServer> {
  const max = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const crash = (res: http.ServerResponse, e: unknown) => {
    // never an unhandled rejection or a thrown handler: that would end the process
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'content-type': 'application/problem+json', connection: 'close' });
    res.end(JSON.stringify(problem(500, 'Internal Server Error', (e as Error).message)));
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const bad = badRequestTarget(req.url);
      if (bad) {
        req.resume();
        return refuse(res, 400, bad);
      }
      collectBody(req, max, (bytes) => void serve(req, res, bytes).catch((e: unknown) => crash(res, e)));
    } catch (e) {
      crash(res, e);
    }
  };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer | undefined) => {
    const start = o.clock.now();
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://collaudo.invalid');
    const raw = bytes?.toString('utf8') ?? '';
    let json: unknown;
    let jsonError: string | undefined;
    if (raw.trim()) {
      try {
        json = JSON.parse(raw);
      } catch (e) {
        jsonError = (e as Error).message;
      }
    }
    // the deepest mount point holding the path serves it
    const service = o.services.filter((s) => u.pathname === s.mount || u.pathname.startsWith(`${s.mount}/`)).sort((a, b) => b.mount.length - a.mount.length)[0];
    const path = service ? u.pathname.slice(service.mount.length) || '/' : u.pathname;
    const found = service ? route(service.api, method, path) : undefined;
    const op = found && 'op' in found ? found.op : undefined;
    const r: RestRequest | undefined = op && found && 'op' in found
      ? { method, path, query: u.searchParams, headers: req.headers, raw, json, jsonError, operationId: op.id, params: found.params, verdict: validateRequest(op, { params: found.params, query: u.searchParams, headers: req.headers, json, raw, jsonError }) }
      : undefined;
    const corr: Correlation = service ? correlateJson(service.api.correlation, json, r?.params) : {};
    const journal = o.journal(corr);
    const fault = op ? o.faults?.(corr)?.take('inbound', op.id, corr) : undefined;

    let out: RestResponse;
    let own: RestResponse | undefined;
    if (!bytes) out = { status: 413, json: problem(413, 'Payload Too Large', `request body larger than ${max} bytes`) };
    else if (!service || !found) out = { status: 404, json: problem(404, 'Not Found', `no ${service ? `${service.api.name} operation` : 'API'} at ${method} ${u.pathname}`) };
    else if (!r) out = { status: 405, headers: { allow: 'allowed' in found ? found.allowed.join(', ') : '' }, json: problem(405, 'Method Not Allowed', `${method} is not an operation of ${u.pathname}`) };
    else if (!r.verdict.valid) {
      service.refused?.(r);
      try {
        own = service.refusal?.(r);
      } catch {
        own = undefined;
      }
      out = own ?? { status: 400, json: problem(400, 'Bad Request', r.verdict.errors.slice(0, 5).join('; '), { errors: r.verdict.errors }) };
    } else {
      try {
        if (fault?.kind === 'delay') await o.clock.spend(fault.ms);
        out = await service.handle(r);
      } catch (e) {
        out = { status: 500, json: problem(500, 'Internal Server Error', (e as Error).message) };
      }
    }

    const from = String(req.headers['x-collaudo-from'] ?? o.peer ?? 'client');
    const url = `${method} ${u.pathname}${u.search}`;
    const primitive = op?.id ?? 'unknown';
    const exchange = journal?.newExchange() ?? 0;
    const correlation = out.correlation ?? corr;
    const note = fault ? `injected fault: ${fault.kind}` : undefined;
    journal?.record({ exchange, direction: 'request', from, to: o.name, url, primitive, raw, headers: headersOf(req.headers), xsd: out.verdict ?? r?.verdict, correlation, at: start });
    const body = out.json === undefined ? '' : JSON.stringify(out.json);
    // the server's own refusal of a request the document does not allow is a problem+json
    const type = r && !r.verdict.valid && !own && out.status === 400 ? 'application/problem+json' : 'application/json';
    const applied = applyJsonFault(fault, { status: out.status, body, type, headers: out.headers });
    const record = (a: JsonAnswer | undefined, transport?: string) => {
      let parsed: unknown;
      try { parsed = a?.body ? JSON.parse(a.body) : undefined; } catch { parsed = undefined; }
      journal?.record({
        exchange, direction: 'response', from: o.name, to: from, url, primitive, httpStatus: a?.status, raw: a?.body ?? '', latencyMs: o.clock.now() - start,
        // the headers sent, as evidence (a redirect's Location is the answer)
        ...(a ? { headers: answerHeaders(a) } : {}),
        xsd: a && op ? validateResponse(op, a.status, a.body, parsed) : undefined, transport, correlation, note,
      });
    };
    if (applied === 'no-answer' || applied === 'reset') {
      record(undefined, applied);
      return withholdAnswer(applied, res, o.clock);
    }
    record(applied);
    res.writeHead(applied.status, answerHeaders(applied));
    res.end(applied.body);
  };
  return listen(o, onRequest);
}

/** The headers of a JSON answer as sent: its content type when it has a body, and its own. */
function answerHeaders(a: JsonAnswer): Record<string, string> {
  return { ...(a.body ? { 'content-type': a.type } : {}), ...(a.headers ?? {}) };
}
