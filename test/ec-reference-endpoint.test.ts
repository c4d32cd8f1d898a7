// Self-test of the reference EC (candidates/ec), its endpoint: the callee self-check (IF-X-17),
// syntax and garbage handling (IF-X-18, IF-X-09), and the JSON provisioning adapter.
import { describe, expect, it } from 'vitest';
import { isoDate } from '../src/core/clock.js';
import { formatAmount, noticeCheckDigitOk } from '../domain/common.js';
import { NS, OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { type NodeObj, pathText, textOf } from '../src/wire/xml.js';
import { type PositionJson, ProvisioningError, tassaAutoData } from '../candidates/ec/index.js';
import { FC, BROKER, STATION, SEG, SECONDARY, FOREIGN_EC, SECONDARY_BANK, clock, ec, useSharedEc, post, call, callRaw, ids, qr, verify, getPayment, receiptOf, sendRT, expectKo, expectOk, expectSoapFault, neverIssued, stateOf, provisionHttp } from './support/ec-reference.js';

useSharedEc();

// ---------------------------------------------------------------- self-check and syntax

describe('self-check (IF-X-17) and syntax (IF-X-18)', () => {
  const requests = (p: PositionJson): [string, (o: Parameters<typeof ids>[0]) => NodeObj][] => [
    ['paVerifyPaymentNotice', (o) => ({ ...ids(o), ...qr(p) })],
    ['paGetPayment', (o) => ({ ...ids(o), ...qr(p) })],
    ['paGetPaymentV2', (o) => ({ ...ids(o), ...qr(p) })],
    ['paSendRT', (o) => ({ ...ids(o), receipt: receiptOf(p) })],
    ['paSendRTV2', (o) => ({ ...ids(o), receipt: receiptOf(p, { v2: true }) })],
    ['paDemandPaymentNotice', (o) => ({ ...ids(o), idServizio: '00001', idSoggettoServizio: '00001', datiSpecificiServizioRequest: tassaAutoData('ZZ111ZZ') })],
  ];

  it('wrong idPA / idBrokerPA / idStation → PAA_ID_DOMINIO_ERRATO / PAA_ID_INTERMEDIARIO_ERRATO / PAA_STAZIONE_INT_ERRATA on every operation', async () => {
    const p = ec.provision({ state: 'payable' });
    for (const [op, build] of requests(p)) {
      expectKo(await call(op, build({ idPA: FOREIGN_EC })), 'PAA_ID_DOMINIO_ERRATO');
      expectKo(await call(op, build({ idBrokerPA: '99999999999' })), 'PAA_ID_INTERMEDIARIO_ERRATO');
      expectKo(await call(op, build({ idStation: '77777777777_99' })), 'PAA_STAZIONE_INT_ERRATA');
    }
    expect(stateOf(p)).toBe('payable');
  });

  it('schema-invalid requests → HTTP 200 KO PAA_SINTASSI_EXTRAXSD with the operation\'s response element (IF-A-04)', async () => {
    const p = ec.provision({ state: 'payable' });
    for (const [op, build] of requests(p)) {
      const o = OPERATIONS[op]!;
      const good = encodeEnvelope(o, 'request', build({}));
      const variants = [
        good.replace('<idPA>', '<bogus>x</bogus><idPA>'), // unknown element
        good.replace(/<idStation>[^<]*<\/idStation>/, ''), // missing mandatory element
        good.replace(/<idPA>[^<]*<\/idPA>/, `<idPA>${'9'.repeat(36)}</idPA>`), // too long
      ];
      if (op !== 'paDemandPaymentNotice') variants.push(good.replace(/<noticeNumber>\d+<\/noticeNumber>/, '<noticeNumber>3ABC</noticeNumber>'));
      for (const v of variants) {
        const a = await callRaw(v, { op: o, soapAction: op });
        expectKo(a, 'PAA_SINTASSI_EXTRAXSD');
        expect(a.fault?.description).toMatch(/not valid against paForNode\.xsd/);
      }
    }
    expect(stateOf(p)).toBe('payable');
  });

  it('children qualified with the wrapper namespace (a leaked default namespace) are schema-invalid (IF-X-05)', async () => {
    const p = ec.provision({ state: 'payable' });
    const env =
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body>` +
      `<paVerifyPaymentNoticeReq xmlns="${NS.paForNode}"><idPA>${FC}</idPA><idBrokerPA>${BROKER}</idBrokerPA><idStation>${STATION}</idStation>` +
      `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
    expectKo(await callRaw(env, { op: OPERATIONS.paVerifyPaymentNotice }), 'PAA_SINTASSI_EXTRAXSD');
  });

  it('namespaces are resolved, not matched by prefix: a non-standard prefix and default namespaces get a normal answer', async () => {
    const p = ec.provision({ state: 'payable' });
    const prefixed =
      `<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}">` +
      `<idPA>${FC}</idPA><idBrokerPA>${BROKER}</idBrokerPA><idStation>${STATION}</idStation>` +
      `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></x:paVerifyPaymentNoticeReq></S:Body></S:Envelope>`;
    const a = await callRaw(prefixed, { op: OPERATIONS.paVerifyPaymentNotice });
    expectOk(a);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'amount')).toBe(formatAmount(p.amountCents));
    const defaults =
      `<?xml version="1.0"?><Envelope xmlns="${NS.soapenv}"><Header/><Body><paGetPaymentReq xmlns="${NS.paForNode}">` +
      `<idPA xmlns="">${FC}</idPA><idBrokerPA xmlns="">${BROKER}</idBrokerPA><idStation xmlns="">${STATION}</idStation>` +
      `<qrCode xmlns=""><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></paGetPaymentReq></Body></Envelope>`;
    const g = await callRaw(defaults, { op: OPERATIONS.paGetPayment });
    expectOk(g);
    expect(pathText(g.body, 'data', 'creditorReferenceId')).toBe(p.iuv);
    // no SOAPAction header at all: routed by the body element
    expectOk(await callRaw(prefixed, { op: OPERATIONS.paVerifyPaymentNotice, soapAction: undefined }));
  });

  it.each([
    ['not XML', 'this is not XML'],
    ['empty body', ''],
    ['truncated envelope', encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { ...ids(), ...qr(neverIssued()) }).slice(0, 150)],
    ['HTML', '<html><body>hello</body></html>'],
    ['SOAP 1.2 envelope', `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}"/></e:Body></e:Envelope>`],
    ['no Body', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Header/></s:Envelope>`],
    ['two body elements', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><a/><b/></s:Body></s:Envelope>`],
    ['unknown operation', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paFooReq xmlns:x="${NS.paForNode}"/></s:Body></s:Envelope>`],
    ['right name, wrong namespace', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paVerifyPaymentNoticeReq xmlns:x="urn:wrong"/></s:Body></s:Envelope>`],
    ['a nodeForPsp request', encodeEnvelope(OPERATIONS.verifyPaymentNotice!, 'request', { idPSP: 'X' })],
    ['a response instead of a request', encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'response', { outcome: 'OK' })],
    ['a SOAP Fault', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`],
    ['entity expansion (billion laughs)', `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><s:Envelope xmlns:s="${NS.soapenv}"><s:Body>&lol2;</s:Body></s:Envelope>`],
  ])('garbage (%s) → HTTP 500 SOAP Fault soapenv:Client, never a crash or a hang (IF-X-09, IF-A-04)', async (_what, body) => {
    const a = await callRaw(body);
    expectSoapFault(a);
  });

  it('a body over 1 MB → 413, and the server keeps answering', async () => {
    const big = `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}"><idPA>${'1'.repeat(2 * 1024 * 1024)}</idPA></x:paVerifyPaymentNoticeReq></s:Body></s:Envelope>`;
    const r = await post(ec.url, big, 'paVerifyPaymentNotice');
    expect(r.status).toBe(413);
    expectOk(await verify(ec.provision({ state: 'payable' })));
  });
});

