// The reference Nodo's FdR 3 REST server (actors/nodo/fdr): the flow's life (NM-SM-FDR3,
// NM-FDR-PAY-10/11/12), every error path with its FDR code and HTTP status (NM-FDR-ERR-10…18),
// organisations seeing only published flows, the caller's key, and hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestCall } from '../src/wire/rest/client.js';
import { BROKER, CHANNEL, EC, OTHER_EC, PSP, TWO, createRequest, flowName, payment, startFdrBench, type FdrBench } from './support/fdr-rest.js';

let b: FdrBench;
beforeAll(async () => { b = await startFdrBench(); });
afterAll(async () => { await b?.stop(); });

const code = (r: RestCall) => (r.json as { appErrorCode?: string } | undefined)?.appErrorCode;
/** every answer the server gave so far is valid against our OpenAPI document */
const answersValid = () => b.journal.entries.filter((e) => e.direction === 'response' && e.xsd && !e.xsd.valid).map((e) => `${e.primitive} ${e.httpStatus}: ${e.xsd!.errors.join('; ')}`);

const create = (fdr: string, req = createRequest(fdr), pspId = PSP) => b.psp('POST', 'createFlow', `/psps/${pspId}/fdrs/${fdr}`, req);
const add = (fdr: string, payments: unknown[], pspId = PSP) => b.psp('PUT', 'addPayments', `/psps/${pspId}/fdrs/${fdr}/payments/add`, { payments });
const del = (fdr: string, indexList: number[]) => b.psp('PUT', 'deletePayments', `/psps/${PSP}/fdrs/${fdr}/payments/del`, { indexList });
const publish = (fdr: string) => b.psp('POST', 'publishFlow', `/psps/${PSP}/fdrs/${fdr}/publish`);
const drop = (fdr: string) => b.psp('DELETE', 'deleteFlow', `/psps/${PSP}/fdrs/${fdr}`);
const orgList = (q = '') => b.org('listOrganizationFlows', `/organizations/${EC}/fdrs${q}`);
const orgFlow = (fdr: string, rev: number) => b.org('getOrganizationFlow', `/organizations/${EC}/fdrs/${fdr}/revisions/${rev}/psps/${PSP}`);
const orgPayments = (fdr: string, rev: number, q = '') => b.org('getOrganizationFlowPayments', `/organizations/${EC}/fdrs/${fdr}/revisions/${rev}/psps/${PSP}/payments${q}`);
const listed = async () => ((await orgList()).json as { data: { fdr: string; revision: number }[] }).data;

