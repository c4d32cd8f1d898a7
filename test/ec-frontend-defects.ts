// Unit demonstrations of the front-end / platform defect switches of the reference EC (spread into
// DEFECT_TESTS of ec-reference-defects.test.ts): each asserts the defective behaviour, so it passes on the
// mutant and fails on the reference EC. The EC under test is rebuilt with the emulated platform.
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ReferenceEc } from '../candidates/ec/index.js';
import { Platform } from '../actors/platform/index.js';
import { Journal } from '../src/core/journal.js';
import type { EcDefect } from '../candidates/ec/defects.js';

type FrontEndDefect = 'cart-amount-euro' | 'redirect-closes' | 'stamp-hash-hex' | 'mbd-refused' | 'instalment-closes-plan' | 'aca-not-fed' | 'aca-stale-amount' | 'gpd-unpublished' | 'gpd-sum-mismatch' | 'send-fee-euro' | 'portal-esito-trusted' | 'portal-error-not-paid';

async function withPlatform(m: ReferenceEc, fn: (ec: ReferenceEc, pf: Platform, journal: Journal) => Promise<void>): Promise<void> {
  const pf = new Platform({ clock: m.opts.clock, idBrokerPA: m.opts.idBrokerPA, idStation: m.opts.idStation });
  const urls = await pf.start();
  const journal = new Journal(m.opts.clock);
  pf.bind({ journal, psp: undefined as never });
  const ec = new ReferenceEc({ ...m.opts, platform: urls, port: 0, journal: undefined, faults: undefined });
  await ec.start();
  try {
    await fn(ec, pf, journal);
  } finally {
    await ec.stop();
    await pf.stop();
  }
}
const post = async (url: string, body: unknown) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json().catch(() => undefined)) as Record<string, unknown> };
};
/** A trigger request of the contract (seat ec) to the EC's hook: 202 at once, then the action's result from the hook's log. */
const trigger = async (ec: ReferenceEc, action: string, extra: { noticeNumber?: string; params?: Record<string, unknown> } = {}) => {
  const params = action === 'checkout-cart' && !extra.params ? { notices: [{ fiscalCode: ec.fiscalCode, noticeNumber: extra.noticeNumber }] } : (extra.params ?? {});
  const r = await post(`${ec.baseUrl}/collaudo/trigger`, { contract: 'collaudo-trigger/1', requestId: randomUUID(), scenarioId: 'EC-UNIT', seat: 'ec', action, fiscalCode: ec.fiscalCode, ...extra, params, deadline: new Date(Date.now() + 5000).toISOString(), deadlineMs: 5000 });
  expect(r.status).toBe(202);
  await ec.frontEnd.idle();
  const log = ec.frontEnd.triggered.find((x) => x.requestId === r.json.accepted);
  expect(log?.error).toBeUndefined();
  return { status: r.status, json: log?.result ?? {} };
};
const bodies = (j: Journal, op: string) => j.filter((e) => e.direction === 'request' && e.primitive === op).map((e) => JSON.parse(e.raw) as Record<string, unknown>);

