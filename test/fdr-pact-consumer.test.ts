// Pact CONSUMER contracts of FdR 3 (issue 12, deliver 6): the interactions a PSP must make (create a
// flow, add its payments, publish it, read it back) and an organisation may make (list the flows
// published for it, read one, read its payments), each driven by collaudo's own REST client so the
// requests are validated against our OpenAPI documents and the mock's answers too. The run writes
// pacts/<consumer>-<provider>.json (through a scratch folder, renamed whole, so the provider test
// never reads a half-written file); fdr-pact-provider.test.ts verifies the reference Nodo against them.
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { restCall } from '../src/wire/rest/client.js';
import { FDR_ORGANIZATION, FDR_PSP } from '../interfaces/rest/index.js';
import { FDR_ORGANIZATION_MOUNT, FDR_PSP_MOUNT } from '../actors/nodo/fdr/rest-server.js';
import { EC, PSP, TWO, createRequest, flowName } from './support/fdr-rest.js';
import { ORG_PACT, PACTS_DIR, PSP_PACT, STATES, pactFile } from './support/fdr-pact.js';

const { like, eachLike, integer, decimal, regex } = MatchersV3;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const instant = (example: string) => regex(INSTANT, example);
const JSON_TYPE = { 'Content-Type': regex(/^application\/json/, 'application/json') };

mkdirSync(PACTS_DIR, { recursive: true });
const scratch = mkdtempSync(path.join(PACTS_DIR, '.run-'));
const clock = new VirtualClock();
const journal = new Journal(clock);
const pspPact = new PactV3({ ...PSP_PACT, dir: scratch, logLevel: 'error' });
const orgPact = new PactV3({ ...ORG_PACT, dir: scratch, logLevel: 'error' });

const FLOW = flowName('0000001');
const params = { pspId: PSP, fdr: FLOW, organizationId: EC };
const call = (api: typeof FDR_PSP, url: string, method: string, operationId: string, body?: unknown) =>
  restCall({ url, method, api, operationId, body, clock, journal, from: 'psp', to: 'nodo' });

const SUCCESS = { status: 200, headers: JSON_TYPE, body: { message: like('Success') } };
const errorBody = (code: string, status: number) => ({ httpStatusCode: status, httpStatusDescription: like(status === 404 ? 'Not Found' : 'Bad Request'), appErrorCode: code, errors: eachLike({ message: like('REPORTING_FLOW_NOT_FOUND: flow does not exist') }) });
const PAYMENT = { index: integer(1), iuv: like('0200000000000001'), iur: like('TOKEN000001'), idTransfer: integer(1), pay: decimal(10.25), payStatus: regex(/^(EXECUTED|REVOKED|STAND_IN|STAND_IN_NO_RPT|NO_RPT)$/, 'EXECUTED'), payDate: instant('2026-11-22T15:30:00Z') };
const PAGE = { pageSize: integer(1000), pageNumber: integer(1), totPage: integer(1) };
const SINGLE_FLOW = {
  status: 'PUBLISHED', revision: integer(1), created: instant('2026-11-23T09:00:00.000Z'), updated: instant('2026-11-23T09:00:00.000Z'), published: instant('2026-11-23T09:00:00.000Z'),
  fdr: FLOW, fdrDate: instant('2026-11-23T10:00:00Z'), regulation: like('SEPA - Bonifico 1'), regulationDate: regex(/^\d{4}-\d{2}-\d{2}$/, '2026-11-24'),
  sender: { type: regex(/^(LEGAL_PERSON|ABI_CODE|BIC_CODE)$/, 'LEGAL_PERSON'), id: like('SELBIT2B'), pspId: PSP, pspName: like('Banca di Prova'), pspBrokerId: like('70000000001'), channelId: like('70000000001_01') },
  receiver: { id: like('APPBIT2B'), organizationId: EC, organizationName: like('Comune di Esempio') },
  computedTotPayments: integer(2), computedSumPayments: decimal(30.5), totPayments: integer(2), sumPayments: decimal(30.5),
};

