// A small JSON-over-HTTP server for the platform services the harness plays (Checkout, GPD/ACA),
// and a JSON client for the EC REST surfaces the harness calls (payment options, portal). Both
// journal every exchange (raw body, status, schema verdict, correlation keys) like the SOAP side.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import type { Correlation, Journal } from '../core/journal.js';
import type { SchemaVerdict } from './openapi.js';
import { badRequestTarget, guardServer, refuse } from './http.js';

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** parsed JSON body (undefined when empty or not JSON) */
  json?: unknown;
  jsonError?: string;
}
export interface RestResponse {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** operation name for the journal */
  operation?: string;
  /** schema verdict of the request body */
  verdict?: SchemaVerdict;
  correlation?: Correlation;
}

/** Notice numbers and fiscal codes found in a JSON body (first of each), for journal correlation. */
export function jsonCorrelation(v: unknown): Correlation {
  const c: Correlation = {};
  const walk = (x: unknown, key?: string) => {
    if (Array.isArray(x)) return x.forEach((y) => walk(y, key));
    if (x && typeof x === 'object') return Object.entries(x).forEach(([k, y]) => walk(y, k));
    if (typeof x !== 'string') return;
    if (!c.noticeNumber && /^(noticeNumber|nav|numeroAvviso)$/.test(key ?? '') && /^\d{18}$/.test(x)) c.noticeNumber = x;
    if (!c.fiscalCode && /^(fiscalCode|paFiscalCode|idDominio|organizationFiscalCode)$/.test(key ?? '') && /^\d{11}$/.test(x)) c.fiscalCode = x;
  };
  walk(v);
  return c;
}

export interface RestServer {
  url: string;
  close(): Promise<void>;
}

export async function startRestServer(o: {
  name: string;
  clock: Clock;
  journal: () => Journal | undefined;
  handle: (r: RestRequest) => Promise<RestResponse> | RestResponse;
  port?: number;
  host?: string;
}): Promise<RestServer> {
  const server = http.createServer((req, res) => {
    const bad = badRequestTarget(req.url);
    if (bad) {
      req.resume();
      return refuse(res, 400, bad);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const u = new URL(req.url ?? '/', 'http://platform.invalid');
        let json: unknown;
        let jsonError: string | undefined;
        if (raw.trim()) {
          try {
            json = JSON.parse(raw);
          } catch (e) {
            jsonError = (e as Error).message;
          }
        }
        const start = o.clock.now();
        let out: RestResponse;
        try {
          out = size > 1024 * 1024 ? { status: 413, json: { title: 'Payload Too Large', status: 413 } } : await o.handle({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, raw, json, jsonError });
        } catch (e) {
          out = { status: 500, json: { title: 'Internal Server Error', status: 500, detail: (e as Error).message } };
        }
        const journal = o.journal();
        const corr = out.correlation ?? jsonCorrelation(json);
        const exchange = journal?.newExchange() ?? 0;
        const url = `${req.method} ${u.pathname}${u.search}`;
        journal?.record({
          exchange, direction: 'request', from: String(req.headers['x-collaudo-from'] ?? 'ec'), to: o.name, url, primitive: out.operation, raw,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          xsd: out.verdict ? { valid: out.verdict.valid, errors: out.verdict.errors } : undefined, correlation: corr, at: start,
        });
        const body = out.json === undefined ? '' : JSON.stringify(out.json);
        journal?.record({ exchange, direction: 'response', from: o.name, to: 'ec', url, primitive: out.operation, httpStatus: out.status, raw: body, latencyMs: o.clock.now() - start, correlation: corr });
        res.writeHead(out.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...(out.headers ?? {}) });
        res.end(body);
      })().catch((e: unknown) => {
        // never an unhandled rejection: that would end the process
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ title: 'Internal Server Error', status: 500, detail: (e as Error).message }));
      });
    });
  });
  guardServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface RestCall {
  status?: number;
  json?: unknown;
  raw: string;
  headers: Record<string, string>;
  problem?: string;
  request?: import('../core/journal.js').JournalEntry;
  response?: import('../core/journal.js').JournalEntry;
}

/** The harness calls a REST surface of the candidate (journaled; redirects are not followed). */
export async function restCall(o: { method: string; url: string; body?: unknown; journal?: Journal; clock: Clock; from: string; to: string; operation: string; timeoutMs?: number; headers?: Record<string, string> }): Promise<RestCall> {
  const raw = o.body === undefined ? '' : JSON.stringify(o.body);
  const exchange = o.journal?.newExchange() ?? 0;
  const corr = jsonCorrelation(o.body);
  const urlPath = (() => { try { const u = new URL(o.url); const m = /notices\/(\d{18})/.exec(u.pathname); if (m && !corr.noticeNumber) corr.noticeNumber = m[1]; return `${o.method} ${u.pathname}${u.search}`; } catch { return o.url; } })();
  const request = o.journal?.record({ exchange, direction: 'request', from: o.from, to: o.to, url: urlPath, primitive: o.operation, raw, correlation: corr, headers: o.headers });
  const start = o.clock.now();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), o.timeoutMs ?? 10_000);
  try {
    const res = await fetch(o.url, { method: o.method, body: raw || undefined, headers: { ...(raw ? { 'content-type': 'application/json' } : {}), 'x-collaudo-from': o.from, ...(o.headers ?? {}) }, redirect: 'manual', signal: ac.signal });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const headers = Object.fromEntries(res.headers.entries());
    const response = o.journal?.record({ exchange, direction: 'response', from: o.to, to: o.from, url: urlPath, primitive: o.operation, httpStatus: res.status, raw: text, latencyMs: o.clock.now() - start, correlation: corr, headers });
    return { status: res.status, json, raw: text, headers, request, response, problem: text && json === undefined ? 'the body is not JSON' : undefined };
  } catch (e) {
    const response = o.journal?.record({ exchange, direction: 'response', from: o.to, to: o.from, url: urlPath, primitive: o.operation, raw: '', transport: 'error', note: (e as Error).message, correlation: corr });
    return { raw: '', headers: {}, problem: `${o.method} ${o.url}: ${(e as Error).message}`, request, response };
  } finally {
    clearTimeout(timer);
  }
}
