// FdR 3 for PSPs at the reference Nodo (openapi/fdr-psp.json; catalogue R01-R11, NM-SM-FDR3,
// NM-FDR-PAY-10/11/12, NM-FDR-ERR-10…18): create a draft, add and remove payments, publish,
// delete a draft, and read drafts and published flows. Requests reach the handler valid against
// the document; what is checked here is what the platform checks beyond it, in its order:
// amounts with more than two decimals (1001), configuration (FDR-2xxx), the flow name
// (3008/3009), the body against the path (3004/3010), then the flow's state (3001…3007, 4001/4002).
import type { Registry } from '../../../domain/registry.js';
import { type CreateFlowRequest, type RestPayment, centsOfEuro, flowNameFault, headerToRest } from '../../../domain/fdr/rest.js';
import type { RestRequest, RestResponse } from '../../../src/wire/rest/server.js';
import type { FdrDraft, FdrDrafts, FdrResult } from './drafts.js';
import type { FlowStore, StoredFlow } from './store.js';
import { type FdrApiKey, answerOf, checkEc, checkPsp, checkSender, euro, fdrAnswer, instant, paged, pagedPayments, refuseCaller, timeParam } from './rest-common.js';

export interface FdrPspContext {
  registry: () => Registry;
  drafts: FdrDrafts;
  flows: FlowStore;
  apiKeys?: readonly FdrApiKey[];
}

const SUCCESS = (status = 200): RestResponse => ({ status, json: { message: 'Success' } });
const done = <T>(r: FdrResult<T>, ok: (v: T) => RestResponse): RestResponse => (r.ok ? ok(r.value) : fdrAnswer(r.code, r.detail, r.path));

/** The draft as GET …/created/fdrs/{fdr}/organizations/{organizationId} shows it (SingleFlowCreatedResponse). */
export function draftView(d: FdrDraft): Record<string, unknown> {
  const payments = [...d.payments.values()];
  return {
    status: d.status,
    revision: d.revision,
    created: instant(d.created),
    updated: instant(d.updated),
    ...d.request,
    computedTotPayments: payments.length,
    computedSumPayments: euro(payments.reduce((s, p) => s + (centsOfEuro(p.pay) ?? 0), 0)),
  };
}

/** A published revision as the single-flow reads show it (SingleFlowResponse), for PSP and EC alike. */
export function publishedView(s: StoredFlow, created: number | undefined): Record<string, unknown> {
  const request = headerToRest(s.flow);
  return {
    status: 'PUBLISHED',
    revision: s.revision,
    created: instant(created ?? s.publishedAt),
    updated: instant(s.publishedAt),
    ...request,
    published: instant(s.publishedAt),
    computedTotPayments: s.flow.lines.length,
    computedSumPayments: euro(s.flow.lines.reduce((t, l) => t + l.amountCents, 0)),
  };
}

/** The first amount of the request with more than two decimals (FDR-1001), naming the field. */
function badAmount(entries: readonly [string, number][]): RestResponse | undefined {
  const bad = entries.find(([, v]) => centsOfEuro(v) === undefined);
  return bad ? fdrAnswer('FDR-1001', `field ${bad[0]} is ${bad[1]}: an amount in euro has at most two decimals`, bad[0]) : undefined;
}