/** set once every interaction is in the files: a failed run leaves the committed contracts alone */
let complete = false;
afterAll(() => {
  // the run's files replace the committed ones whole
  if (complete) for (const f of readdirSync(scratch)) renameSync(path.join(scratch, f), path.join(PACTS_DIR, f));
  rmSync(scratch, { recursive: true, force: true });
});

describe('FdR 3 contracts: what a PSP must do (consumer)', () => {
  const base = (url: string) => `${url}${FDR_PSP_MOUNT}/psps/${PSP}/fdrs/${FLOW}`;

  it('creates a draft flow', async () => {
    const body = createRequest(FLOW);
    pspPact.given(STATES.NO_FLOW, params).uponReceiving('a PSP creates a draft flow').withRequest({ method: 'POST', path: `${FDR_PSP_MOUNT}/psps/${PSP}/fdrs/${FLOW}`, headers: JSON_TYPE, body })
      .willRespondWith({ status: 201, headers: JSON_TYPE, body: { message: like('Success') } });
    await pspPact.executeTest(async (mock) => {
      const r = await call(FDR_PSP, base(mock.url), 'POST', 'createFlow', body);
      expect([r.status, r.request?.xsd?.valid, r.verdict?.valid]).toEqual([201, true, true]);
    });
  });

  it('adds the payments of its draft', async () => {
    const body = { payments: TWO };
    pspPact.given(STATES.DRAFT_CREATED, params).uponReceiving('a PSP adds payments to its draft flow').withRequest({ method: 'PUT', path: `${FDR_PSP_MOUNT}/psps/${PSP}/fdrs/${FLOW}/payments/add`, headers: JSON_TYPE, body })
      .willRespondWith(SUCCESS);
    await pspPact.executeTest(async (mock) => {
      const r = await call(FDR_PSP, `${base(mock.url)}/payments/add`, 'PUT', 'addPayments', body);
      expect([r.status, r.request?.xsd?.valid, r.verdict?.valid]).toEqual([200, true, true]);
    });
  });

  it('publishes the draft once its payments match the totals', async () => {
    pspPact.given(STATES.DRAFT_FILLED, params).uponReceiving('a PSP publishes its draft flow').withRequest({ method: 'POST', path: `${FDR_PSP_MOUNT}/psps/${PSP}/fdrs/${FLOW}/publish` })
      .willRespondWith(SUCCESS);
    await pspPact.executeTest(async (mock) => {
      const r = await call(FDR_PSP, `${base(mock.url)}/publish`, 'POST', 'publishFlow');
      expect([r.status, r.verdict?.valid]).toEqual([200, true]);
    });
  });

  it('is told FDR-3002 when it creates again a name that is still a draft', async () => {
    const body = createRequest(FLOW);
    pspPact.given(STATES.DRAFT_CREATED, params).uponReceiving('a PSP creates a flow whose name is still a draft').withRequest({ method: 'POST', path: `${FDR_PSP_MOUNT}/psps/${PSP}/fdrs/${FLOW}`, headers: JSON_TYPE, body })
      .willRespondWith({ status: 400, headers: JSON_TYPE, body: errorBody('FDR-3002', 400) });
    await pspPact.executeTest(async (mock) => {
      const r = await call(FDR_PSP, base(mock.url), 'POST', 'createFlow', body);
      expect([r.status, (r.json as { appErrorCode: string }).appErrorCode, r.verdict?.valid]).toEqual([400, 'FDR-3002', true]);
    });
  });

  it('reads back the revision it published', async () => {
    const path = `${FDR_PSP_MOUNT}/psps/${PSP}/published/fdrs/${FLOW}/revisions/1/organizations/${EC}`;
    pspPact.given(STATES.PUBLISHED, params).uponReceiving('a PSP reads a flow it published').withRequest({ method: 'GET', path })
      .willRespondWith({ status: 200, headers: JSON_TYPE, body: SINGLE_FLOW });
    await pspPact.executeTest(async (mock) => {
      const r = await call(FDR_PSP, `${mock.url}${path}`, 'GET', 'getPublishedFlow');
      expect([r.status, r.verdict?.valid, (r.json as { status: string }).status]).toEqual([200, true, 'PUBLISHED']);
    });
  });
});

