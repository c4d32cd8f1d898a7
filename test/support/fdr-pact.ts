// The FdR 3 contracts (Pact) for vendors' CI: the participants' names, where the files live, and
// the provider states the interactions name (a provider's verifier must set each one up). The
// consumer test writes pacts/<consumer>-<provider>.json; the provider test verifies the reference
// Nodo against them.
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

export const PACTS_DIR = path.join(PACKAGE_ROOT, 'pacts');

/** A PSP's FdR 3 client against pagoPA's FdR 3 for PSPs; an EC's client against FdR 3 for organisations. */
export const PSP_PACT = { consumer: 'pagopa-psp-fdr3-client', provider: 'pagopa-fdr3-psp' } as const;
export const ORG_PACT = { consumer: 'pagopa-ec-fdr3-client', provider: 'pagopa-fdr3-organization' } as const;
export const pactFile = (p: { consumer: string; provider: string }) => path.join(PACTS_DIR, `${p.consumer}-${p.provider}.json`);

/**
 * The provider states, each with parameters { pspId, fdr, organizationId }:
 * - NO_FLOW: PSP pspId has no draft named fdr (it may have published it: a create then drafts the next revision)
 * - DRAFT_CREATED: a draft fdr of pspId for organizationId, CREATED, totPayments 2, sumPayments 30.50
 * - DRAFT_FILLED: the same draft INSERTED with its two payments (indexes 1 and 2, 10.25 and 20.25)
 * - PUBLISHED: fdr of pspId for organizationId published at least once (revision 1 readable)
 */
export const STATES = {
  NO_FLOW: 'PSP has no draft flow of that name',
  DRAFT_CREATED: 'PSP has a draft flow without payments',
  DRAFT_FILLED: 'PSP has a draft flow with all its payments',
  PUBLISHED: 'PSP has published the flow for the organization',
} as const;

import type { FdrRestServer } from '../../actors/nodo/fdr/rest-server.js';
import type { FlowStore } from '../../actors/nodo/fdr/store.js';
import { TWO, createRequest } from './fdr-rest.js';

interface StateParams { pspId: string; fdr: string; organizationId: string }
type StateHandler = (params?: unknown) => Promise<undefined>;

/** The reference Nodo's set-up of each provider state (STATES), straight on its drafts and flow store. */
export function referenceNodoStates(server: FdrRestServer, flows: FlowStore): Record<string, StateHandler> {
  const p = (x: unknown) => x as StateParams;
  const draft = (s: StateParams) => {
    server.drafts.discard(s.pspId, s.fdr);
    const r = server.drafts.create(s.pspId, createRequest(s.fdr, { pspId: s.pspId, organizationId: s.organizationId }));
    if (!r.ok) throw new Error(`state: ${r.code} ${r.detail}`);
  };
  const fill = (s: StateParams) => {
    const r = server.drafts.add(s.pspId, s.fdr, TWO);
    if (!r.ok) throw new Error(`state: ${r.code} ${r.detail}`);
  };
  return {
    [STATES.NO_FLOW]: async (x) => void server.drafts.discard(p(x).pspId, p(x).fdr),
    [STATES.DRAFT_CREATED]: async (x) => void draft(p(x)),
    [STATES.DRAFT_FILLED]: async (x) => {
      draft(p(x));
      fill(p(x));
      return undefined;
    },
    [STATES.PUBLISHED]: async (x) => {
      const s = p(x);
      if (flows.get(s.pspId, s.fdr, 1)?.flow.ecFiscalCode === s.organizationId) return undefined;
      draft(s);
      fill(s);
      const r = server.drafts.publish(s.pspId, s.fdr);
      if (!r.ok) throw new Error(`state: ${r.code} ${r.detail}`);
      return undefined;
    },
  };
}
