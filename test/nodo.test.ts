// Self-test of the reference Nodo (actors/nodo) and the emulated PSP (actors/psp/client.ts) against
// the fake EC of ./support/nodo-fixture.ts: nominal flows, caller and counterpart configuration,
// syntax, EC answers judged by the Nodo. Token lifecycle, receipts and defects: nodo-lifecycle.test.ts.
import { describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { readFault } from '../src/wire/soap.js';
import { child, childrenNamed, textOf } from '../src/wire/xml.js';
import { EmulatedPsp, transfersOf } from '../actors/psp/client.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { EC_A, EC_B, EC_OFF as OFF, EC_UNKNOWN as UNKNOWN, IBAN_A, IBAN_A_POSTAL, IBAN_B, MBD_DOC, clock, journal, pspJournal, nodoFaults, ecFaults, type FakeNotice, fakeEc, nodo, psp, nodoUrl, notice as newNotice, qr, newNodo, ecCalls, useNodoFixture } from './support/nodo-fixture.js';

useNodoFixture('nodo.test', 100);
// plain local names: some test titles print these functions' source (it.each with %s)
const notice = newNotice;
const EC_OFF = OFF;
const EC_UNKNOWN = UNKNOWN;

// ================================================================ nominal flows

describe('nominal payment', () => {
  it('V1: verify → activate → outcome OK → paSendRT receipt, then the notice is paid (NM-PSPPAY-PAY-01, NM-RT-PAY-01)', async () => {
    const n = notice('01');
    const r = await psp.payNotice(qr(n));
    expect(r.verify?.outcome).toBe('OK');
    expect(r.verify?.amountCents).toBe(12_050);
    expect(r.activate?.outcome).toBe('OK');
    const token = r.paymentToken!;
    expect(token.length).toBeGreaterThan(0);
    expect(token.length).toBeLessThanOrEqual(35);
    expect(r.activate?.totalAmountCents).toBe(12_050);
    expect(transfersOf(r.activate?.body)).toEqual([{ idTransfer: 1, amountCents: 12_050, fiscalCodePA: EC_A, iban: IBAN_A }]);
    expect(textOf(r.activate?.body, 'creditorReferenceId')).toBe(n.noticeNumber.slice(1));
    expect(r.outcome?.outcome).toBe('OK');
    expect(fakeEc.count('paVerifyPaymentNotice', n.noticeNumber)).toBe(1);
    expect(fakeEc.count('paGetPayment', n.noticeNumber)).toBe(1);
    expect(fakeEc.calls.find((c) => c.primitive === 'paGetPayment' && c.noticeNumber === n.noticeNumber)?.idStation).toBe('STA_V1');

    const d = await nodo.waitDelivery(token, EC_A, 2000);
    expect(d.state).toBe('delivered');
    expect(d.primitive).toBe('paSendRT');
    expect(d.attempts).toHaveLength(1);
    const rcpt = fakeEc.booked.get(`${EC_A}|${token}`)!;
    expect(textOf(rcpt, 'receiptId')).toBe(token);
    expect(textOf(rcpt, 'noticeNumber')).toBe(n.noticeNumber);
    expect(textOf(rcpt, 'outcome')).toBe('OK');
    expect(textOf(rcpt, 'paymentAmount')).toBe('120.50');
    expect(textOf(rcpt, 'idPSP')).toBe(HARNESS_PSP.idPSP);
    expect(textOf(rcpt, 'PSPCompanyName')).toBe(HARNESS_PSP.companyName);
    expect(textOf(rcpt, 'idChannel')).toBe(HARNESS_PSP.idChannel);
    expect(textOf(rcpt, 'fee')).toBe('1.00');
    expect(textOf(rcpt, 'standIn')).toBe('false');
    expect(textOf(child(rcpt, 'debtor'), 'fullName')).toBe('Mario Rossi');
    expect(textOf(child(child(rcpt, 'metadata'), 'mapEntry'), 'key')).toBe('pratica');

    // the PSP's answer is journaled before the receipt is sent (asynchronous delivery)
    const outcomeAnswer = journal.entries.find((e) => e.primitive === 'sendPaymentOutcome' && e.direction === 'response')!;
    const rtRequest = journal.entries.find((e) => e.primitive === 'paSendRT' && e.direction === 'request')!;
    expect(outcomeAnswer.seq).toBeLessThan(rtRequest.seq);
    expect(journal.entries.find((e) => e.primitive === 'verifyPaymentNotice' && e.direction === 'request')?.from).toBe('psp');
    expect(pspJournal.entries.filter((e) => e.from === 'psp' && e.to === 'nodo').map((e) => e.primitive)).toEqual([
      'verifyPaymentNotice',
      'activatePaymentNotice',
      'sendPaymentOutcome',
    ]);

    // paid through the platform: the Nodo answers alone (NM-PSPPAY-ERR-07)
    expect(nodo.notice(EC_A, n.noticeNumber)).toEqual({ state: 'paid', paymentToken: token });
    expect(nodo.token(token)?.state).toBe('PAID');
    const before = ecCalls();
    const v = await psp.verify(qr(n));
    expect(v.fault?.faultCode).toBe('PPT_PAGAMENTO_DUPLICATO');
    expect(v.fault?.id).toBe('NodoDeiPagamentiSPC');
    const a = await psp.activate(qr(n), 12_050);
    expect(a.fault?.faultCode).toBe('PPT_PAGAMENTO_DUPLICATO');
    expect(ecCalls()).toBe(before);
  });

  it('V2 station and V2 primitives: paGetPaymentV2 / paSendRTV2 with fee bundles and paymentNote (NM-PSPPAY-PAY-03, NM-RT-PAY-02)', async () => {
    const n = notice('02', { transfers: [{ fc: EC_A, amountCents: 12_050, iban: IBAN_A_POSTAL }] });
    const a = await psp.activate(qr(n), 12_050, { v2: true, paymentNote: 'nota del pagatore', paymentMethod: 'CP', touchPoint: 'PSP' });
    expect(a.outcome).toBe('OK');
    expect(a.body?.name).toBe('activatePaymentNoticeV2Response');
    expect(textOf(a.body, 'allCCP')).toBe('true');
    expect(textOf(child(child(a.body, 'transferList'), 'transfer'), 'transferCategory')).toBe('0101101IM');
    expect(textOf(child(child(a.body, 'transferList'), 'transfer'), 'companyName')).toBe('Comune di Prova');
    expect(child(a.body, 'metadata')).toBeDefined();
    expect(fakeEc.count('paGetPaymentV2', n.noticeNumber)).toBe(1);
    const o = await psp.outcome(a.paymentToken!, 'OK', { v2: true, details: { feeCents: 150, primaryCiIncurredFeeCents: 50, idBundle: 'bundle-1', idCiBundle: 'ci-bundle-1' } });
    expect(o.outcome).toBe('OK');
    expect(o.body?.name).toBe('sendPaymentOutcomeV2Response');
    const d = await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    expect(d).toMatchObject({ state: 'delivered', primitive: 'paSendRTV2' });
    const rcpt = fakeEc.booked.get(`${EC_A}|${a.paymentToken}`)!;
    expect(textOf(rcpt, 'fee')).toBe('1.50');
    expect(textOf(rcpt, 'primaryCiIncurredFee')).toBe('0.50');
    expect(textOf(rcpt, 'idBundle')).toBe('bundle-1');
    expect(textOf(rcpt, 'idCiBundle')).toBe('ci-bundle-1');
    expect(textOf(rcpt, 'paymentNote')).toBe('nota del pagatore');
  });

  it('digital stamp: V1 activate refused, V2 needs the marcaDaBollo, receipt V2 carries MBDAttachment (IF-activatePaymentNotice-F79, NM-A-18)', async () => {
    const n = notice('02', {
      amountCents: 11_600,
      transfers: [
        { fc: EC_A, amountCents: 10_000, iban: IBAN_A },
        { fc: EC_A, amountCents: 1_600, mbd: true },
      ],
    });
    const v1 = await psp.activate(qr(n), 11_600);
    expect(v1.fault?.faultCode).toBe('PPT_SEMANTICA');
    const a = await psp.activate(qr(n), 11_600, { v2: true });
    expect(a.outcome).toBe('OK');
    const mbd = childrenNamed(child(a.body, 'transferList'), 'transfer')[1]!;
    expect(textOf(child(mbd, 'richiestaMarcaDaBollo'), 'tipoBollo')).toBe('01');
    const missing = await psp.outcome(a.paymentToken!, 'OK', { v2: true });
    expect(missing.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(nodo.token(a.paymentToken!)?.state).toBe('ACTIVE');
    const o = await psp.outcome(a.paymentToken!, 'OK', { v2: true, details: { marcheDaBollo: [{ paymentToken: a.paymentToken!, idTransfer: 2, MBDAttachment: MBD_DOC }] } });
    expect(o.outcome).toBe('OK');
    await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    const rcpt = fakeEc.booked.get(`${EC_A}|${a.paymentToken}`)!;
    const ts = childrenNamed(child(rcpt, 'transferList'), 'transfer');
    expect(textOf(ts[1], 'MBDAttachment')).toBe(MBD_DOC);
    expect(textOf(ts[0], 'IBAN')).toBe(IBAN_A);
  });

  it('multi-beneficiary: one receipt to the issuing EC and one to the secondary EC, each with its own station (NM-MB-PAY-01)', async () => {
    const n = notice('01', {
      amountCents: 30_000,
      transfers: [
        { fc: EC_A, amountCents: 20_000, iban: IBAN_A },
        { fc: EC_B, amountCents: 10_000, iban: IBAN_B },
      ],
    });
    const r = await psp.payNotice(qr(n));
    expect(r.outcome?.outcome).toBe('OK');
    const [da, db] = await Promise.all([nodo.waitDelivery(r.paymentToken!, EC_A, 2000), nodo.waitDelivery(r.paymentToken!, EC_B, 2000)]);
    expect(da).toMatchObject({ state: 'delivered', role: 'primary', idStation: 'STA_V1' });
    expect(db).toMatchObject({ state: 'delivered', role: 'secondary', idStation: 'STA_B' });
    const toB = fakeEc.calls.find((c) => c.primitive === 'paSendRT' && c.idPA === EC_B)!;
    expect(toB.idStation).toBe('STA_B');
    expect(textOf(child(toB.body, 'receipt'), 'fiscalCode')).toBe(EC_A);
    expect(nodo.deliveries(r.paymentToken)).toHaveLength(2);
  });

  it('outcome KO: no receipt, the notice is payable again at once (NM-PSPPAY-PAY-06, NM-RT-VAL-01)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050);
    const o = await psp.outcome(a.paymentToken!, 'KO');
    expect(o.outcome).toBe('OK');
    await new Promise((r) => setImmediate(r));
    expect(nodo.deliveries(a.paymentToken)).toEqual([]);
    expect(nodo.token(a.paymentToken!)?.state).toBe('CLOSED_KO');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    const again = await psp.activate(qr(n), 12_050);
    expect(again.outcome).toBe('OK');
    expect(again.paymentToken).not.toBe(a.paymentToken);
    await psp.outcome(again.paymentToken!, 'KO');
  });
});

// ================================================================ caller and counterpart configuration

describe('caller authentication (IF-X-16) and counterpart routing (IF-verifyPaymentNotice-F72)', () => {
  const authCases: [string, Parameters<EmulatedPsp['withIds']>[0], string][] = [
    ['unknown PSP', { idPSP: 'NOPSP' }, 'PPT_PSP_SCONOSCIUTO'],
    ['disabled PSP', { idPSP: 'PSPOFF' }, 'PPT_PSP_DISABILITATO'],
    ['unknown broker', { idBrokerPSP: 'NOBROKER' }, 'PPT_INTERMEDIARIO_PSP_SCONOSCIUTO'],
    ['disabled broker', { idBrokerPSP: 'BRKPSPOFF' }, 'PPT_INTERMEDIARIO_PSP_DISABILITATO'],
    ['unknown channel', { idChannel: 'NOCHANNEL' }, 'PPT_CANALE_SCONOSCIUTO'],
    ['disabled channel', { idChannel: 'CHOFF' }, 'PPT_CANALE_DISABILITATO'],
    ['channel of another broker', { idChannel: 'CHTWO' }, 'PPT_AUTORIZZAZIONE'],
    ['PSP not on the channel', { idPSP: 'PSPTWO' }, 'PPT_AUTORIZZAZIONE'],
    ['wrong password', { password: 'wrong_pass1' }, 'PPT_AUTENTICAZIONE'],
  ];
  it.each(authCases)('%s → %s on verify, activate and outcome, with no EC call', async (_name, ids, code) => {
    const n = notice();
    const bad = psp.withIds(ids);
    const before = ecCalls();
    for (const c of [await bad.verify(qr(n)), await bad.activate(qr(n), 100), await bad.outcome('sometoken', 'OK')]) {
      expect(c.result.status).toBe(200);
      expect(c.outcome).toBe('KO');
      expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
      expect(c.fault?.faultString).toBeTruthy();
    }
    expect(ecCalls()).toBe(before);
  });

  const routeCases: [string, () => { fiscalCode: string; noticeNumber: string }, string][] = [
    ['unknown EC', () => ({ fiscalCode: EC_UNKNOWN, noticeNumber: notice().noticeNumber }), 'PPT_DOMINIO_SCONOSCIUTO'],
    ['disabled EC', () => ({ fiscalCode: EC_OFF, noticeNumber: notice().noticeNumber }), 'PPT_DOMINIO_DISABILITATO'],
    ['no station for the segregation code', () => notice('09'), 'PPT_STAZIONE_INT_PA_SCONOSCIUTA'],
    ['disabled station', () => notice('03'), 'PPT_STAZIONE_INT_PA_DISABILITATA'],
    ['disabled EC broker', () => notice('05'), 'PPT_INTERMEDIARIO_PA_DISABILITATO'],
    ['unknown EC broker', () => notice('07'), 'PPT_INTERMEDIARIO_PA_SCONOSCIUTO'],
    ['station service not active', () => notice('04'), 'PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO'],
  ];
  it.each(routeCases)('%s → %s on verify and activate, with no EC call', async (_name, mk, code) => {
    const n = mk();
    const before = ecCalls();
    for (const c of [await psp.verify(qr(n)), await psp.activate(qr(n), 100), await psp.activate(qr(n), 100, { v2: true })]) {
      expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
    }
    expect(ecCalls()).toBe(before);
  });
});

describe('syntax (IF-X-18, IF-A-04, IF-A-05)', () => {
  it('schema-invalid request → KO PPT_SINTASSI_EXTRAXSD with HTTP 200', async () => {
    const c = await psp.send('verifyPaymentNotice', { ...psp.callerFields(), qrCode: { fiscalCode: EC_A, noticeNumber: '12345' } });
    expect(c.result.status).toBe(200);
    expect(c.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD');
    const over = await psp.activate(qr(notice()), 100, { expirationTimeMs: 1_800_001 });
    expect(over.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD'); // NM-TOK-VAL-01
    const badKey = await psp.activate(qr(notice()), 100, { idempotencyKey: 'no-good' });
    expect(badKey.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD'); // NM-TOK-VAL-03
  });
  it('not a SOAP envelope → SOAP Fault, HTTP 500; DTD refused the same way', async () => {
    for (const raw of ['this is not XML', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>']) {
      const c = await psp.send('verifyPaymentNotice', { rawEnvelope: raw });
      expect(c.result.status).toBe(500);
      expect(c.problem).toMatch(/SOAP Fault soapenv:Client/);
    }
  });
  it('wrong SOAPAction → KO PPT_SOAPACTION_ERRATA', async () => {
    const n = notice();
    const c = await psp.send('verifyPaymentNotice', { ...psp.callerFields(), qrCode: qr(n) }, { soapAction: 'activatePaymentNotice' });
    expect(c.fault?.faultCode).toBe('PPT_SOAPACTION_ERRATA');
    expect(fakeEc.count('paVerifyPaymentNotice', n.noticeNumber)).toBe(0);
  });
  it('GET ?wsdl serves the nodeForPsp WSDL with the live endpoint', async () => {
    const res = await fetch(`${nodoUrl}?wsdl`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('nodeForPsp');
    expect(text).toContain(nodoUrl);
    const xsd = await fetch(new URL('nodeForPsp.xsd', nodoUrl));
    expect(xsd.status).toBe(200);
  });
});

// ================================================================ EC station failures

describe('EC answers judged by the Nodo (IF-X-12..IF-X-14, NM-X-STA-01)', () => {
  it('valid EC KO relayed as PPT_ERRORE_EMESSO_DA_PAA with id = EC and original* (IF-X-12)', async () => {
    const n = notice('01', { verify: 'ko', get: 'ko', koCode: 'PAA_PAGAMENTO_SCADUTO' });
    for (const c of [await psp.verify(qr(n)), await psp.activate(qr(n), 12_050)]) {
      expect(c.fault).toMatchObject({
        faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
        faultString: "Errore restituito dall'ente creditore",
        id: EC_A,
        description: 'the fake EC says PAA_PAGAMENTO_SCADUTO',
        originalFaultCode: 'PAA_PAGAMENTO_SCADUTO',
        originalFaultString: 'fake EC: PAA_PAGAMENTO_SCADUTO',
        originalDescription: 'the fake EC says PAA_PAGAMENTO_SCADUTO',
      });
    }
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    // a custom code is relayed too (the platform checks no EC code)
    const custom = notice('01', { verify: 'ko', koCode: 'PAA_XYZ' });
    expect((await psp.verify(qr(custom))).fault?.originalFaultCode).toBe('PAA_XYZ');
  });

  it('without the extended faultBean, the EC bean is flattened into description', async () => {
    const { psp: p2 } = await newNodo({ extendedFaultBean: false });
    const n = notice('01', { verify: 'ko', koCode: 'PAA_PAGAMENTO_ANNULLATO' });
    const c = await p2.verify(qr(n));
    expect(c.fault?.faultCode).toBe('PPT_ERRORE_EMESSO_DA_PAA');
    expect(c.fault?.originalFaultCode).toBeUndefined();
    expect(c.fault?.description).toContain('PAA_PAGAMENTO_ANNULLATO');
  });

  it('late answer (8 s on the virtual clock) → PPT_STAZIONE_INT_PA_TIMEOUT, no token', async () => {
    const n = notice('01', { verify: 'late', get: 'late' });
    const started = clock.now();
    const v = await psp.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', id: 'NodoDeiPagamentiSPC' });
    const a = await psp.activate(qr(n), 12_050);
    expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    expect(clock.now() - started).toBeGreaterThanOrEqual(16_000);
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    const late = journal.entries.find((e) => e.primitive === 'paVerifyPaymentNotice' && e.direction === 'response')!;
    expect(late.transport).toBe('timeout');
    expect(late.note).toMatch(/after the 7000 ms deadline/);
  });

  it('real clock: PPT_STAZIONE_INT_PA_TIMEOUT leaves when the station timeout in force expires, before the late EC answer (IF-X-13)', async () => {
    const { psp: p2 } = await newNodo({ clock: new RealClock(), timeouts: { paVerifyPaymentNotice: 150 } });
    const n = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'delay', ms: 600 }, times: 1 });
    const v = await p2.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', id: 'NodoDeiPagamentiSPC' });
    const nodoAnswer = journal.entries.find((e) => e.from === 'nodo' && e.primitive === 'verifyPaymentNotice' && e.direction === 'response')!;
    // the station's own (late) answer comes after the Nodo's
    const ecAnswer = await journal.waitFor((e) => e.primitive === 'paVerifyPaymentNotice' && e.direction === 'response', 5000, 'the late EC answer');
    expect(ecAnswer.seq).toBeGreaterThan(nodoAnswer.seq);
    expect(ecAnswer.transport).toBe('timeout');
  });

  it('no answer at all (EC-side fault no-answer) → PPT_STAZIONE_INT_PA_TIMEOUT', async () => {
    const n = notice();
    ecFaults.add({ side: 'inbound', primitive: 'paGetPayment', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'no-answer' } });
    const a = await psp.activate(qr(n), 12_050);
    // on the virtual clock the silent EC holds the line for an hour of clock time, so the PSP's own
    // deadline has passed too: read the Nodo's answer from the journal
    expect(a.result.late).toBe(true);
    const answer = journal.entries.find((e) => e.from === 'nodo' && e.primitive === 'activatePaymentNotice' && e.direction === 'response')!;
    const d = decodeEnvelope(answer.raw);
    expect(d.ok && readFault(d.msg.body)?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
  });

  it('unreachable station (closed port) → PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', async () => {
    const n = notice('06');
    const v = await psp.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', id: 'NodoDeiPagamentiSPC' });
    const a = await psp.activate(qr(n), 100);
    expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
    // an injected refusal on a live station is judged the same way
    const m = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: m.noticeNumber }, fault: { kind: 'refused' } });
    expect((await psp.verify(qr(m))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
  });

  const invalid: [string, Partial<FakeNotice>, 'verify' | 'activate', string][] = [
    ['not XML', { verify: 'invalid-xml' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['HTTP 500 without SOAP fault', { get: 'http500' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['SOAP Fault', { verify: 'soap-fault' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['schema-invalid answer', { get: 'schema-invalid' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['KO without fault', { verify: 'ko-without-fault' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['OK with fault', { get: 'ok-with-fault' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['verify OK without paymentList', { verify: 'verify-missing' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['paGetPayment OK without data', { get: 'no-data' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['paymentAmount ≠ Σ transfers', { get: 'bad-sum' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    [
      'duplicate idTransfer',
      { get: 'dup-idtransfer', amountCents: 200, transfers: [{ fc: EC_A, amountCents: 100, iban: IBAN_A }, { fc: EC_A, amountCents: 100, iban: IBAN_A }] },
      'activate',
      'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
    ],
    ['IBAN not registered for the EC', { get: 'unregistered-iban' }, 'activate', 'PPT_IBAN_NON_CENSITO'],
    ['IBAN not valid', { get: 'bad-iban' }, 'activate', 'PPT_IBAN_NON_CENSITO'],
  ];
  it.each(invalid)('%s → %s', async (_name, over, phase, code) => {
    const n = notice('01', over);
    const c = phase === 'verify' ? await psp.verify(qr(n)) : await psp.activate(qr(n), n.amountCents);
    expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
  });
});
