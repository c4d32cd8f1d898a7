// The FdR 3 REST server of the reference Nodo on a virtual clock, with a registry that has every
// configuration fault FDR-2xxx names (disabled PSP, broker, channel, EC; a channel of another
// broker; a channel not for the PSP), and the requests a PSP sends.
import { VirtualClock } from '../../src/core/clock.js';
import { Journal } from '../../src/core/journal.js';
import { restCall, type RestCall } from '../../src/wire/rest/client.js';
import type { Registry } from '../../domain/registry.js';
import type { CreateFlowRequest, RestPayment } from '../../domain/fdr/rest.js';
import { FlowStore } from '../../actors/nodo/fdr/store.js';
import { FdrRestServer } from '../../actors/nodo/fdr/rest-server.js';
import type { FdrApiKey } from '../../actors/nodo/fdr/rest-common.js';
import { FDR_ORGANIZATION, FDR_PSP } from '../../interfaces/rest/index.js';

export const PSP = '88888888888';
export const BROKER = '70000000001';
export const CHANNEL = '70000000001_01';
export const EC = '77777777777';
export const OTHER_EC = '77777777778';

export const FDR_REGISTRY: Registry = {
  ecs: [
    { fiscalCode: EC, companyName: 'Comune di Esempio', enabled: true, ibans: [], stations: [] },
    { fiscalCode: OTHER_EC, companyName: 'Comune Vicino', enabled: true, ibans: [], stations: [] },
    { fiscalCode: '77777777770', companyName: 'Comune Sospeso', enabled: false, ibans: [], stations: [] },
  ],
  brokersPa: [],
  stations: [],
  psps: [
    { idPSP: PSP, enabled: true, companyName: 'Banca di Prova', fiscalCode: PSP },
    { idPSP: '88888888880', enabled: false, companyName: 'Banca Sospesa', fiscalCode: '88888888880' },
    { idPSP: '88888888881', enabled: true, companyName: 'Altra Banca', fiscalCode: '88888888881' },
  ],
  brokersPsp: [
    { idBrokerPSP: BROKER, enabled: true },
    { idBrokerPSP: '70000000000', enabled: false },
    { idBrokerPSP: '70000000002', enabled: true },
  ],
  channels: [
    { idChannel: CHANNEL, idBrokerPSP: BROKER, password: 'password01', enabled: true, description: 'FdR', psps: [PSP, '88888888881'] },
    { idChannel: '70000000001_00', idBrokerPSP: BROKER, password: 'password01', enabled: false, description: 'off', psps: [PSP] },
    { idChannel: '70000000002_01', idBrokerPSP: '70000000002', password: 'password01', enabled: true, description: 'other broker', psps: [PSP] },
    { idChannel: '70000000001_02', idBrokerPSP: BROKER, password: 'password01', enabled: true, description: 'other PSP', psps: ['88888888881'] },
  ],
};

/** A flow name of the layout <YYYY-MM-DD><pspId>-<unique>. */
export const flowName = (unique: string, pspId = PSP, day = '2026-11-23') => `${day}${pspId}-${unique}`;

export function createRequest(fdr: string, o: Partial<CreateFlowRequest> & { pspId?: string; organizationId?: string } = {}): CreateFlowRequest {
  const { pspId = PSP, organizationId = EC, ...rest } = o;
  return {
    fdr,
    fdrDate: '2026-11-23T10:00:00Z',
    sender: { type: 'LEGAL_PERSON', id: 'SELBIT2B', pspId, pspName: 'Banca di Prova', pspBrokerId: BROKER, channelId: CHANNEL },
    receiver: { id: 'APPBIT2B', organizationId, organizationName: 'Comune di Esempio' },
    regulation: 'SEPA - Bonifico 1',
    regulationDate: '2026-11-24',
    bicCodePouringBank: 'UNCRITMMXXX',
    totPayments: 2,
    sumPayments: 30.5,
    ...rest,
  };
}

export const payment = (index: number, pay = 10.25, o: Partial<RestPayment> = {}): RestPayment => ({
  index, iuv: `0200000000000${String(index).padStart(4, '0')}`, iur: `TOKEN${String(index).padStart(6, '0')}`, idTransfer: 1, pay, payStatus: 'EXECUTED', payDate: '2026-11-22T15:30:00Z', ...o,
});
/** the two payments of createRequest's totals (10.25 + 20.25 = 30.50) */
export const TWO = [payment(1, 10.25), payment(2, 20.25, { payStatus: 'NO_RPT' })];

export interface FdrBench {
  clock: VirtualClock;
  flows: FlowStore;
  server: FdrRestServer;
  journal: Journal;
  /** a PSP API call (path below the API's base) */
  psp(method: string, operationId: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RestCall>;
  /** an organisation API call */
  org(operationId: string, path: string, headers?: Record<string, string>): Promise<RestCall>;
  /** raw call of the PSP API without our client's schema (malformed bodies) */
  raw(method: string, path: string, body: string, api?: 'psp' | 'org'): Promise<{ status: number; json: unknown; text: string }>;
  /** create, add, publish: the nominal life of a flow */
  publish(fdr: string, payments?: readonly RestPayment[], req?: CreateFlowRequest): Promise<void>;
  stop(): Promise<void>;
}

export async function startFdrBench(o: { apiKeys?: FdrApiKey[]; registry?: Registry } = {}): Promise<FdrBench> {
  const clock = new VirtualClock();
  const flows = new FlowStore(clock);
  const journal = new Journal(clock);
  const server = new FdrRestServer({ clock, registry: o.registry ?? FDR_REGISTRY, flows, journal: () => journal, apiKeys: o.apiKeys });
  const urls = await server.start();
  const call = (api: typeof FDR_PSP, base: string, method: string, operationId: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    restCall({ url: `${base}${path}`, method, api, operationId, body, headers, clock, from: 'psp', to: 'nodo' });
  const bench: FdrBench = {
    clock, flows, server, journal,
    psp: (method, operationId, path, body, headers) => call(FDR_PSP, urls.pspUrl, method, operationId, path, body, headers),
    org: (operationId, path, headers) => call(FDR_ORGANIZATION, urls.organizationUrl, 'GET', operationId, path, undefined, headers),
    async raw(method, path, body, api = 'psp') {
      const res = await fetch(`${api === 'psp' ? urls.pspUrl : urls.organizationUrl}${path}`, { method, body: body === '' || method === 'GET' ? undefined : body, headers: { 'content-type': 'application/json' } });
      const text = await res.text();
      let json: unknown;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: res.status, json, text };
    },
    async publish(fdr, payments = TWO, req = createRequest(fdr)) {
      const steps = [
        await bench.psp('POST', 'createFlow', `/psps/${req.sender.pspId}/fdrs/${fdr}`, req),
        await bench.psp('PUT', 'addPayments', `/psps/${req.sender.pspId}/fdrs/${fdr}/payments/add`, { payments }),
        await bench.psp('POST', 'publishFlow', `/psps/${req.sender.pspId}/fdrs/${fdr}/publish`),
      ];
      const bad = steps.find((s) => s.status !== 200 && s.status !== 201);
      if (bad) throw new Error(`publishing ${fdr}: ${bad.status} ${bad.raw}`);
    },
    stop: () => server.stop(),
  };
  return bench;
}