describe('FdR 3 contracts: what an organisation may do (consumer)', () => {
  const flowPath = `${FDR_ORGANIZATION_MOUNT}/organizations/${EC}/fdrs/${FLOW}/revisions/1/psps/${PSP}`;

  it('lists the flows published for it', async () => {
    const path = `${FDR_ORGANIZATION_MOUNT}/organizations/${EC}/fdrs`;
    orgPact.given(STATES.PUBLISHED, params).uponReceiving('an organization lists its published flows').withRequest({ method: 'GET', path, query: { page: '1', size: '100' } })
      .willRespondWith({ status: 200, headers: JSON_TYPE, body: { metadata: PAGE, count: integer(1), data: eachLike({ fdr: like(FLOW), pspId: like(PSP), revision: integer(1), published: instant('2026-11-23T09:00:00.000Z'), flowDate: instant('2026-11-23T10:00:00Z') }) } });
    await orgPact.executeTest(async (mock) => {
      const r = await call(FDR_ORGANIZATION, `${mock.url}${path}?page=1&size=100`, 'GET', 'listOrganizationFlows');
      expect([r.status, r.verdict?.valid]).toEqual([200, true]);
      expect((r.json as { data: unknown[] }).data.length).toBeGreaterThan(0);
    });
  });

  it('reads one flow by name, revision and PSP', async () => {
    orgPact.given(STATES.PUBLISHED, params).uponReceiving('an organization reads a published flow').withRequest({ method: 'GET', path: flowPath })
      .willRespondWith({ status: 200, headers: JSON_TYPE, body: SINGLE_FLOW });
    await orgPact.executeTest(async (mock) => {
      const r = await call(FDR_ORGANIZATION, `${mock.url}${flowPath}`, 'GET', 'getOrganizationFlow');
      expect([r.status, r.verdict?.valid]).toEqual([200, true]);
    });
  });

  it('reads its payments, by page', async () => {
    orgPact.given(STATES.PUBLISHED, params).uponReceiving('an organization reads the payments of a published flow').withRequest({ method: 'GET', path: `${flowPath}/payments`, query: { page: '1', size: '1000' } })
      .willRespondWith({ status: 200, headers: JSON_TYPE, body: { metadata: PAGE, count: integer(2), data: eachLike(PAYMENT) } });
    await orgPact.executeTest(async (mock) => {
      const r = await call(FDR_ORGANIZATION, `${mock.url}${flowPath}/payments?page=1&size=1000`, 'GET', 'getOrganizationFlowPayments');
      expect([r.status, r.verdict?.valid]).toEqual([200, true]);
    });
  });

  it('is told FDR-3001 (404) for a flow that does not exist', async () => {
    const path = `${FDR_ORGANIZATION_MOUNT}/organizations/${EC}/fdrs/${flowName('9999999')}/revisions/1/psps/${PSP}`;
    orgPact.given(STATES.NO_FLOW, { ...params, fdr: flowName('9999999') }).uponReceiving('an organization reads a flow that does not exist').withRequest({ method: 'GET', path })
      .willRespondWith({ status: 404, headers: JSON_TYPE, body: errorBody('FDR-3001', 404) });
    await orgPact.executeTest(async (mock) => {
      const r = await call(FDR_ORGANIZATION, `${mock.url}${path}`, 'GET', 'getOrganizationFlow');
      expect([r.status, (r.json as { appErrorCode: string }).appErrorCode, r.verdict?.valid]).toEqual([404, 'FDR-3001', true]);
    });
  });
});

describe('the contract files', () => {
  it('are written: every interaction with its provider state', () => {
    // afterAll moves them; here they are still in the scratch folder
    for (const [p, n] of [[PSP_PACT, 5], [ORG_PACT, 4]] as const) {
      const file = path.join(scratch, path.basename(pactFile(p)));
      const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions: { providerStates?: { name: string }[] }[] };
      expect(pact.interactions).toHaveLength(n);
      expect(pact.interactions.every((i) => (i.providerStates ?? []).length === 1)).toBe(true);
    }
    complete = true;
  });
});
