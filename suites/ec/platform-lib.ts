// Helpers of the scenarios that need the platform services the harness plays besides the Nodo
// (Checkout, GPD/ACA) or EC surfaces beyond paForNode (provisioning extensions, payment options,
// intermediary portal), and the way the harness asks the candidate EC to act (EC-initiated flows).
import type { EcContext } from '../../src/seats/ec.js';
import type { Notice } from '../../src/scenario.js';
import { ReferenceNodo } from '../../mocks/nodo/index.js';
import { EmulatedPsp } from '../../mocks/psp/client.js';
import { harnessPspEntries, type Registry } from '../../src/registry.js';
import { restCall, validateBody, type ApiDoc, type RestCall } from '../../mocks/platform/index.js';
import type { Platform } from '../../mocks/platform/index.js';
import type { JournalEntry } from '../../src/journal.js';

export function platformOf(t: EcContext): Platform {
  if (!t.platform) return t.inconclusive('the harness platform services (Checkout, GPD/ACA) are not running');
  return t.platform;
}

/**
 * Asks the candidate EC to act (start a Checkout cart, create a GPD position …): the request of
 * the trigger contract (scenarioId, action, fiscal code, notice number, amount, deadline). The
 * embedded reference EC receives it on its HTTP hook (POST /collaudo/trigger); an external
 * candidate needs the trigger contract (src/triggers), and until the profile names a trigger the
 * scenario ends INCONCLUSIVE ("nothing in time").
 */
export async function askEc(t: EcContext, action: string, o: { notice?: Notice; amountCents?: number; params?: Record<string, unknown>; deadlineMs?: number } = {}): Promise<Record<string, unknown>> {
  const deadlineMs = o.deadlineMs ?? 30_000;
  const request = {
    scenarioId: t.scenarioId,
    action,
    fiscalCode: o.notice?.fiscalCode ?? t.station.idPA,
    noticeNumber: o.notice?.noticeNumber,
    amountCents: o.amountCents ?? o.notice?.amountCents,
    deadline: new Date(t.clock.now() + deadlineMs).toISOString(),
    params: o.params ?? {},
  };
  if (!t.embeddedEcUrl) return t.inconclusive(`the candidate must be asked to act (${action}) and the profile names no trigger for EC-initiated flows`);
  const r = await restCall({ method: 'POST', url: `${t.embeddedEcUrl}/collaudo/trigger`, body: request, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-trigger', operation: `trigger:${action}`, timeoutMs: deadlineMs });
  if (r.status === undefined) return t.inconclusive(`the trigger ${action} got no answer in time: ${r.problem}`);
  return (r.json as Record<string, unknown>) ?? {};
}

/** POST to the provisioning contract with the extended fields (plan, notificationFeeCents …). */
export async function provisionExt(t: EcContext, body: Record<string, unknown>): Promise<Record<string, unknown> & { fiscalCode: string; noticeNumber: string; amountCents: number }> {
  if (!t.provisioningUrl) return t.inconclusive('this scenario needs positions created on demand: the profile offers no provisioning endpoint');
  const r = await restCall({ method: 'POST', url: t.provisioningUrl, body, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-provisioning', operation: 'provision' });
  if (r.status !== 201) return t.inconclusive(`the provisioning endpoint answered ${r.status ?? r.problem} for ${JSON.stringify(body)}: ${r.raw.slice(0, 200)}`);
  return r.json as never;
}

export async function updateProvisioned(t: EcContext, n: { fiscalCode: string; noticeNumber: string }, body: Record<string, unknown>): Promise<RestCall> {
  return restCall({ method: 'POST', url: `${t.provisioningUrl}/${n.fiscalCode}/${n.noticeNumber}`, body, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-provisioning', operation: 'provision-update' });
}

/** Base URL of an EC REST surface (payment options, portal): the embedded reference EC's, else none. */
export function ecSurface(t: EcContext, what: 'payment options service' | 'intermediary portal API', suffix: string): string {
  if (!t.embeddedEcUrl) return t.inconclusive(`the profile names no URL for the candidate's ${what}`);
  return `${t.embeddedEcUrl}${suffix}`;
}

/** A REST answer of the candidate validated against one of our OpenAPI documents. */
export function checkRestBody(t: EcContext, r: RestCall, doc: ApiDoc, schema: string, c: { id: string; title: string; requirement: string; status: number }): boolean {
  const v = r.json === undefined ? { valid: false, errors: [r.problem ?? 'no JSON body'] } : validateBody(doc, schema, r.json);
  const held = r.status === c.status && v.valid;
  return t.check({ id: c.id, title: c.title, requirement: c.requirement, level: 'MUST', held, message: held ? `HTTP ${r.status}, valid ${schema}` : `HTTP ${r.status ?? r.problem}; ${v.errors.slice(0, 3).join('; ')}`, entries: [r.request, r.response] });
}

/** REST requests the candidate made to the platform in this scenario, with their answers. */
export function platformExchanges(t: EcContext, operation: string): { request: JournalEntry; response?: JournalEntry; body: unknown }[] {
  return t.journal
    .filter((e) => e.direction === 'request' && e.to === 'platform' && e.primitive === operation)
    .map((request) => {
      let body: unknown;
      try { body = request.raw ? JSON.parse(request.raw) : undefined; } catch { body = undefined; }
      return { request, response: t.journal.filter((e) => e.direction === 'response' && e.exchange === request.exchange && e.from === 'platform')[0], body };
    });
}

/**
 * A Nodo of this scenario whose registry routes the EC's notices to GPD's paForNode endpoint (the
 * platform answers GPD-held notices itself: asynchronous integration), with a PSP to pay them.
 */
export async function gpdNodo(t: EcContext): Promise<{ nodo: ReferenceNodo; psp: EmulatedPsp; stop: () => Promise<void> }> {
  const pf = platformOf(t);
  const p = t.profile;
  const registry: Registry = {
    ecs: [{ fiscalCode: p.ec.idPA, companyName: p.ec.companyName ?? p.name, enabled: true, ibans: [], stations: [{ idStation: 'GPD_PAYMENTS', auxDigit: p.ec.auxDigit, code: p.ec.auxDigit === 3 ? p.ec.segregationCode : p.ec.applicationCode }] }],
    brokersPa: [{ idBrokerPA: 'PAGOPA_GPD', enabled: true }],
    stations: [{ idStation: 'GPD_PAYMENTS', idBrokerPA: 'PAGOPA_GPD', enabled: true, serviceActive: true, url: pf.gpd.soapUrl, version: 1 }],
    ...harnessPspEntries(),
  };
  const nodo = new ReferenceNodo({ clock: t.clock, registry, journal: () => t.journal, faults: () => t.faults, journalInbound: false });
  const { url } = await nodo.start();
  const psp = new EmulatedPsp({ nodoUrl: url, clock: t.clock, journal: t.journal });
  return { nodo, psp, stop: () => nodo.stop() };
}
