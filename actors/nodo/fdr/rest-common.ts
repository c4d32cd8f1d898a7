// What the two FdR 3 APIs of the reference Nodo share: the FDR error answer, the configuration
// checks against the registry (FDR-2000…2009, in the platform's order: PSP, broker, channel, EC),
// the caller's subscription key, the translation of a schema refusal into FDR-1xxx, and paging.
import type { Registry } from '../../../domain/registry.js';
import { type FdrErrorCode, fdrError, syntaxCodeOf } from '../../../domain/fdr/rest-errors.js';
import { euroOfCents, paymentsToRest } from '../../../domain/fdr/rest.js';
import type { ReportingFlow } from '../../../domain/fdr/types.js';
import type { RestRequest, RestResponse } from '../../../src/wire/rest/server.js';

/** A subscription key and what it may act for (a PSP's or broker's key names PSPs; an EC's key names ECs). */
export interface FdrApiKey {
  key: string;
  /** PSPs the key may act for on the PSP API (pspId in the path) */
  psps?: readonly string[];
  /** ECs the key may read for on the organisation API (organizationId in the path) */
  organizations?: readonly string[];
}

/** A refusal with its FDR code: the ErrorResponse, and the verdict the journal keeps (rules beyond the schema). */
export function fdrAnswer(code: FdrErrorCode, detail: string, path?: string): RestResponse {
  const json = fdrError(code, detail, path);
  return { status: json.httpStatusCode, json, verdict: { valid: false, errors: [`${code} ${json.errors[0]!.message}`] } };
}

/** A request our OpenAPI document refused, answered as FdR 3 does: the FDR-1xxx of its first refusal. */
export function syntaxAnswer(r: RestRequest): RestResponse {
  const first = r.verdict.errors[0] ?? 'body required: the request is not valid';
  const code = syntaxCodeOf(first);
  const json = fdrError(code, first);
  // every refusal named, not only the first
  json.errors.push(...r.verdict.errors.slice(1, 20).map((m) => ({ message: m })));
  return { status: json.httpStatusCode, json };
}

type Check = { code: FdrErrorCode; detail: string; path?: string } | undefined;

export function checkPsp(reg: Registry, pspId: string, path?: string): Check {
  const psp = reg.psps.find((p) => p.idPSP === pspId);
  if (!psp) return { code: 'FDR-2000', detail: `PSP ${pspId} is unknown`, path };
  if (!psp.enabled) return { code: 'FDR-2001', detail: `PSP ${pspId} is not enabled`, path };
  return undefined;
}

export function checkEc(reg: Registry, organizationId: string, path?: string): Check {
  const ec = reg.ecs.find((e) => e.fiscalCode === organizationId);
  if (!ec) return { code: 'FDR-2008', detail: `creditor institution ${organizationId} is unknown`, path };
  if (!ec.enabled) return { code: 'FDR-2009', detail: `creditor institution ${organizationId} is not enabled`, path };
  return undefined;
}

/** The sender of a flow: its broker (2002/2003), then its channel (2004/2005), bound to that broker (2006) and to the PSP (2007). */
export function checkSender(reg: Registry, pspId: string, brokerId: string, channelId: string): Check {
  const broker = reg.brokersPsp.find((b) => b.idBrokerPSP === brokerId);
  if (!broker) return { code: 'FDR-2002', detail: `PSP broker ${brokerId} is unknown`, path: 'sender.pspBrokerId' };
  if (!broker.enabled) return { code: 'FDR-2003', detail: `PSP broker ${brokerId} is not enabled`, path: 'sender.pspBrokerId' };
  const channel = reg.channels.find((c) => c.idChannel === channelId);
  if (!channel) return { code: 'FDR-2004', detail: `channel ${channelId} is unknown`, path: 'sender.channelId' };
  if (!channel.enabled) return { code: 'FDR-2005', detail: `channel ${channelId} is not enabled`, path: 'sender.channelId' };
  if (channel.idBrokerPSP !== brokerId) return { code: 'FDR-2006', detail: `channel ${channelId} belongs to broker ${channel.idBrokerPSP}, not ${brokerId}`, path: 'sender.channelId' };
  if (!channel.psps.includes(pspId)) return { code: 'FDR-2007', detail: `channel ${channelId} is not authorised for PSP ${pspId}`, path: 'sender.channelId' };
  return undefined;
}

export const answerOf = (c: NonNullable<Check>): RestResponse => fdrAnswer(c.code, c.detail, c.path);

/** The subscription key of a call (header Ocp-Apim-Subscription-Key or query subscription-key). */
function keyOf(r: RestRequest): string | undefined {
  const h = r.headers['ocp-apim-subscription-key'];
  return (Array.isArray(h) ? h[0] : h) ?? r.query.get('subscription-key') ?? undefined;
}

/**
 * The gateway's check of the caller, when the server has keys: 401 without a known key, or with a
 * key that does not act for the path's PSP / EC. Without keys every caller is let through and is
 * identified by the configuration checks alone.
 */
export function refuseCaller(keys: readonly FdrApiKey[] | undefined, r: RestRequest, scope: { psp?: string; organization?: string }): RestResponse | undefined {
  if (!keys) return undefined;
  const given = keyOf(r);
  const k = given === undefined ? undefined : keys.find((x) => x.key === given);
  const deny = (message: string): RestResponse => ({ status: 401, json: { statusCode: 401, message }, verdict: { valid: false, errors: [`caller: ${message}`] } });
  if (!k) return deny(given === undefined ? 'Access denied due to missing subscription key. Make sure to include the subscription key when making requests to an API.' : 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');
  if (scope.psp !== undefined && !(k.psps ?? []).includes(scope.psp)) return deny(`the subscription key does not act for PSP ${scope.psp}`);
  if (scope.organization !== undefined && !(k.organizations ?? []).includes(scope.organization)) return deny(`the subscription key does not read for creditor institution ${scope.organization}`);
  return undefined;
}

/** The page asked for (from 1; default size 1000): its bounds in a list of `total` elements, and the answer around its data. */
export function pageOf(r: RestRequest, total: number): { from: number; to: number; wrap: <U>(data: U[]) => { metadata: { pageSize: number; pageNumber: number; totPage: number }; count: number; data: U[] } } {
  const page = Number(r.query.get('page') ?? 1);
  const size = Number(r.query.get('size') ?? 1000);
  const from = Math.min(total, (page - 1) * size);
  return { from, to: Math.min(total, from + size), wrap: (data) => ({ metadata: { pageSize: size, pageNumber: page, totPage: Math.ceil(total / size) }, count: data.length, data }) };
}

/** One page of `items` (a page past the end is empty, not an error). */
export function paged<T, U>(items: readonly T[], r: RestRequest, map: (t: T) => U) {
  const p = pageOf(r, items.length);
  return p.wrap(items.slice(p.from, p.to).map(map));
}

/** One page of a published flow's payments: only that page is mapped (a flow may hold 100,000). */
export function pagedPayments(flow: ReportingFlow, r: RestRequest) {
  const p = pageOf(r, flow.lines.length);
  return p.wrap(paymentsToRest(flow, p.from, p.to));
}

/** A clock time as an FdR 3 Instant (with its offset). */
export const instant = (ms: number): string => new Date(ms).toISOString();

/** An Instant query parameter as clock time (already format-checked by the document). */
export function timeParam(r: RestRequest, name: string): number | undefined {
  const v = r.query.get(name);
  return v === null ? undefined : Date.parse(v);
}

export const euro = euroOfCents;
