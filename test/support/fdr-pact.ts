// The FdR 3 contracts (Pact) for vendors' CI: the participants' names, where the files live, and
// the provider states the interactions name (a provider's verifier must set each one up). The
// consumer test writes pacts/<consumer>-<provider>.json; the provider test verifies the reference
// Nodo against them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Registry } from '../../domain/registry.js';
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

/**
 * The registry a vendor's contracts need: ours, plus every PSP, broker, channel (bound to both) and
 * EC its interactions name (paths and bodies), enabled — a vendor's pact names its own ids.
 */
export function registryFor(pactFiles: readonly string[], base: Registry): Registry {
  const reg = structuredClone(base);
  const addPsp = (id: string) => reg.psps.some((p) => p.idPSP === id) || reg.psps.push({ idPSP: id, enabled: true, companyName: id, fiscalCode: id });
  const addEc = (id: string) => reg.ecs.some((e) => e.fiscalCode === id) || reg.ecs.push({ fiscalCode: id, companyName: id, enabled: true, ibans: [], stations: [] });
  for (const file of pactFiles) {
    const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions?: { request?: { path?: string; body?: { sender?: Record<string, string>; receiver?: Record<string, string> } } }[] };
    for (const i of pact.interactions ?? []) {
      const p = i.request?.path ?? '';
      for (const m of p.matchAll(/\/psps\/([^/]+)/g)) addPsp(decodeURIComponent(m[1]!));
      for (const m of p.matchAll(/\/organizations\/([^/]+)/g)) addEc(decodeURIComponent(m[1]!));
      const s = i.request?.body?.sender;
      if (s?.pspId && s.pspBrokerId && s.channelId) {
        addPsp(s.pspId);
        if (!reg.brokersPsp.some((b) => b.idBrokerPSP === s.pspBrokerId)) reg.brokersPsp.push({ idBrokerPSP: s.pspBrokerId, enabled: true });
        const c = reg.channels.find((x) => x.idChannel === s.channelId);
        if (c) c.psps.includes(s.pspId) || c.psps.push(s.pspId);
        else reg.channels.push({ idChannel: s.channelId, idBrokerPSP: s.pspBrokerId, password: 'password01', enabled: true, description: 'vendor', psps: [s.pspId] });
      }
      const r = i.request?.body?.receiver;
      if (r?.organizationId) addEc(r.organizationId);
    }
  }
  return reg;
}