describe('FdR 3: the life of a flow (NM-SM-FDR3, NM-FDR-PAY-10)', () => {
  it('create → CREATED, add → INSERTED, publish → the EC reads it with its payments; the drafts are never visible to the EC', async () => {
    const fdr = flowName('life1');
    expect((await create(fdr)).status).toBe(201);
    const created = await b.psp('GET', 'getCreatedFlow', `/psps/${PSP}/created/fdrs/${fdr}/organizations/${EC}`);
    expect(created.json).toMatchObject({ status: 'CREATED', revision: 1, computedTotPayments: 0, totPayments: 2, sumPayments: 30.5 });
    expect((created.json as { sender: object }).sender).not.toHaveProperty('password');
    expect((await listed()).map((f) => f.fdr)).not.toContain(fdr);
    expect((await orgFlow(fdr, 1)).status).toBe(404);

    expect((await add(fdr, [TWO[0]])).status).toBe(200);
    expect((await b.psp('GET', 'getCreatedFlow', `/psps/${PSP}/created/fdrs/${fdr}/organizations/${EC}`)).json).toMatchObject({ status: 'INSERTED', computedTotPayments: 1, computedSumPayments: 10.25 });
    expect((await add(fdr, [TWO[1]])).status).toBe(200);
    const drafts = (await b.psp('GET', 'listCreatedFlows', `/psps/${PSP}/created`)).json as { data: { fdr: string }[] };
    expect(drafts.data.map((d) => d.fdr)).toContain(fdr);
    expect((await listed()).map((f) => f.fdr)).not.toContain(fdr);

    expect((await publish(fdr)).status).toBe(200);
    expect((await listed()).filter((f) => f.fdr === fdr)).toEqual([expect.objectContaining({ fdr, revision: 1, pspId: PSP })]);
    const read = await orgFlow(fdr, 1);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ status: 'PUBLISHED', revision: 1, fdr, computedTotPayments: 2, computedSumPayments: 30.5, totPayments: 2, sumPayments: 30.5, receiver: { organizationId: EC } });
    const pays = (await orgPayments(fdr, 1)).json as { data: { index: number; payStatus: string; pay: number }[] };
    expect(pays.data.map((p) => [p.index, p.payStatus, p.pay])).toEqual([[1, 'EXECUTED', 10.25], [2, 'NO_RPT', 20.25]]);
    // the draft is gone; the store holds the flow as the judge reads it
    expect(b.server.drafts.get(PSP, fdr)).toBeUndefined();
    const stored = b.flows.get(PSP, fdr)!;
    expect(stored.transport).toBe('rest');
    expect(stored.flow.lines.map((l) => [l.outcomeCode, l.amountCents, l.date])).toEqual([['0', 1025, '2026-11-22'], ['9', 2025, '2026-11-22']]);
    expect(stored.flow.totalCents).toBe(3050);
    expect(answersValid()).toEqual([]);
    // both legs journaled, followed by flow, PSP and EC
    const legs = b.journal.entries.filter((e) => e.primitive === 'publishFlow' && e.correlation?.['idFlusso'] === fdr);
    expect(legs.map((e) => [e.direction, e.correlation?.['idPSP']])).toEqual([['request', PSP], ['response', PSP]]);
    expect(b.journal.entries.find((e) => e.primitive === 'createFlow' && e.correlation?.['idFlusso'] === fdr)?.correlation?.['fiscalCode']).toBe(EC);
  });

  it('payments are read by page: size and page, totPage, a page past the end is empty', async () => {
    const fdr = flowName('pages');
    const five = [1, 2, 3, 4, 5].map((i) => payment(i, 1));
    await b.publish(fdr, five, createRequest(fdr, { totPayments: 5, sumPayments: 5 }));
    const p2 = (await orgPayments(fdr, 1, '?page=2&size=2')).json as { metadata: { totPage: number; pageNumber: number; pageSize: number }; count: number; data: { index: number }[] };
    expect(p2.metadata).toEqual({ pageSize: 2, pageNumber: 2, totPage: 3 });
    expect(p2.data.map((p) => p.index)).toEqual([3, 4]);
    expect(p2.count).toBe(2);
    expect(((await orgPayments(fdr, 1, '?page=4&size=2')).json as { data: unknown[] }).data).toEqual([]);
  });

  it('payments/del removes by index; the flow stays INSERTED and publishes with what is left', async () => {
    const fdr = flowName('del1');
    await create(fdr, createRequest(fdr, { totPayments: 1, sumPayments: 10.25 }));
    await add(fdr, [payment(1, 10.25), payment(2, 5)]);
    expect((await del(fdr, [2])).status).toBe(200);
    expect(b.server.drafts.get(PSP, fdr)!.status).toBe('INSERTED');
    expect((await publish(fdr)).status).toBe(200);
    expect(b.flows.get(PSP, fdr)!.flow.lines.map((l) => l.iuv)).toEqual([payment(1).iuv]);
  });

  it('delete drops a draft and its payments: the name can be created again as revision 1', async () => {
    const fdr = flowName('drop1');
    await create(fdr);
    await add(fdr, TWO);
    expect((await drop(fdr)).status).toBe(200);
    expect(b.server.drafts.get(PSP, fdr)).toBeUndefined();
    expect((await create(fdr)).status).toBe(201);
    expect(b.server.drafts.get(PSP, fdr)!.revision).toBe(1);
    expect(b.server.drafts.get(PSP, fdr)!.payments.size).toBe(0);
  });
});

