// Helpers of the scenarios that need the platform services the harness plays besides the Nodo
// (Checkout, GPD/ACA) or EC surfaces beyond paForNode (provisioning extensions, payment options,
// intermediary portal), and the way the harness asks the candidate EC to act (EC-initiated flows).
import type { EcContext } from '../../seats/ec.js';
import { ReferenceNodo } from '../../actors/nodo/index.js';
import { EmulatedPsp } from '../../actors/psp/client.js';
import { harnessPspEntries, type Registry } from '../../domain/registry.js';
import { formatAmount } from '../../domain/common.js';
import { restCall, validateBody, type ApiDoc, type RestCall } from '../../actors/platform/index.js';
import type { Platform } from '../../actors/platform/index.js';
import type { JournalEntry } from '../../src/core/journal.js';
import { randomUUID } from 'node:crypto';
import { TRIGGER_CONTRACT, type EcTriggerAction, type EcTriggerParams, type EcTriggerRequest } from '../../src/triggers/index.js';
import { fireEcTrigger } from './trigger.js';
import { type Bi, quotedSaid } from '../../src/core/text.js';
import { transportSaid } from '../../src/wire/answer.js';

/**
 * Why a REST call gave no usable JSON answer, in both languages (RestCall.problem is English only):
 * the transport outcome with the call's technical detail, or a body that is not JSON.
 */
export function restProblemSaid(r: Pick<RestCall, 'problem' | 'transport' | 'late'>): Bi {
  if (r.problem === undefined) return ['no JSON body', 'nessun corpo JSON'];
  if (r.transport !== 'ok') return [r.problem, transportSaid(r.transport, r.problem, r.late)[1]];
  return [r.problem, 'il corpo non è JSON'];
}

export function platformOf(t: EcContext): Platform {
  if (!t.platform) return t.inconclusive(['the harness platform services (Checkout, GPD/ACA) are not running', 'i servizi di piattaforma del collaudo (Checkout, GPD/ACA) non sono attivi']);
  return t.platform;
}

/** What each EC action must produce on the wire: the candidate's call at the harness's platform. */
const ACTS: Record<EcTriggerAction, { operation: string; what: string; whatIt: string }> = {
  'checkout-cart': { operation: 'postCarts', what: "the cart POST (/carts) at the harness's Checkout", whatIt: 'la POST del carrello (/carts) al Checkout del collaudo' },
  'stamp-cart': { operation: 'postCarts', what: "the cart POST (/carts) of the stamp position at the harness's Checkout", whatIt: 'la POST del carrello (/carts) della posizione con marca da bollo al Checkout del collaudo' },
  'gpd-create': { operation: 'createPosition', what: "the createPosition call at the harness's GPD", whatIt: 'la chiamata createPosition alla GPD del collaudo' },
  'gpd-update': { operation: 'updatePosition', what: "the updatePosition call at the harness's GPD", whatIt: 'la chiamata updatePosition alla GPD del collaudo' },
  'gpd-cancel': { operation: 'invalidatePosition', what: "the invalidatePosition call at the harness's GPD", whatIt: 'la chiamata invalidatePosition alla GPD del collaudo' },
};

/**
 * Asks the candidate EC to act (EC-initiated flows) with the one trigger contract (src/triggers,
 * seat ec) over the transport the profile names (`trigger:`; the embedded reference EC's own HTTP
 * hook by default), then waits on the wire, until the trigger's deadline, for what the action must
 * produce (the cart POST at the harness's Checkout, the GPD create/update/invalidate call). Returns
 * the platform's answer to that call (journal entry). A refused request (hook not 202, command
 * failed) or nothing in time ends the scenario INCONCLUSIVE, never FAIL.
 */
