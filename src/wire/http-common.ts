// What every HTTP server and client of ours shares, whatever it carries (SOAP, JSON): TLS options,
// keep-alive agents, one exchange with a deadline, the body-size limit, refusal of request targets
// no handler can read, CONNECT hardening, listening, and the two transport faults that withhold an
// answer (no answer, reset).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';

export const DEFAULT_MAX_BODY = 1024 * 1024;

export interface TlsClientOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
}
export interface TlsServerOptions {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
  requestCert?: boolean;
}

export type Transport = 'ok' | 'timeout' | 'refused' | 'reset' | 'error';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

// ---------------- client ----------------

/** Keep-alive pools, one per wire: a JSON call never waits behind SOAP traffic to the same peer. */
export type Pool = 'soap' | 'rest';
const pools = { soap: new http.Agent({ keepAlive: true, maxSockets: 64 }), rest: new http.Agent({ keepAlive: true, maxSockets: 64 }) };
const tlsAgents = new Map<string, https.Agent>();

export function agentFor(url: URL, tls?: TlsClientOptions, pool: Pool = 'soap'): http.Agent {
  if (url.protocol !== 'https:') return pools[pool];
  const key = JSON.stringify([pool, tls?.ca?.toString().length, tls?.cert?.toString().slice(0, 64), tls?.rejectUnauthorized]);
  let a = tlsAgents.get(key);
  if (!a) {
    a = new https.Agent({ keepAlive: true, ca: tls?.ca, cert: tls?.cert, key: tls?.key, rejectUnauthorized: tls?.rejectUnauthorized ?? true });
    tlsAgents.set(key, a);
  }
  return a;
}

/** On a virtual clock, the real time we give the peer before calling it a timeout. */
export function realLimitOf(clock: Clock, timeoutMs: number, realCapMs?: number): number {
  return clock.virtual ? Math.min(timeoutMs, realCapMs ?? 5000) : timeoutMs;
}

export interface HttpAnswer {
  transport: Transport;
  status?: number;
  headers?: Record<string, string>;
  bytes?: Buffer;
  error?: string;
}

/** One request on a keep-alive agent; `realLimitMs` of real time before it is a timeout. Never rejects. */
export function sendHttp(o: { url: URL; method: string; headers: Record<string, string | number>; body?: string; tls?: TlsClientOptions; realLimitMs: number; timeoutMs: number; pool?: Pool }): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve) => {
    const lib = o.url.protocol === 'https:' ? https : http;
    const req = lib.request(o.url, { method: o.method, headers: o.headers, agent: agentFor(o.url, o.tls, o.pool) }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c: Buffer) => chunks.push(c));
      const headers = Object.fromEntries(Object.entries(resp.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
      resp.on('end', () => resolve({ transport: 'ok', status: resp.statusCode, headers, bytes: Buffer.concat(chunks) }));
      resp.on('error', (e) => resolve({ transport: 'reset', error: e.message }));
      resp.on('aborted', () => resolve({ transport: 'reset', error: 'response aborted' }));
    });
    const timer = setTimeout(() => {
      req.destroy(new Error('deadline'));
      resolve({ transport: 'timeout', error: `no answer within ${o.timeoutMs} ms` });
    }, o.realLimitMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.message === 'deadline') return;
      const t: Transport = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'error';
      resolve({ transport: t, error: `${e.code ?? ''} ${e.message}`.trim() });
    });
    req.on('close', () => clearTimeout(timer));
    req.end(o.body);
  });
}

// ---------------- server ----------------

/** Why a request target cannot be served (undefined when it can): a URL that does not parse or
 *  whose path has bad percent-encoding. Handlers then never see it, so none of them can throw on it. */
export function badRequestTarget(target: string | undefined): string | undefined {
  const t = target ?? '';
  if (!t.startsWith('/')) return `request target "${t.slice(0, 80)}" is not an absolute path`;
  try {
    const u = new URL(t, 'http://collaudo.invalid');
    decodeURIComponent(u.pathname);
    return undefined;
  } catch {
    return `malformed request target "${t.slice(0, 80)}"`;
  }
}

/** Plain-text 4xx answer that closes the connection. */
export function refuse(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=UTF-8', connection: 'close' });
  res.end(`collaudo: ${message}\n`);
}

/** Hardening shared by every server of ours: CONNECT gets 405 instead of a silent close. */
export function guardServer(server: http.Server): void {
  server.on('connect', (_req: http.IncomingMessage, socket: import('node:stream').Duplex) => {
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
}

/** Reads a request body up to `max` bytes; `done(undefined)` when it was larger (nothing kept). */
export function collectBody(req: http.IncomingMessage, max: number, done: (bytes: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > max) {
      tooLarge = true;
      chunks.length = 0;
    } else if (!tooLarge) chunks.push(c);
  });
  req.on('end', () => done(tooLarge ? undefined : Buffer.concat(chunks)));
}

/** An http or https server (guarded) listening on host:port (0 = ephemeral). */
export async function listen(o: { host?: string; port?: number; tls?: TlsServerOptions }, onRequest: http.RequestListener): Promise<RunningServer> {
  const server = o.tls
    ? https.createServer({ cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: o.tls.requestCert ?? false, rejectUnauthorized: o.tls.requestCert ?? false }, onRequest)
    : http.createServer(onRequest);
  guardServer(server);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  return {
    url: `${o.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request headers as the journal keeps them. */
export function headersOf(h: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
}

/**
 * Holds an answer back `ms` on the clock (spent at once on a virtual clock), or until the caller
 * closes the connection: who ended the wait.
 */
export async function holdConnection(res: http.ServerResponse, clock: Clock, ms: number): Promise<'caller' | 'server'> {
  const gone = () => res.destroyed || !!res.socket?.destroyed;
  if (gone()) return 'caller';
  if (clock.virtual) {
    await clock.spend(ms);
    return gone() ? 'caller' : 'server';
  }
  const ac = new AbortController();
  const closed = new Promise<'caller'>((r) => res.once('close', () => r('caller')));
  const waited = clock.sleep(ms, ac.signal).then(
    () => 'server' as const,
    () => 'caller' as const,
  );
  try {
    return await Promise.race([closed, waited]);
  } finally {
    ac.abort();
  }
}

/**
 * A withheld answer (injected fault): 'no-answer' holds the connection (on a virtual clock the
 * caller's deadline is spent at once), then drops it; 'reset' resets the socket now.
 */
export async function withholdAnswer(kind: 'no-answer' | 'reset', res: http.ServerResponse, clock: Clock): Promise<void> {
  if (kind === 'reset') {
    res.socket?.resetAndDestroy?.() ?? res.destroy();
    return;
  }
  if (clock.virtual) await clock.spend(3_600_000);
  else await clock.sleep(60_000).catch(() => undefined);
  res.destroy();
}
