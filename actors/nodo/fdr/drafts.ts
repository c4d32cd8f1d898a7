// The FdR 3 drafts of the reference Nodo (NM-SM-FDR3): a flow a PSP has created (CREATED) and
// filled (INSERTED) but not yet published. Drafts are the PSP's alone; publishing moves the flow
// into the run's FlowStore (transport 'rest'), where the EC sees it and where a publication of a
// name already published becomes its next revision (NM-FDR-PAY-11).
//
//  (none) ─create─▶ CREATED ─add─▶ INSERTED ─add/del─▶ INSERTED ─publish─▶ PUBLISHED(r)
//  CREATED/INSERTED ─delete─▶ (none);  PUBLISHED(r) ─create─▶ CREATED (revision r+1)
import type { Clock } from '../../../src/core/clock.js';
import { type CreateFlowRequest, type RestPayment, centsOfEuro, flowFromRest } from '../../../domain/fdr/rest.js';
import type { FdrErrorCode } from '../../../domain/fdr/rest-errors.js';
import type { FlowStore, StoredFlow } from './store.js';

export type DraftStatus = 'CREATED' | 'INSERTED';

export interface FdrDraft {
  /** the creation request as the PSP sent it */
  request: CreateFlowRequest;
  /** the revision the flow will have once published */
  revision: number;
  status: DraftStatus;
  /** clock times */
  created: number;
  updated: number;
  /** payments by index */
  payments: Map<number, RestPayment>;
}

/** What an FdR 3 action gives: its result, or the FDR code that refuses it and why (naming the field). */
export type FdrResult<T> = { ok: true; value: T } | { ok: false; code: FdrErrorCode; detail: string; path?: string };

const fail = (code: FdrErrorCode, detail: string, path?: string): FdrResult<never> => ({ ok: false, code, detail, ...(path ? { path } : {}) });
const key = (pspId: string, fdr: string) => `${pspId}\u0000${fdr}`;

/** The indexes that appear more than once in a list. */
function repeated(indexes: readonly number[]): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const i of indexes) (seen.has(i) ? twice : seen).add(i);
  return [...twice];
}

