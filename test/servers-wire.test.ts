// issue 8 item 5: the reference EC checks SOAPAction against the body element (IF-X-02; before: a
// paVerifyPaymentNotice sent with SOAPAction paGetPayment got OK), the Nodo refuses a non-XML
// Content-Type naming IF-X-01 (before: application/json was served), and the provisioning endpoint
// answers 413 in JSON (before: a SOAP fault).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { loadProfile } from '../src/profile/index.js';
import { REFERENCE_EC_PROFILE } from '../seats/ec.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { textOf, child } from '../src/wire/xml.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { startAll, type Servers } from './support/servers.js';
import { decodeEnvelope } from '../interfaces/index.js';

const p = loadProfile(REFERENCE_EC_PROFILE).profile;
let s: Servers;
let url: (name: string) => string;
beforeAll(async () => {
  s = await startAll();
  url = (name) => { const t = s.targets.find((x) => x.name === name)!; return `http://${t.host}:${t.port}`; };
});
afterAll(async () => {
  await s?.stop();
});

async function provision(): Promise<{ fiscalCode: string; noticeNumber: string }> {
  const r = await fetch(`${url('ec')}/provisioning/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'payable', amountCents: 1000 }) });
  expect(r.status).toBe(201);
  return (await r.json()) as { fiscalCode: string; noticeNumber: string };
}

function verifyEnvelope(n: { fiscalCode: string; noticeNumber: string }): string {
  return encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, qrCode: { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber } });
}

describe('wire rules of our servers', () => {
  it('EC: a SOAPAction naming another operation gets KO PAA_SINTASSI_EXTRAXSD naming IF-X-02; the right one OK', async () => {
    const n = await provision();
    const send = async (action: string) => {
      const r = await fetch(`${url('ec')}/pagopa/paForNode`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: `"${action}"` }, body: verifyEnvelope(n) });
      const d = decodeEnvelope(await r.text());
      if (!d.ok) throw new Error(d.message);
      return { status: r.status, outcome: textOf(d.msg.body, 'outcome'), code: textOf(child(d.msg.body, 'fault'), 'faultCode'), description: textOf(child(d.msg.body, 'fault'), 'description') };
    };
    const wrong = await send('paGetPayment');
    expect(wrong).toMatchObject({ status: 200, outcome: 'KO', code: 'PAA_SINTASSI_EXTRAXSD' });
    expect(wrong.description).toMatch(/IF-X-02.*"paGetPayment".*paVerifyPaymentNotice/);
    expect(await send('paVerifyPaymentNotice')).toMatchObject({ status: 200, outcome: 'OK' });
  });

  it('Nodo: Content-Type application/json is refused with 415 and a SOAP fault naming IF-X-01; text/xml is served', async () => {
    const body = encodeEnvelope(OPERATIONS.verifyPaymentNotice!, 'request', {
      idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password,
      qrCode: { fiscalCode: p.ec.idPA, noticeNumber: '399999999999999999' },
    });
    const json = await fetch(`${url('nodo')}/nodeForPsp`, { method: 'POST', headers: { 'content-type': 'application/json', soapaction: 'verifyPaymentNotice' }, body });
    expect(json.status).toBe(415);
    const d = decodeEnvelope(await json.text());
    expect(d.ok && d.msg.soapFault?.faultstring).toMatch(/IF-X-01: Content-Type application\/json is not XML/);
    const xml = await fetch(`${url('nodo')}/nodeForPsp`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: 'verifyPaymentNotice' }, body });
    expect(xml.status).toBe(200);
  });

  it('EC provisioning: a body over the limit gets 413 with a JSON body; the SOAP endpoint a SOAP fault', async () => {
    const ec = new ReferenceEc({ clock: new RealClock(), idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, companyName: 'EC', segregationCode: p.ec.segregationCode ?? '01', ibans: p.ec.ibans ?? [], maxBodyBytes: 1000 });
    await ec.start();
    try {
      const big = JSON.stringify({ state: 'payable', description: 'x'.repeat(5000) });
      const r = await fetch(`${ec.baseUrl}/provisioning/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(r.status).toBe(413);
      expect(r.headers.get('content-type')).toContain('application/json');
      expect(JSON.parse(await r.text())).toMatchObject({ error: expect.stringMatching(/larger than 1000 bytes/) });
      const soap = await fetch(ec.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: big });
      expect(soap.status).toBe(413);
      expect(await soap.text()).toContain('Fault');
    } finally {
      await ec.stop();
    }
  });
});
