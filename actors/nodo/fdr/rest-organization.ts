// FdR 3 for organisations at the reference Nodo (openapi/fdr-organization.json; catalogue R12-R14,
// NM-FDR-PAY-10/11): an EC lists the flows published for it (the latest revision of each), reads
// one flow by name + revision + PSP, and its payments by page. Only published flows exist here:
// drafts live in FdrDrafts and are never visible (NM-FDR-PAY-12). Flows that came by SOAP are
// shown too: one store, every way of reading it (NM-A-21).
import type { Registry } from '../../../domain/registry.js';
import { withOffset } from '../../../domain/fdr/rest.js';
import type { Clock } from '../../../src/core/clock.js';
import type { RestRequest, RestResponse } from '../../../src/wire/rest/server.js';
import type { FdrDrafts } from './drafts.js';
import type { FlowStore } from './store.js';
import { type FdrApiKey, answerOf, checkEc, checkPsp, fdrAnswer, instant, paged, pagedPayments, refuseCaller, timeParam } from './rest-common.js';
import { publishedView } from './rest-psp.js';

export interface FdrOrganizationContext {
  clock: Clock;
  registry: () => Registry;
  drafts: FdrDrafts;
  flows: FlowStore;
  apiKeys?: readonly FdrApiKey[];
}

/** The lower limit FdR 3 applies when the list names none: the start of the previous calendar month, 00:00 UTC. */
export function defaultListSince(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
}

export function handleOrganization(c: FdrOrganizationContext, r: RestRequest): RestResponse {
  const org = r.params['organizationId']!;
  const denied = refuseCaller(c.apiKeys, r, { organization: org });
  if (denied) return denied;
  const reg = c.registry();
  const ec = checkEc(reg, org, 'organizationId');
  if (ec) return answerOf(ec);

  if (r.operationId === 'listOrganizationFlows') {
    const pspId = r.query.get('pspId') ?? undefined;
    if (pspId !== undefined) {
      const psp = checkPsp(reg, pspId, 'pspId');
      if (psp) return answerOf(psp);
    }
    const fallback = defaultListSince(c.clock.now());
    const since = timeParam(r, 'publishedGt') ?? fallback;
    const flowDate = timeParam(r, 'flowDate') ?? fallback;
    const flows = c.flows.list({ ecFiscalCode: org, idPSP: pspId, since }).filter((s) => Date.parse(withOffset(s.flow.flowDate)) >= flowDate);
    return { status: 200, json: paged(flows, r, (s) => ({ fdr: s.flow.flowId, pspId: s.flow.idPSP, revision: s.revision, published: instant(s.publishedAt), flowDate: withOffset(s.flow.flowDate) })) };
  }

  const pspId = r.params['pspId']!;
  const fdr = r.params['fdr']!;
  const revision = Number(r.params['revision']);
  const psp = checkPsp(reg, pspId, 'pspId');
  if (psp) return answerOf(psp);
  const s = c.flows.get(pspId, fdr, revision);
  if (!s || s.flow.ecFiscalCode !== org) return fdrAnswer('FDR-3001', `no published flow ${fdr} revision ${revision} of PSP ${pspId} for creditor institution ${org}`);
  if (r.operationId === 'getOrganizationFlow') return { status: 200, json: publishedView(s, c.drafts.createdOf(pspId, fdr, revision)) };
  if (r.operationId === 'getOrganizationFlowPayments') return { status: 200, json: pagedPayments(s.flow, r) };
  return fdrAnswer('FDR-0500', `operation ${r.operationId} is not served`);
}