describe('FdR 3: what a PSP reads of its drafts', () => {
  it('the drafts created since a time (createdGt), and a draft\'s payments by page; a draft for another EC is not found', async () => {
    const since = new Date(b.clock.now() + 1000).toISOString();
    b.clock.advance(2000);
    const fdr = flowName('mine1');
    await create(fdr, createRequest(fdr, { totPayments: 3, sumPayments: 3 }));
    await add(fdr, [payment(3, 1), payment(1, 1), payment(2, 1)]);
    const recent = (await b.psp('GET', 'listCreatedFlows', `/psps/${PSP}/created?createdGt=${encodeURIComponent(since)}`)).json as { data: { fdr: string; organizationId: string; revision: number }[] };
    expect(recent.data).toEqual([expect.objectContaining({ fdr, organizationId: EC, revision: 1 })]);
    const page = (await b.psp('GET', 'getCreatedFlowPayments', `/psps/${PSP}/created/fdrs/${fdr}/organizations/${EC}/payments?page=1&size=2`)).json as { metadata: { totPage: number }; data: { index: number }[] };
    expect([page.metadata.totPage, page.data.map((p) => p.index)]).toEqual([2, [1, 2]]);
    const other = await b.psp('GET', 'getCreatedFlow', `/psps/${PSP}/created/fdrs/${fdr}/organizations/${OTHER_EC}`);
    expect([other.status, code(other)]).toEqual([404, 'FDR-3001']);
  });
});

describe('FdR 3: revisions (NM-FDR-PAY-11)', () => {
  it('creating a published name drafts revision r+1; once published the EC lists only the latest, and both revisions stay readable', async () => {
    const fdr = flowName('rev1');
    await b.publish(fdr);
    expect((await create(fdr)).status).toBe(201);
    expect(((await b.psp('GET', 'getCreatedFlow', `/psps/${PSP}/created/fdrs/${fdr}/organizations/${EC}`)).json as { revision: number }).revision).toBe(2);
    // while revision 2 is a draft the EC still sees revision 1
    expect((await listed()).filter((f) => f.fdr === fdr).map((f) => f.revision)).toEqual([1]);
    await add(fdr, [payment(1, 10.25), payment(2, 20.25, { payStatus: 'REVOKED' })]);
    expect((await publish(fdr)).status).toBe(200);
    expect((await listed()).filter((f) => f.fdr === fdr).map((f) => f.revision)).toEqual([2]);
    expect((await orgFlow(fdr, 1)).json).toMatchObject({ revision: 1 });
    expect((await orgFlow(fdr, 2)).json).toMatchObject({ revision: 2 });
    expect(((await orgPayments(fdr, 2)).json as { data: { payStatus: string }[] }).data[1]!.payStatus).toBe('REVOKED');
    expect(((await orgPayments(fdr, 1)).json as { data: { payStatus: string }[] }).data[1]!.payStatus).toBe('NO_RPT');
    expect((await orgFlow(fdr, 3)).status).toBe(404);
    const psp = await b.psp('GET', 'getPublishedFlow', `/psps/${PSP}/published/fdrs/${fdr}/revisions/2/organizations/${EC}`);
    expect(psp.json).toMatchObject({ status: 'PUBLISHED', revision: 2 });
    const mine = (await b.psp('GET', 'listPublishedFlows', `/psps/${PSP}/published?organizationId=${EC}`)).json as { data: { fdr: string; revision: number }[] };
    expect(mine.data.filter((f) => f.fdr === fdr)).toEqual([expect.objectContaining({ revision: 2, organizationId: EC })]);
    expect(b.flows.revisions(PSP, fdr).map((s) => s.revision)).toEqual([1, 2]);
  });

  it('an EC reads only its own flows: another EC gets FDR-3001 and an empty list', async () => {
    const fdr = flowName('own1');
    await b.publish(fdr);
    const other = await b.org('getOrganizationFlow', `/organizations/${OTHER_EC}/fdrs/${fdr}/revisions/1/psps/${PSP}`);
    expect([other.status, code(other)]).toEqual([404, 'FDR-3001']);
    const list = (await b.org('listOrganizationFlows', `/organizations/${OTHER_EC}/fdrs`)).json as { data: { fdr: string }[] };
    expect(list.data.map((f) => f.fdr)).not.toContain(fdr);
  });

  it('the list filters by PSP and by publication time (publishedGt)', async () => {
    const fdr = flowName('later');
    const before = new Date(b.clock.now()).toISOString();
    b.clock.advance(60_000);
    await b.publish(fdr);
    const since = (await orgList(`?publishedGt=${encodeURIComponent(new Date(b.clock.now() - 1000).toISOString())}`)).json as { data: { fdr: string }[] };
    expect(since.data.map((f) => f.fdr)).toEqual([fdr]);
    expect(((await orgList(`?publishedGt=${encodeURIComponent(before)}&pspId=88888888881`)).json as { data: unknown[] }).data).toEqual([]);
    // flowDate: a lower limit on the flow's own date (fdrDate)
    const late = flowName('late2');
    await b.publish(late, TWO, createRequest(late, { fdrDate: '2026-11-25T08:00:00Z' }));
    const byDate = (await orgList(`?flowDate=${encodeURIComponent('2026-11-24T00:00:00Z')}`)).json as { data: { fdr: string; flowDate: string }[] };
    expect(byDate.data.map((f) => [f.fdr, f.flowDate])).toEqual([[late, '2026-11-25T08:00:00Z']]);
  });
});