// ---------------------------------------------------------------- provisioning

describe('provisioning endpoint', () => {
  it('POST creates a position with a fresh aux-3 notice number; GET reads it back', async () => {
    const seen = new Set<string>();
    for (const state of ['payable', 'paid', 'expired', 'cancelled', 'in-progress'] as const) {
      const r = await provisionHttp({ state, amountCents: 4321, transfers: 2, dueDate: '2027-01-31' });
      expect(r.status).toBe(201);
      const j = r.json as unknown as PositionJson;
      expect(j.fiscalCode).toBe(FC);
      expect(j.state).toBe(state);
      expect(j.amountCents).toBe(4321);
      expect(j.dueDate).toBe('2027-01-31');
      expect(j.noticeNumber).toMatch(new RegExp(`^3${SEG}\\d{15}$`));
      expect(noticeCheckDigitOk(j.noticeNumber)).toBe(true);
      expect(j.iuv).toBe(j.noticeNumber.slice(1));
      expect(j.transfers.map((t) => t.amountCents)).toEqual([2161, 2160]);
      seen.add(j.noticeNumber);
      const g = await fetch(`${ec.baseUrl}/provisioning/positions/${j.fiscalCode}/${j.noticeNumber}`);
      expect(g.status).toBe(200);
      expect(g.headers.get('content-type')).toContain('application/json');
      expect(((await g.json()) as PositionJson).state).toBe(state);
    }
    for (let i = 0; i < 200; i++) seen.add(ec.provision({ state: 'payable' }).noticeNumber);
    expect(seen.size).toBe(205);
  });

  it('a station serving several ECs issues positions for each; each EC answers as its own idPA', async () => {
    const p = ec.provision({ state: 'payable', fiscalCode: SECONDARY, amountCents: 700 });
    expect(p.fiscalCode).toBe(SECONDARY);
    expect(p.transfers[0]!.iban).toBe(SECONDARY_BANK);
    const a = await call('paVerifyPaymentNotice', { ...ids({ idPA: SECONDARY }), ...qr(p) });
    expectOk(a);
    expect(textOf(a.body, 'companyName')).toBe('Provincia di Collaudo');
    expect(textOf(a.body, 'fiscalCodePA')).toBe(SECONDARY);
    expectOk(await sendRT(p, { idPA: SECONDARY }));
    expect(stateOf(p)).toBe('paid');
  });

  it('defaults: payable positions are due in the future, expired ones in the past', async () => {
    const today = isoDate(clock.now());
    expect(ec.provision({ state: 'payable' }).dueDate > today).toBe(true);
    expect(ec.provision({ state: 'expired' }).dueDate < today).toBe(true);
  });

  it('GET of an unknown position → 404; list endpoints answer', async () => {
    const g = await fetch(`${ec.baseUrl}/provisioning/positions/${FC}/${neverIssued().noticeNumber}`);
    expect(g.status).toBe(404);
    expect(((await g.json()) as { error: string }).error).toMatch(/no position/);
    expect((await fetch(`${ec.baseUrl}/provisioning/positions`)).status).toBe(200);
    expect((await fetch(`${ec.baseUrl}/provisioning/receipts`)).status).toBe(200);
    expect(ec.position(FC, neverIssued().noticeNumber)).toBeUndefined();
  });

  it.each([
    ['invalid JSON', '{"state": ', null],
    ['empty body', '', null],
    ['not an object', '[1]', null],
    ['missing state', {}, 'state'],
    ['unknown state', { state: 'open' }, 'state'],
    ['negative amount', { state: 'payable', amountCents: -5 }, 'amountCents'],
    ['fractional amount', { state: 'payable', amountCents: 10.5 }, 'amountCents'],
    ['amount as string', { state: 'payable', amountCents: '100' }, 'amountCents'],
    ['amount too large', { state: 'payable', amountCents: 100_000_000_000 }, 'amountCents'],
    ['zero transfers', { state: 'payable', transfers: 0 }, 'transfers'],
    ['six transfers', { state: 'payable', transfers: 6 }, 'transfers'],
    ['more transfers than cents', { state: 'payable', transfers: 3, amountCents: 2 }, 'amountCents'],
    ['bad secondary fiscal code', { state: 'payable', transfers: 2, secondaryFiscalCode: '123' }, 'secondaryFiscalCode'],
    ['secondary with one transfer', { state: 'payable', secondaryFiscalCode: SECONDARY }, 'secondaryFiscalCode'],
    ['secondary equal to the issuer', { state: 'payable', transfers: 2, secondaryFiscalCode: FC }, 'secondaryFiscalCode'],
    ['bad due date', { state: 'payable', dueDate: '2026-02-30' }, 'dueDate'],
    ['description too long', { state: 'payable', description: 'x'.repeat(141) }, 'description'],
    ['unknown field', { state: 'payable', amount: 100 }, 'amount'],
    ['EC not served', { state: 'payable', fiscalCode: FOREIGN_EC }, 'fiscalCode'],
  ])('400 with the field named: %s', async (_what, body, field) => {
    const r = await provisionHttp(body);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe(field);
    expect(String(r.json.error).length).toBeGreaterThan(10);
    if (field) expect(String(r.json.error)).toContain(field);
  });

  it('the methods validate too, throwing ProvisioningError with the field', () => {
    expect(() => ec.provision({ state: 'payable', transfers: 9 })).toThrow(ProvisioningError);
    let err: unknown;
    try {
      ec.provision({ state: 'nope' as 'payable' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProvisioningError);
    expect((err as ProvisioningError).field).toBe('state');
  });

  it('update: the EC sets a position in progress, cancels it, or updates the amount (transfers rescaled)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 10000, transfers: 3 });
    const r = await fetch(`${ec.baseUrl}/provisioning/positions/${p.fiscalCode}/${p.noticeNumber}`, {
      method: 'POST',
      body: JSON.stringify({ state: 'in-progress' }),
    });
    expect(r.status).toBe(200);
    expectKo(await verify(p), 'PAA_PAGAMENTO_IN_CORSO');
    const u = ec.update(p.fiscalCode, p.noticeNumber, { state: 'payable', amountCents: 12001 });
    expect(u.transfers.reduce((s, t) => s + t.amountCents, 0)).toBe(12001);
    const g = await getPayment(p);
    expect(pathText(g.body, 'data', 'paymentAmount')).toBe('120.01');
    const bad = await fetch(`${ec.baseUrl}/provisioning/positions/${p.fiscalCode}/${p.noticeNumber}`, { method: 'POST', body: JSON.stringify({ colour: 'red' }) });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${ec.baseUrl}/provisioning/positions/${FC}/${neverIssued().noticeNumber}`, { method: 'POST', body: JSON.stringify({ state: 'paid' }) });
    expect(missing.status).toBe(404);
  });
});