export class FdrDrafts {
  private readonly drafts = new Map<string, FdrDraft>();
  /** clock time each published revision was created as a draft (the reads' `created`) */
  private readonly createdAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly flows: FlowStore,
  ) {}

  get(pspId: string, fdr: string): FdrDraft | undefined {
    return this.drafts.get(key(pspId, fdr));
  }

  /** The PSP's drafts created at or after `createdGt` (clock time), oldest first. */
  list(pspId: string, createdGt?: number): FdrDraft[] {
    return [...this.drafts.values()].filter((d) => d.request.sender.pspId === pspId && (createdGt === undefined || d.created >= createdGt));
  }

  /** When a published revision was created as a draft (undefined for a flow that did not come by REST). */
  createdOf(pspId: string, fdr: string, revision: number): number | undefined {
    return this.createdAt.get(`${key(pspId, fdr)}\u0000${revision}`);
  }

  /** Why an action on a name without a draft is refused: published (wrong action, 3003) or unknown (3001). */
  private missing(pspId: string, fdr: string, action: string): FdrResult<never> {
    const published = this.flows.get(pspId, fdr);
    return published
      ? fail('FDR-3003', `flow ${fdr} of PSP ${pspId} is PUBLISHED (revision ${published.revision}): ${action} applies to a draft (CREATED/INSERTED) only`)
      : fail('FDR-3001', `flow ${fdr} of PSP ${pspId} does not exist`);
  }

  /** POST create: a new draft; a published name gets the next revision, a drafted name is refused (3002). */
  create(pspId: string, req: CreateFlowRequest): FdrResult<FdrDraft> {
    const existing = this.get(pspId, req.fdr);
    if (existing) return fail('FDR-3002', `flow ${req.fdr} already exists with status ${existing.status}: delete the draft to create it again`, 'fdr');
    const now = this.clock.now();
    // the (deprecated) channel password is never kept nor shown again
    const { password: _password, ...sender } = req.sender;
    const draft: FdrDraft = { request: structuredClone({ ...req, sender }), revision: (this.flows.get(pspId, req.fdr)?.revision ?? 0) + 1, status: 'CREATED', created: now, updated: now, payments: new Map() };
    this.drafts.set(key(pspId, req.fdr), draft);
    return { ok: true, value: draft };
  }

  /** PUT payments/add (1..1000): indexes unique in the request (3005) and new to the flow (3006). */
  add(pspId: string, fdr: string, payments: readonly RestPayment[]): FdrResult<FdrDraft> {
    const twice = repeated(payments.map((p) => p.index));
    if (twice.length) return fail('FDR-3005', `index ${twice.join(', ')} appears more than once in the request for flow ${fdr}`, 'payments.index');
    const draft = this.get(pspId, fdr);
    if (!draft) return this.missing(pspId, fdr, 'payments/add');
    const already = payments.map((p) => p.index).filter((i) => draft.payments.has(i));
    if (already.length) return fail('FDR-3006', `index ${already.join(', ')} already added to flow ${fdr}`, 'payments.index');
    for (const p of payments) draft.payments.set(p.index, structuredClone(p));
    draft.status = 'INSERTED';
    draft.updated = this.clock.now();
    return { ok: true, value: draft };
  }

  /** PUT payments/del (1..1000 indexes) on an INSERTED draft: each index once (3005) and in the flow (3007). */
  remove(pspId: string, fdr: string, indexList: readonly number[]): FdrResult<FdrDraft> {
    const twice = repeated(indexList);
    if (twice.length) return fail('FDR-3005', `index ${twice.join(', ')} appears more than once in the request for flow ${fdr}`, 'indexList');
    const draft = this.get(pspId, fdr);
    if (!draft) return this.missing(pspId, fdr, 'payments/del');
    if (draft.status !== 'INSERTED') return fail('FDR-3003', `flow ${fdr} is ${draft.status}: it has no payments to remove`);
    const absent = indexList.filter((i) => !draft.payments.has(i));
    if (absent.length) return fail('FDR-3007', `index ${absent.join(', ')} is not in flow ${fdr}`, 'indexList');
    for (const i of indexList) draft.payments.delete(i);
    // the catalogue's machine keeps an emptied draft INSERTED (NM-SM-FDR3: INSERTED ─del─▶ INSERTED)
    draft.updated = this.clock.now();
    return { ok: true, value: draft };
  }

  /** DELETE: drops a draft and its payments; a published flow cannot be deleted (3003). */
  discard(pspId: string, fdr: string): FdrResult<FdrDraft> {
    const draft = this.get(pspId, fdr);
    if (!draft) return this.missing(pspId, fdr, 'delete');
    this.drafts.delete(key(pspId, fdr));
    return { ok: true, value: draft };
  }

  /**
   * POST publish on an INSERTED draft whose payments match the declared totals (count 4001, sum
   * 4002): the flow enters the FlowStore; the store's revision is the one that counts.
   */
  publish(pspId: string, fdr: string): FdrResult<StoredFlow> {
    const draft = this.get(pspId, fdr);
    if (!draft) return this.missing(pspId, fdr, 'publish');
    if (draft.status !== 'INSERTED') return fail('FDR-3003', `flow ${fdr} is ${draft.status}: only an INSERTED flow (with its payments) can be published`);
    const payments = [...draft.payments.values()];
    if (payments.length !== draft.request.totPayments) return fail('FDR-4001', `flow ${fdr} declares totPayments ${draft.request.totPayments} but ${payments.length} payments were added`, 'totPayments');
    const sum = payments.reduce((s, p) => s + (centsOfEuro(p.pay) ?? 0), 0);
    const declared = centsOfEuro(draft.request.sumPayments) ?? Number.NaN;
    if (sum !== declared) return fail('FDR-4002', `flow ${fdr} declares sumPayments ${draft.request.sumPayments} but its payments add up to ${(sum / 100).toFixed(2)}`, 'sumPayments');
    const stored = this.flows.publish(flowFromRest(draft.request, payments, draft.revision), 'rest', JSON.stringify({ ...draft.request, payments }));
    this.createdAt.set(`${key(pspId, fdr)}\u0000${stored.revision}`, draft.created);
    this.drafts.delete(key(pspId, fdr));
    return { ok: true, value: stored };
  }
}