type Step = () => Promise<RestCall>;
/** [catalogue row, what is done, expected code, expected HTTP status, the calls] */
const ERRORS: [string, string, string, number, Step][] = [
  ['NM-FDR-ERR-10', 'create a name that is a draft', 'FDR-3002', 400, async () => { await create(flowName('e10')); return create(flowName('e10')); }],
  ['NM-FDR-ERR-11', 'add to a PUBLISHED flow', 'FDR-3003', 400, async () => { await b.publish(flowName('e11a')); return add(flowName('e11a'), [payment(3)]); }],
  ['NM-FDR-ERR-11', 'publish a CREATED flow (no payments)', 'FDR-3003', 400, async () => { await create(flowName('e11b')); return publish(flowName('e11b')); }],
  ['NM-FDR-ERR-11', 'delete a PUBLISHED flow', 'FDR-3003', 400, async () => { await b.publish(flowName('e11c')); return drop(flowName('e11c')); }],
  ['NM-FDR-ERR-11', 'del payments of a PUBLISHED flow', 'FDR-3003', 400, async () => { await b.publish(flowName('e11d')); return del(flowName('e11d'), [1]); }],
  ['NM-FDR-ERR-11', 'del payments of a CREATED flow', 'FDR-3003', 400, async () => { await create(flowName('e11e')); return del(flowName('e11e'), [1]); }],
  ['NM-FDR-ERR-12', 'sender.pspId ≠ path pspId', 'FDR-3004', 400, () => create(flowName('e12a'), createRequest(flowName('e12a'), { pspId: '88888888881' }))],
  ['NM-FDR-ERR-12', 'body fdr ≠ path fdr', 'FDR-3010', 400, () => create(flowName('e12b'), createRequest(flowName('e12x')))],
  ['NM-FDR-ERR-13', 'the same index twice in one add', 'FDR-3005', 400, async () => { await create(flowName('e13a')); return add(flowName('e13a'), [payment(1), payment(1)]); }],
  ['NM-FDR-ERR-13', 'the same index twice in one del', 'FDR-3005', 400, async () => { await create(flowName('e13b')); await add(flowName('e13b'), [payment(1)]); return del(flowName('e13b'), [1, 1]); }],
  ['NM-FDR-ERR-13', 'an index already added', 'FDR-3006', 400, async () => { await create(flowName('e13c')); await add(flowName('e13c'), [payment(1)]); return add(flowName('e13c'), [payment(2), payment(1)]); }],
  ['NM-FDR-ERR-13', 'del of an index not in the flow', 'FDR-3007', 400, async () => { await create(flowName('e13d')); await add(flowName('e13d'), [payment(1)]); return del(flowName('e13d'), [7]); }],
  ['NM-FDR-ERR-14', 'a name without a date part', 'FDR-3008', 400, () => create(`${PSP}-2026-11-23-x`, createRequest(`${PSP}-2026-11-23-x`))],
  ['NM-FDR-ERR-14', 'a name with an impossible date', 'FDR-3008', 400, () => create(flowName('e14', PSP, '2026-02-30'), createRequest(flowName('e14', PSP, '2026-02-30')))],
  ['NM-FDR-ERR-14', 'a name with another PSP', 'FDR-3009', 400, () => create(flowName('e14b', '88888888881'), createRequest(flowName('e14b', '88888888881')))],
  ['NM-FDR-ERR-15', 'publish with fewer payments than totPayments', 'FDR-4001', 400, async () => { await create(flowName('e15a')); await add(flowName('e15a'), [payment(1, 30.5)]); return publish(flowName('e15a')); }],
  ['NM-FDR-ERR-15', 'publish with a sum ≠ sumPayments', 'FDR-4002', 400, async () => { await create(flowName('e15b')); await add(flowName('e15b'), [payment(1, 10.25), payment(2, 20.26)]); return publish(flowName('e15b')); }],
  ['NM-FDR-ERR-16', 'unknown PSP', 'FDR-2000', 400, () => create(flowName('e16', '99999999999'), createRequest(flowName('e16', '99999999999'), { pspId: '99999999999' }), '99999999999')],
  ['NM-FDR-ERR-16', 'PSP not enabled', 'FDR-2001', 400, () => create(flowName('e16', '88888888880'), createRequest(flowName('e16', '88888888880'), { pspId: '88888888880' }), '88888888880')],
  ['NM-FDR-ERR-16', 'unknown broker', 'FDR-2002', 400, () => create(flowName('e16c'), { ...createRequest(flowName('e16c')), sender: { ...createRequest('x').sender, pspBrokerId: '79999999999' } })],
  ['NM-FDR-ERR-16', 'broker not enabled', 'FDR-2003', 400, () => create(flowName('e16d'), { ...createRequest(flowName('e16d')), sender: { ...createRequest('x').sender, pspBrokerId: '70000000000' } })],
  ['NM-FDR-ERR-16', 'unknown channel', 'FDR-2004', 400, () => create(flowName('e16e'), { ...createRequest(flowName('e16e')), sender: { ...createRequest('x').sender, channelId: 'nope' } })],
  ['NM-FDR-ERR-16', 'channel not enabled', 'FDR-2005', 400, () => create(flowName('e16f'), { ...createRequest(flowName('e16f')), sender: { ...createRequest('x').sender, channelId: '70000000001_00' } })],
  ['NM-FDR-ERR-16', 'channel of another broker', 'FDR-2006', 400, () => create(flowName('e16g'), { ...createRequest(flowName('e16g')), sender: { ...createRequest('x').sender, channelId: '70000000002_01' } })],
  ['NM-FDR-ERR-16', 'channel not for the PSP', 'FDR-2007', 400, () => create(flowName('e16h'), { ...createRequest(flowName('e16h')), sender: { ...createRequest('x').sender, channelId: '70000000001_02' } })],
  ['NM-FDR-ERR-16', 'unknown EC', 'FDR-2008', 400, () => create(flowName('e16i'), createRequest(flowName('e16i'), { organizationId: '12345678901' }))],
  ['NM-FDR-ERR-16', 'EC not enabled', 'FDR-2009', 400, () => create(flowName('e16j'), createRequest(flowName('e16j'), { organizationId: '77777777770' }))],
  ['NM-FDR-ERR-16', 'an EC not enabled reads its list', 'FDR-2009', 400, () => b.org('listOrganizationFlows', '/organizations/77777777770/fdrs')],
  ['NM-FDR-ERR-16', 'a list filtered by an unknown PSP', 'FDR-2000', 400, () => orgList('?pspId=99999999999')],
  ['NM-FDR-ERR-17', 'a date that is not ISO 8601', 'FDR-1002', 400, () => create(flowName('e17a'), createRequest(flowName('e17a'), { fdrDate: '23/11/2026 10:00' }))],
  ['NM-FDR-ERR-17', 'a date-time without its offset', 'FDR-1002', 400, () => create(flowName('e17b'), createRequest(flowName('e17b'), { fdrDate: '2026-11-23T10:00:00' }))],
  ['NM-FDR-ERR-17', 'a payStatus outside the enumeration', 'FDR-1003', 400, async () => { await create(flowName('e17c')); return add(flowName('e17c'), [payment(1, 1, { payStatus: 'PAID' as never })]); }],
  ['NM-FDR-ERR-17', 'a number sent as text', 'FDR-1004', 400, () => create(flowName('e17d'), { ...createRequest(flowName('e17d')), totPayments: 'two' as never })],
  ['NM-FDR-ERR-17', 'a required field missing', 'FDR-1000', 400, () => { const { regulation: _r, ...req } = createRequest(flowName('e17e')); return create(flowName('e17e'), req as never); }],
  ['NM-FDR-ERR-17', 'a value breaking its pattern (pspName of 2 characters)', 'FDR-1001', 400, () => create(flowName('e17f'), { ...createRequest(flowName('e17f')), sender: { ...createRequest('x').sender, pspName: 'AB' } })],
  ['NM-FDR-ERR-17', 'an amount with three decimals', 'FDR-1001', 400, () => create(flowName('e17g'), createRequest(flowName('e17g'), { sumPayments: 30.505 }))],
  ['NM-FDR-ERR-17', 'more than 1000 payments in one add', 'FDR-1001', 400, async () => { await create(flowName('e17h')); return add(flowName('e17h'), Array.from({ length: 1001 }, (_, i) => payment(i + 1, 1))); }],
  ['NM-FDR-ERR-17', 'a payment of 0.001 euro, even to an unknown flow (syntax before state)', 'FDR-1001', 400, () => add(flowName('none7'), [payment(1, 0.001)])],
  ['NM-FDR-ERR-17', 'an idTransfer of 6', 'FDR-1001', 400, async () => { await create(flowName('e17i')); return add(flowName('e17i'), [payment(1, 1, { idTransfer: 6 })]); }],
  ['NM-FDR-ERR-18', 'publish a flow that does not exist', 'FDR-3001', 404, () => publish(flowName('none1'))],
  ['NM-FDR-ERR-18', 'add to a flow that does not exist', 'FDR-3001', 404, () => add(flowName('none2'), [payment(1)])],
  ['NM-FDR-ERR-18', 'delete a flow that does not exist', 'FDR-3001', 404, () => drop(flowName('none3'))],
  ['NM-FDR-ERR-18', 'the EC reads an unknown revision', 'FDR-3001', 404, () => orgFlow(flowName('none4'), 1)],
  ['NM-FDR-ERR-18', 'the EC reads the payments of an unknown flow', 'FDR-3001', 404, () => orgPayments(flowName('none5'), 1)],
  ['NM-FDR-ERR-18', 'the PSP reads a draft that does not exist', 'FDR-3001', 404, () => b.psp('GET', 'getCreatedFlow', `/psps/${PSP}/created/fdrs/${flowName('none6')}/organizations/${EC}`)],
];