export function handlePsp(c: FdrPspContext, r: RestRequest): RestResponse {
  const pspId = r.params['pspId']!;
  const fdr = r.params['fdr'];
  const denied = refuseCaller(c.apiKeys, r, { psp: pspId });
  if (denied) return denied;
  // amounts are syntax: refused before any semantic check, as the schema's own refusals are
  const amount =
    r.operationId === 'createFlow' ? badAmount([['sumPayments', (r.json as CreateFlowRequest).sumPayments]])
    : r.operationId === 'addPayments' ? badAmount((r.json as { payments: RestPayment[] }).payments.map((p, i) => [`payments[${i}].pay`, p.pay] as [string, number]))
    : undefined;
  if (amount) return amount;
  const reg = c.registry();
  const psp = checkPsp(reg, pspId, 'pspId');
  if (psp) return answerOf(psp);

  switch (r.operationId) {
    case 'createFlow': {
      const req = r.json as CreateFlowRequest;
      const sender = checkSender(reg, pspId, req.sender.pspBrokerId, req.sender.channelId);
      if (sender) return answerOf(sender);
      const ec = checkEc(reg, req.receiver.organizationId, 'receiver.organizationId');
      if (ec) return answerOf(ec);
      const name = flowNameFault(fdr!, pspId);
      if (name === 'date') return fdrAnswer('FDR-3008', `flow name ${fdr} does not start with a date YYYY-MM-DD`, 'fdr');
      if (name === 'psp') return fdrAnswer('FDR-3009', `flow name ${fdr} does not carry PSP ${pspId} after its date`, 'fdr');
      if (req.sender.pspId !== pspId) return fdrAnswer('FDR-3004', `flow ${fdr} has sender.pspId ${req.sender.pspId}, the path names PSP ${pspId}`, 'sender.pspId');
      if (req.fdr !== fdr) return fdrAnswer('FDR-3010', `field fdr ${req.fdr} differs from the path's ${fdr}`, 'fdr');
      return done(c.drafts.create(pspId, req), () => SUCCESS(201));
    }
    case 'addPayments': {
      return done(c.drafts.add(pspId, fdr!, (r.json as { payments: RestPayment[] }).payments), () => SUCCESS());
    }
    case 'deletePayments':
      return done(c.drafts.remove(pspId, fdr!, (r.json as { indexList: number[] }).indexList), () => SUCCESS());
    case 'publishFlow':
      return done(c.drafts.publish(pspId, fdr!), () => SUCCESS());
    case 'deleteFlow':
      return done(c.drafts.discard(pspId, fdr!), () => SUCCESS());
    case 'listCreatedFlows': {
      const drafts = c.drafts.list(pspId, timeParam(r, 'createdGt'));
      return { status: 200, json: paged(drafts, r, (d) => ({ fdr: d.request.fdr, organizationId: d.request.receiver.organizationId, revision: d.revision, created: instant(d.created) })) };
    }
    case 'getCreatedFlow':
    case 'getCreatedFlowPayments': {
      const org = r.params['organizationId']!;
      const d = c.drafts.get(pspId, fdr!);
      if (!d || d.request.receiver.organizationId !== org) return fdrAnswer('FDR-3001', `no draft ${fdr} of PSP ${pspId} for creditor institution ${org}`);
      if (r.operationId === 'getCreatedFlow') return { status: 200, json: draftView(d) };
      return { status: 200, json: paged([...d.payments.values()].sort((a, b) => a.index - b.index), r, (p) => p) };
    }
    case 'listPublishedFlows': {
      const since = timeParam(r, 'publishedGt');
      const org = r.query.get('organizationId') ?? undefined;
      const flows = c.flows.list({ idPSP: pspId, ecFiscalCode: org, since });
      return { status: 200, json: paged(flows, r, (s) => ({ fdr: s.flow.flowId, organizationId: s.flow.ecFiscalCode, revision: s.revision, published: instant(s.publishedAt) })) };
    }
    case 'getPublishedFlow':
    case 'getPublishedFlowPayments': {
      const org = r.params['organizationId']!;
      const revision = Number(r.params['revision']);
      const s = c.flows.get(pspId, fdr!, revision);
      if (!s || s.flow.ecFiscalCode !== org) return fdrAnswer('FDR-3001', `no published flow ${fdr} revision ${revision} of PSP ${pspId} for creditor institution ${org}`);
      if (r.operationId === 'getPublishedFlow') return { status: 200, json: publishedView(s, c.drafts.createdOf(pspId, fdr!, revision)) };
      return { status: 200, json: pagedPayments(s.flow, r) };
    }
    default:
      return fdrAnswer('FDR-0500', `operation ${r.operationId} is not served`);
  }
}
