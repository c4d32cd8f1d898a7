// The harness calls a REST API (JSON over HTTP or HTTPS), as soapCall does for SOAP: keep-alive
// agents, a deadline (on a virtual clock, a real cap), the scenario's outbound faults, both legs
// journaled with correlation keys by the API's rule, and the answer validated against the OpenAPI
// schema of its status (the verdict is returned and journaled; judging it is the caller's business).
// Redirects are not followed: a 302 is an answer.
import type { Clock } from '../../core/clock.js';
import type { Faults } from '../../core/faults.js';
import type { Correlation, Journal, JournalEntry } from '../../core/journal.js';
import type { CorrelationRule } from '../contract.js';
import { type TlsClientOptions, type Transport, realLimitOf, sendHttp } from '../http-common.js';
import { distortJsonRequest } from './faults.js';
import { type ApiOperation, type RestApi, type SchemaVerdict, correlateJson, matchTemplate, operationById, validateRequest, validateResponse } from './openapi.js';

export interface RestCallOptions {
  url: string;
  method: string;
  /** the operation of `api` (its schemas judge both legs), or just the journal's name for a call outside any document */
  operationId: string;
  api?: RestApi;
  body?: unknown;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  /** default 10 s */
  timeoutMs?: number;
  /** on a virtual clock, the real time we give the peer before calling it a timeout */
  realCapMs?: number;
  clock: Clock;
  journal?: Journal;
  faults?: Faults;
  from: string;
  to: string;
  /** correlation rule when there is no api */
  correlation?: CorrelationRule;
  note?: string;
}

export interface RestCall {
  transport: Transport;
  status?: number;
  json?: unknown;
  raw: string;
  headers: Record<string, string>;
  /** why there is no usable JSON answer (transport, not JSON) */
  problem?: string;
  /** the answer against the OpenAPI schema of its status (undefined: no schema to judge by) */
  verdict?: SchemaVerdict;
  latencyMs: number;
  /** an answer came, but after the deadline: evidence only, treated as a timeout */
  late?: boolean;
  request?: JournalEntry;
  response?: JournalEntry;
}

export const DEFAULT_REST_TIMEOUT_MS = 10_000;

/** The path parameters of the operation, read from the end of the URL's path (the API may sit below a prefix). */
function paramsOf(op: ApiOperation, pathname: string): Record<string, string> | undefined {
  const n = op.template.split('/').length - 1;
  const segs = pathname.replace(/\/+$/, '').split('/');
  return matchTemplate(op.template, `/${segs.slice(-n).join('/')}`);
}

export async function restCall(o: RestCallOptions): Promise<RestCall> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_REST_TIMEOUT_MS;
  const op = o.api ? operationById(o.api, o.operationId) : undefined;
  if (o.api && !op) throw new Error(`openapi/${o.api.name}.json has no operation ${o.operationId}`);
  let url: URL | undefined;
  try {
    url = new URL(o.url);
  } catch {
    url = undefined;
  }
  const params = op && url ? (paramsOf(op, url.pathname) ?? {}) : {};
  const corr: Correlation = correlateJson(o.api?.correlation ?? o.correlation ?? {}, o.body, params);
  const fault = o.faults?.take('outbound', o.operationId, corr);
  const raw = distortJsonRequest(fault, o.body === undefined ? '' : JSON.stringify(o.body));
  const headers: Record<string, string> = { ...(raw ? { 'content-type': 'application/json' } : {}), 'x-collaudo-from': o.from, ...(o.headers ?? {}) };
  const where = url ? `${o.method} ${url.pathname}${url.search}` : o.url;
  const exchange = o.journal?.newExchange() ?? 0;
  const sentVerdict = op && url && (op.body || op.parameters.length) ? validateRequest(op, { params, query: url.searchParams, headers, raw, json: raw ? safeJson(raw) : undefined }) : undefined;
  const request = o.journal?.record({
    exchange, direction: 'request', from: o.from, to: o.to, url: where, primitive: o.operationId, raw, headers, xsd: sentVerdict, correlation: corr,
    note: [o.note, fault ? `injected fault: ${fault.kind}` : ''].filter(Boolean).join('; ') || undefined,
  });
  const start = o.clock.now();
  const finish = (r: Omit<RestCall, 'request' | 'response' | 'raw' | 'headers'> & { raw?: string; headers?: Record<string, string>; error?: string }): RestCall => {
    const response = o.journal?.record({
      exchange, direction: 'response', from: o.to, to: o.from, url: where, primitive: o.operationId, httpStatus: r.status, headers: r.headers, raw: r.raw ?? '',
      latencyMs: r.latencyMs, xsd: r.verdict, transport: r.transport === 'ok' ? undefined : r.transport, correlation: corr,
      note: r.late ? `answer arrived after the ${timeoutMs} ms deadline` : r.error,
    });
    const problem = r.transport !== 'ok' ? `${o.method} ${o.url}: ${r.error ?? r.transport}` : r.raw && r.json === undefined ? 'the body is not JSON' : undefined;
    return { transport: r.transport, status: r.status, json: r.json, raw: r.raw ?? '', headers: r.headers ?? {}, problem, verdict: r.verdict, latencyMs: r.latencyMs, late: r.late, request, response };
  };
  if (!url) return finish({ transport: 'error', latencyMs: 0, error: `invalid URL ${o.url}` });
  if (fault?.kind === 'refused') return finish({ transport: 'refused', latencyMs: 0, error: 'injected: connection refused' });
  if (fault?.kind === 'delay') await o.clock.spend(fault.ms);

  const res = await sendHttp({ url, method: o.method, headers: raw ? { ...headers, 'content-length': Buffer.byteLength(raw) } : headers, body: raw || undefined, tls: o.tls, pool: 'rest', timeoutMs, realLimitMs: realLimitOf(o.clock, timeoutMs, o.realCapMs) });
  let latencyMs = o.clock.now() - start;
  if (res.transport !== 'ok') {
    if (res.transport === 'timeout') latencyMs = Math.max(latencyMs, timeoutMs);
    // the deadline passed before the connection dropped (a peer holding it on a virtual clock): a timeout
    const transport = latencyMs > timeoutMs ? 'timeout' : res.transport;
    return finish({ transport, latencyMs, error: transport === res.transport ? res.error : `no answer within ${timeoutMs} ms (then ${res.error ?? res.transport})` });
  }
  const text = res.bytes?.toString('utf8') ?? '';
  const json = text ? safeJson(text) : undefined;
  const verdict = op && res.status !== undefined ? validateResponse(op, res.status, text, json) : undefined;
  const got = { status: res.status, headers: res.headers, raw: text, json, verdict };
  // the peer processed the request; the answer is lost on the way back
  if (fault?.kind === 'no-answer') return finish({ ...got, transport: 'timeout', latencyMs: timeoutMs, json: undefined, error: 'injected: answer lost' });
  if (latencyMs > timeoutMs) return finish({ ...got, transport: 'timeout', latencyMs, late: true });
  return finish({ ...got, transport: 'ok', latencyMs });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