describe('FdR 3: every error path answers its FDR code (NM-FDR-ERR-10…18)', () => {
  it.each(ERRORS)('%s — %s → %s (HTTP %i)', async (_id, _what, expected, status, step) => {
    const before = b.journal.entries.length;
    const r = await step();
    expect([r.status, code(r)]).toEqual([status, expected]);
    const body = r.json as { httpStatusCode: number; errors: { message: string }[] };
    expect(body.httpStatusCode).toBe(status);
    expect(body.errors[0]!.message.length).toBeGreaterThan(10);
    // the refusal is an ErrorResponse valid against our document, and it is journaled
    expect(r.verdict?.valid).toBe(true);
    const answer = b.journal.entries.slice(before).filter((e) => e.direction === 'response').at(-1)!;
    expect([answer.httpStatus, answer.xsd?.valid]).toEqual([status, true]);
  });

  it('a refused action changes nothing: the draft keeps its payments and status', async () => {
    const fdr = flowName('keep1');
    await create(fdr);
    await add(fdr, [payment(1)]);
    await add(fdr, [payment(2), payment(2)]);
    await del(fdr, [9]);
    await publish(fdr);
    const d = b.server.drafts.get(PSP, fdr)!;
    expect([d.status, [...d.payments.keys()]]).toEqual(['INSERTED', [1]]);
    expect(b.flows.get(PSP, fdr)).toBeUndefined();
  });

  it('a body that is not JSON is FDR-1005, an empty one FDR-1000', async () => {
    const notJson = await b.raw('POST', `/psps/${PSP}/fdrs/${flowName('raw1')}`, '{"fdr": ');
    expect([notJson.status, (notJson.json as { appErrorCode: string }).appErrorCode]).toEqual([400, 'FDR-1005']);
    const empty = await b.raw('PUT', `/psps/${PSP}/fdrs/${flowName('raw1')}/payments/add`, '');
    expect([empty.status, (empty.json as { appErrorCode: string }).appErrorCode]).toEqual([400, 'FDR-1000']);
  });
});