export const FRONTEND_DEFECT_TESTS: Record<FrontEndDefect & EcDefect, (m: ReferenceEc) => Promise<void>> = {
  async 'cart-amount-euro'(m) {
    await withPlatform(m, async (ec, _pf, j) => {
      const p = ec.provision({ state: 'payable', amountCents: 2500 });
      await trigger(ec, 'checkout-cart', { noticeNumber: p.noticeNumber });
      const cart = bodies(j, 'postCarts')[0] as { paymentNotices: { amount: number }[] };
      expect(cart.paymentNotices[0]!.amount).toBe(25);
    });
  },
  async 'redirect-closes'(m) {
    await withPlatform(m, async (ec) => {
      const p = ec.provision({ state: 'payable' });
      await fetch(`${ec.baseUrl}/frontend/esito?cart=x&esito=OK`);
      expect(ec.position(p.fiscalCode, p.noticeNumber)?.state).toBe('paid');
    });
  },
  async 'stamp-hash-hex'(m) {
    await withPlatform(m, async (ec) => {
      const r = await trigger(ec, 'stamp-cart', { params: { document: 'atto' } });
      expect(ec.frontEnd.stamps.get(String(r.json.noticeNumber))?.hashDocumento).toMatch(/^[0-9a-f]{64}$/);
    });
  },
  async 'mbd-refused'(m) {
    expect(m.defects.has('mbd-refused')).toBe(true);
    await withPlatform(m, async (ec) => {
      const r = await trigger(ec, 'stamp-cart', { params: { document: 'atto' } });
      const nn = String(r.json.noticeNumber);
      const { encodeEnvelope, outcomeOf } = await import('../src/wire/soap.js');
      const { OPERATIONS } = await import('../interfaces/index.js');
      const { decodeEnvelope } = await import('../src/wire/soap.js');
      const s = ec.frontEnd.stamps.get(nn)!;
      const pos = ec.position(ec.fiscalCode, nn)!;
      const env = encodeEnvelope(OPERATIONS.paSendRTV2!, 'request', {
        idPA: ec.fiscalCode, idBrokerPA: ec.opts.idBrokerPA, idStation: ec.opts.idStation,
        receipt: { receiptId: `R${nn}`, noticeNumber: nn, fiscalCode: ec.fiscalCode, outcome: 'OK', creditorReferenceId: pos.iuv, paymentAmount: '16.00', description: 'bollo', companyName: 'EC',
          debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
          transferList: { transfer: [{ idTransfer: 1, transferAmount: '16.00', fiscalCodePA: ec.fiscalCode, companyName: 'EC', MBDAttachment: Buffer.from(`<DigestValue>${s.hashDocumento}</DigestValue>`).toString('base64'), remittanceInformation: 'bollo', transferCategory: '0101101IM' }] },
          idPSP: 'COLLAUDOPSP', PSPCompanyName: 'PSP', idChannel: 'COLLAUDOPSP_01', channelDescription: 'c', paymentDateTime: '2026-11-23T09:00:00', applicationDate: '2026-11-23', transferDate: '2026-11-23' },
      });
      const res = await fetch(ec.url, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: 'paSendRTV2' }, body: env });
      const d = decodeEnvelope(await res.text(), { validate: false });
      expect(d.ok && outcomeOf(d.msg.body)).toBe('KO');
    });
  },
  async 'instalment-closes-plan'(m) {
    await withPlatform(m, async (ec) => {
      const r = await post(`${ec.baseUrl}/provisioning/positions`, { state: 'payable', plan: { instalments: 3, total: true } });
      const opts = r.json.options as { fiscalCode: string; noticeNumber: string }[];
      ec.update(opts[0]!.fiscalCode, opts[0]!.noticeNumber, { state: 'paid' });
      ec.frontEnd.afterPaid(opts[0]!.fiscalCode, opts[0]!.noticeNumber);
      expect(ec.position(opts[1]!.fiscalCode, opts[1]!.noticeNumber)?.state).toBe('cancelled');
    });
  },
  async 'aca-not-fed'(m) {
    await withPlatform(m, async (ec, pf) => {
      const r = await post(`${ec.baseUrl}/provisioning/positions`, { state: 'payable' });
      expect(pf.gpd.acaRecord(String(r.json.noticeNumber))).toBeUndefined();
    });
  },
  async 'aca-stale-amount'(m) {
    await withPlatform(m, async (ec, pf) => {
      const r = await post(`${ec.baseUrl}/provisioning/positions`, { state: 'payable', amountCents: 1000 });
      await post(`${ec.baseUrl}/provisioning/positions/${r.json.fiscalCode}/${r.json.noticeNumber}`, { amountCents: 1500 });
      expect(pf.gpd.acaRecord(String(r.json.noticeNumber))?.amount).toBe(1000);
    });
  },
  async 'gpd-unpublished'(m) {
    await withPlatform(m, async (ec, pf) => {
      const r = await trigger(ec, 'gpd-create', { params: { amountCents: 5000 } });
      expect(pf.gpd.position(ec.fiscalCode, String(r.json.iupd))?.position.status).toBe('DRAFT');
    });
  },
  async 'gpd-sum-mismatch'(m) {
    await withPlatform(m, async (ec, pf) => {
      const r = await trigger(ec, 'gpd-create', { params: { amountCents: 5000 } });
      expect(r.json.gpdStatus).toBe(400);
      expect(pf.gpd.position(ec.fiscalCode, String(r.json.iupd))).toBeUndefined();
    });
  },
  async 'send-fee-euro'(m) {
    await withPlatform(m, async (ec) => {
      const r = await post(`${ec.baseUrl}/provisioning/positions`, { state: 'payable', notificationFeeCents: 250 });
      expect((r.json.metadata as Record<string, string>).NOTIFICATION_FEE).toBe('2.50');
    });
  },
  async 'portal-esito-trusted'(m) {
    await withPlatform(m, async (ec) => {
      const p = ec.provision({ state: 'payable' });
      const s = await post(`${ec.baseUrl}/govpay/pagamenti`, { pendenze: [{ idDominio: p.fiscalCode, numeroAvviso: p.noticeNumber }], urlRitorno: 'https://portale.example.it/fine' });
      await fetch(`${ec.baseUrl}/govpay/ritorno?idSession=${s.json.idSession}&esito=OK`);
      const g = (await (await fetch(`${ec.baseUrl}/govpay/pagamenti/${s.json.id}`)).json()) as { stato: string };
      expect(g.stato).toBe('ESEGUITO');
    });
  },
  async 'portal-error-not-paid'(m) {
    await withPlatform(m, async (ec) => {
      const p = ec.provision({ state: 'payable' });
      const s = await post(`${ec.baseUrl}/govpay/pagamenti`, { pendenze: [{ idDominio: p.fiscalCode, numeroAvviso: p.noticeNumber }], urlRitorno: 'https://portale.example.it/fine' });
      await fetch(`${ec.baseUrl}/govpay/ritorno?idSession=${s.json.idSession}&esito=ERROR`);
      const g = (await (await fetch(`${ec.baseUrl}/govpay/pagamenti/${s.json.id}`)).json()) as { stato: string };
      expect(g.stato).toBe('NON_ESEGUITO');
    });
  },
};