export async function askEc<A extends EcTriggerAction>(
  t: EcContext,
  action: A,
  o: { notice?: { fiscalCode: string; noticeNumber: string; amountCents?: number }; amountCents?: number; params: EcTriggerParams[A] },
): Promise<{ request: EcTriggerRequest; answer: JournalEntry }> {
  const tr = t.trigger;
  if (!tr) {
    return t.inconclusive([
      `the candidate must be asked to act (${action}) and the profile names no trigger for EC-initiated flows (trigger: http, command or prompt)`,
      `occorre chiedere al candidato di agire (${action}) e il profilo non indica alcun trigger per i flussi avviati dall’EC (trigger: http, command o prompt)`,
    ]);
  }
  const cents = o.amountCents ?? o.notice?.amountCents;
  const request: EcTriggerRequest = {
    contract: TRIGGER_CONTRACT,
    requestId: randomUUID(),
    scenarioId: t.scenarioId,
    seat: 'ec',
    action,
    fiscalCode: o.notice?.fiscalCode ?? t.station.idPA,
    ...(o.notice ? { noticeNumber: o.notice.noticeNumber } : {}),
    ...(cents !== undefined ? { amount: formatAmount(cents), amountCents: cents } : {}),
    deadline: new Date(Date.now() + tr.deadlineMs).toISOString(),
    deadlineMs: tr.deadlineMs,
    params: o.params as Record<string, unknown>,
  };
  const expect = ACTS[action];
  const via = `the ${tr.transport.kind} trigger (${action}) to ${tr.transport.target}`;
  const viaIt = `il trigger ${tr.transport.kind} (${action}) verso ${tr.transport.target}`;
  // the wire from here on: what the candidate does after this request
  const mark = await fireEcTrigger(t, tr, request, { fiscalCode: request.fiscalCode, noticeNumber: request.noticeNumber });
  const left = Math.max(0, Date.parse(request.deadline) - Date.now());
  const answer = await t.journal
    .waitFor((e) => e.seq > mark && e.direction === 'response' && e.from === 'platform' && e.primitive === expect.operation, left, expect.what)
    .catch(() => undefined);
  if (!answer) {
    return t.inconclusive([
      `the candidate never acted: no ${expect.what} within ${tr.deadlineMs} ms (deadline ${request.deadline}) after ${via}`,
      `il candidato non ha mai agito: nessuna ${expect.whatIt} entro ${tr.deadlineMs} ms (scadenza ${request.deadline}) dopo ${viaIt}`,
    ]);
  }
  return { request, answer };
}

/** POST to the provisioning contract with the extended fields (plan, notificationFeeCents …). */
export async function provisionExt(t: EcContext, body: Record<string, unknown>): Promise<Record<string, unknown> & { fiscalCode: string; noticeNumber: string; amountCents: number }> {
  if (!t.provisioningUrl) return t.inconclusive(['this scenario needs positions created on demand: the profile offers no provisioning endpoint', 'servono posizioni create su richiesta: il profilo non offre un endpoint di provisioning']);
  const r = await restCall({ method: 'POST', url: t.provisioningUrl, body, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-provisioning', operationId: 'provision' });
  if (r.status !== 201) {
    const got: Bi = r.status !== undefined ? [String(r.status), String(r.status)] : restProblemSaid(r);
    return t.inconclusive([
      `the provisioning endpoint answered ${got[0]} for ${JSON.stringify(body)}: ${r.raw.slice(0, 200)}`,
      `l’endpoint di provisioning ha risposto ${got[1]} per ${JSON.stringify(body)}: "${r.raw.slice(0, 200)}"`,
    ]);
  }
  return r.json as never;
}

export async function updateProvisioned(t: EcContext, n: { fiscalCode: string; noticeNumber: string }, body: Record<string, unknown>): Promise<RestCall> {
  return restCall({ method: 'POST', url: `${t.provisioningUrl}/${n.fiscalCode}/${n.noticeNumber}`, body, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-provisioning', operationId: 'provision-update' });
}

/** Base URL of an EC REST surface (payment options, portal): the embedded reference EC's, else none. */
const SURFACE_IT = { 'payment options service': 'il servizio delle opzioni di pagamento', 'intermediary portal API': 'l’API del portale dell’intermediario' } as const;
export function ecSurface(t: EcContext, what: keyof typeof SURFACE_IT, suffix: string): string {
  if (!t.embeddedEcUrl) return t.inconclusive([`the profile names no URL for the candidate's ${what}`, `il profilo non indica alcun URL per ${SURFACE_IT[what]} del candidato`]);
  return `${t.embeddedEcUrl}${suffix}`;
}

/** A REST answer of the candidate validated against one of our OpenAPI documents. */
export function checkRestBody(t: EcContext, r: RestCall, doc: ApiDoc, schema: string, c: { id: string; status: number }): boolean {
  const v = r.json === undefined ? { valid: false, errors: [r.problem ?? 'no JSON body'] } : validateBody(doc, schema, r.json);
  const held = r.status === c.status && v.valid;
  // without JSON the one error is our own problem sentence (translated), else the validator's diagnostics (quoted)
  const errs: Bi = r.json === undefined ? restProblemSaid(r) : quotedSaid(v.errors.slice(0, 3));
  const status: Bi = r.status !== undefined ? [String(r.status), String(r.status)] : restProblemSaid(r);
  const message: Bi = held ? [`HTTP ${r.status}, valid ${schema}`, `HTTP ${r.status}, ${schema} valido`] : [`HTTP ${status[0]}; ${errs[0]}`, `HTTP ${status[1]}; ${errs[1]}`];
  return t.check({ id: c.id, held, message, entries: [r.request, r.response] });
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