describe('FdR 3: callers and hostile input', () => {
  it('with subscription keys: none or an unknown one is 401, a key of another PSP or EC is 401, the right key passes', async () => {
    const k = await startFdrBench({ apiKeys: [{ key: 'psp-key', psps: [PSP] }, { key: 'ec-key', organizations: [EC] }] });
    try {
      const fdr = flowName('key1');
      const req = createRequest(fdr);
      const path = `/psps/${PSP}/fdrs/${fdr}`;
      expect((await k.psp('POST', 'createFlow', path, req)).status).toBe(401);
      expect((await k.psp('POST', 'createFlow', path, req, { 'Ocp-Apim-Subscription-Key': 'wrong' })).status).toBe(401);
      expect((await k.psp('POST', 'createFlow', path, req, { 'Ocp-Apim-Subscription-Key': 'ec-key' })).status).toBe(401);
      expect(k.server.drafts.get(PSP, fdr)).toBeUndefined();
      expect((await k.psp('POST', 'createFlow', path, req, { 'Ocp-Apim-Subscription-Key': 'psp-key' })).status).toBe(201);
      // a refused body is the gateway's 401 first, not an FDR code
      expect((await k.raw('POST', path, 'not json')).status).toBe(401);
      expect((await k.org('listOrganizationFlows', `/organizations/${EC}/fdrs?subscription-key=ec-key`)).status).toBe(200);
      expect((await k.org('listOrganizationFlows', `/organizations/${OTHER_EC}/fdrs?subscription-key=ec-key`)).status).toBe(401);
    } finally {
      await k.stop();
    }
  });

  it('fuzzed bodies and paths never crash the server: every answer is JSON, never a 5xx, and the server still serves', async () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const atoms: unknown[] = [null, true, 0, -1, 1e308, 0.001, '', 'x'.repeat(300), '2026-13-45', [], {}, [1, 1], { index: 1 }, '\u0000', '💥'];
    const mutate = (v: unknown, depth = 0): unknown => {
      if (depth > 3 || rnd() < 0.15) return pick(atoms);
      if (Array.isArray(v)) return rnd() < 0.2 ? [] : v.map((x) => mutate(x, depth + 1));
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (rnd() > 0.1) o[rnd() < 0.05 ? `${k}_` : k] = rnd() < 0.3 ? mutate(x, depth + 1) : x;
        return o;
      }
      return rnd() < 0.5 ? pick(atoms) : v;
    };
    const fdr = flowName('fuzz');
    const targets: [string, string, unknown][] = [
      ['POST', `/psps/${PSP}/fdrs/${fdr}`, createRequest(fdr)],
      ['PUT', `/psps/${PSP}/fdrs/${fdr}/payments/add`, { payments: TWO }],
      ['PUT', `/psps/${PSP}/fdrs/${fdr}/payments/del`, { indexList: [1, 2] }],
      ['POST', `/psps/${PSP}/fdrs/${fdr}/publish`, undefined],
      ['DELETE', `/psps/${PSP}/fdrs/${fdr}`, undefined],
      ['GET', `/psps/${PSP}/created?page=${pick(['0', '-1', 'x', '1'])}`, undefined],
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const [method, path, body] = pick(targets);
      const text = body === undefined ? (rnd() < 0.5 ? '' : JSON.stringify(mutate({ a: 1 }))) : rnd() < 0.1 ? JSON.stringify(body).slice(0, Math.floor(rnd() * 40)) : JSON.stringify(mutate(body));
      const r = await b.raw(method, path, text);
      statuses.add(r.status);
      expect(r.status, `${method} ${path} ${text.slice(0, 200)}`).toBeLessThan(500);
      expect(r.json, r.text).toBeDefined();
    }
    // both refusals and acceptances happened
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    expect([...statuses].some((s) => s < 300)).toBe(true);
    const odd = await b.raw('GET', `/psps/${PSP}/published/fdrs/%E0%A4%A/revisions/1/organizations/${EC}`, '');
    expect(odd.status).toBeLessThan(500);
    await b.publish(flowName('after-fuzz'));
    expect(b.flows.get(PSP, flowName('after-fuzz'))).toBeDefined();
    // every answer, refusals included, is valid against our documents
    expect(answersValid()).toEqual([]);
  });

  it('an unexpected fault inside the server is the platform\'s FDR-0500 (HTTP 500), and the next request is served', async () => {
    let broken = true;
    const { FDR_REGISTRY } = await import('./support/fdr-rest.js');
    const { FdrRestServer } = await import('../actors/nodo/fdr/rest-server.js');
    const { FlowStore } = await import('../actors/nodo/fdr/store.js');
    const s = new FdrRestServer({ clock: b.clock, flows: new FlowStore(b.clock), registry: () => { if (broken) throw new Error('configuration unavailable'); return FDR_REGISTRY; } });
    const urls = await s.start();
    try {
      const r = await fetch(`${urls.organizationUrl}/organizations/${EC}/fdrs`);
      const body = (await r.json()) as { appErrorCode: string; errors: { message: string }[] };
      expect([r.status, body.appErrorCode]).toEqual([500, 'FDR-0500']);
      expect(body.errors[0]!.message).toContain('configuration unavailable');
      broken = false;
      expect((await fetch(`${urls.organizationUrl}/organizations/${EC}/fdrs`)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('the registry in force is read per request (a function): a PSP disabled mid-run gets FDR-2001', async () => {
    const reg = structuredClone((await import('./support/fdr-rest.js')).FDR_REGISTRY);
    const k = await startFdrBench({ registry: reg });
    try {
      expect((await k.psp('POST', 'createFlow', `/psps/${PSP}/fdrs/${flowName('reg1')}`, createRequest(flowName('reg1')))).status).toBe(201);
      reg.psps.find((p) => p.idPSP === PSP)!.enabled = false;
      const r = await k.psp('POST', 'createFlow', `/psps/${PSP}/fdrs/${flowName('reg2')}`, createRequest(flowName('reg2')));
      expect(code(r)).toBe('FDR-2001');
      expect([BROKER, CHANNEL]).toHaveLength(2);
    } finally {
      await k.stop();
    }
  });
});
