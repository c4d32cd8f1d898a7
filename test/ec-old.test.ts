// The old-model reference EC (candidates/ec/old) on real sockets with a VirtualClock and a stub Nodo:
// PaPerNodoPagamentoPsp (paaVerificaRPT, paaAttivaRPT and every PAA_* they answer), the RPT after an
// activation (content and time, TR-13), PaPerNodo (paaInviaRT, revoca, storno and their faults), the
// station's self-check and syntax faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLD_RPT_AFTER_ACTIVATION_MS } from '../domain/timeouts.js';
import { rrFor, rtXml, toBase64 } from '../domain/old/index.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { BROKER, FC, PASSWORD, PSP, STATION, StubNodo, attivaBody, callStation, clock, erB64, paidAttempt, position, ppt, rrB64, rtB64, rtOf, startEc, trigger, triggerRequest } from './ec-old-support.js';
import { textOf, pathText } from '../src/wire/xml.js';
import { paPerNodoPagamentoPsp } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { Journal } from '../src/core/journal.js';

let ec: ReferenceEc;
const nodo = new StubNodo();
beforeAll(async () => {
  ec = await startEc();
  ec.useNodo({ url: await nodo.start(), password: PASSWORD });
});
afterAll(async () => {
  await ec.old.idle();
  await ec.stop();
  await nodo.stop();
});

const verifica = (iuv: string, ccp = 'n/a', idDominio = FC) => callStation(ec, 'paaVerificaRPT', { identificativoPSP: PSP.identificativoPSP }, ppt(iuv, ccp, idDominio));
const attiva = (iuv: string, amount: string, ccp: string) => callStation(ec, 'paaAttivaRPT', attivaBody(amount), ppt(iuv, ccp));

describe('paaVerificaRPT', () => {
  it('answers OK with the position\'s datiPagamentoPA and leaves the position as it was (L428)', async () => {
    const p = position(ec, 'payable', 4321);
    const r = await verifica(p.iuv);
    expect(r.esito).toBe('OK');
    expect(pathText(r.result, 'datiPagamentoPA', 'importoSingoloVersamento')).toBe('43.21');
    expect(pathText(r.result, 'datiPagamentoPA', 'ibanAccredito')).toMatch(/^IT/);
    expect(pathText(r.result, 'datiPagamentoPA', 'enteBeneficiario', 'denominazioneBeneficiario')).toBe('Comune di Collaudo');
    expect(ec.position(FC, p.noticeNumber)?.state).toBe('payable');
    expect((await verifica(p.iuv)).esito).toBe('OK');
  });
  it.each([
    ['paid', 'PAA_PAGAMENTO_DUPLICATO'],
    ['in-progress', 'PAA_PAGAMENTO_IN_CORSO'],
    ['cancelled', 'PAA_PAGAMENTO_ANNULLATO'],
    ['expired', 'PAA_PAGAMENTO_SCADUTO'],
  ] as const)('a %s position is %s, faultBean.id the EC', async (state, code) => {
    const r = await verifica(position(ec, state).iuv);
    expect(r.esito).toBe('KO');
    expect(r.fault?.faultCode).toBe(code);
    expect(r.fault?.id).toBe(FC);
  });
  it('an IUV the EC never issued is PAA_PAGAMENTO_SCONOSCIUTO', async () => {
    const r = await verifica('01999999999999999');
    expect(r.fault?.faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
  });
});

describe('paaAttivaRPT and the RPT that follows', () => {
  it.each([
    ['paid', 'PAA_PAGAMENTO_DUPLICATO'],
    ['in-progress', 'PAA_PAGAMENTO_IN_CORSO'],
    ['cancelled', 'PAA_PAGAMENTO_ANNULLATO'],
    ['expired', 'PAA_PAGAMENTO_SCADUTO'],
  ] as const)('a %s position is %s and stays as it was', async (state, code) => {
    const p = position(ec, state);
    const r = await attiva(p.iuv, '120.50', 'CCPX1');
    expect(r.fault?.faultCode).toBe(code);
    expect(ec.position(FC, p.noticeNumber)?.state).toBe(state);
  });
  it('an unknown IUV is PAA_PAGAMENTO_SCONOSCIUTO', async () => {
    expect((await attiva('01999999999999998', '1.00', 'CCPX2')).fault?.faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
  });
  it('an amount other than the APA\'s is PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO with the right amount in datiPagamentoPA (OLD-PSP-ERR-07)', async () => {
    const p = position(ec, 'payable', 9900);
    const r = await attiva(p.iuv, '90.00', 'CCPX3');
    expect(r.fault?.faultCode).toBe('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO');
    expect(pathText(r.result, 'datiPagamentoPA', 'importoSingoloVersamento')).toBe('99.00');
    expect(ec.position(FC, p.noticeNumber)?.state).toBe('payable');
  });
  it('on OK the position goes In pagamento and the RPT leaves with the activation\'s PSP, CCP and amount, tipoVersamento PO, within TR-13', async () => {
    const p = position(ec, 'payable', 7000);
    const start = clock.now();
    const r = await attiva(p.iuv, '70.00', 'CCPATT1');
    expect(r.esito).toBe('OK');
    expect(pathText(r.result, 'datiPagamentoPA', 'importoSingoloVersamento')).toBe('70.00');
    expect(ec.position(FC, p.noticeNumber)?.state).toBe('in-progress');
    const call = await nodo.waitFor('nodoInviaRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv);
    expect(call.xsdValid).toBe(true);
    expect(call.at - start).toBeLessThanOrEqual(OLD_RPT_AFTER_ACTIVATION_MS);
    expect(textOf(call.header, 'codiceContestoPagamento')).toBe('CCPATT1');
    expect(textOf(call.header, 'identificativoStazioneIntermediarioPA')).toBe(STATION);
    expect(textOf(call.body, 'identificativoPSP')).toBe(PSP.identificativoPSP);
    expect(textOf(call.body, 'identificativoCanale')).toBe(PSP.identificativoCanale);
    expect(textOf(call.body, 'password')).toBe(PASSWORD);
    const dv = call.rpts[0]!.datiVersamento;
    expect([dv.codiceContestoPagamento, dv.tipoVersamento, dv.importoTotaleDaVersare]).toEqual(['CCPATT1', 'PO', 7000]);
    // the retried activation (same CCP, same PSP) is answered the same and sends no second RPT
    expect((await attiva(p.iuv, '70.00', 'CCPATT1')).esito).toBe('OK');
    await ec.old.idle();
    expect(nodo.of('nodoInviaRPT').filter((c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv)).toHaveLength(1);
  });
});

describe('paaInviaRT', () => {
  it('a positive RT closes the position; the same RT again is PAA_RT_DUPLICATA (OLD-PSP-ERR-14)', async () => {
    const { iuv, rpt, rt } = await paidAttempt(ec, nodo, 'CCPRT1');
    expect(ec.old.apa.position(FC, iuv)?.state).toBe('paid');
    expect((await verifica(iuv)).fault?.faultCode).toBe('PAA_PAGAMENTO_DUPLICATO');
    const again = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(rt)) }, ppt(iuv, rpt.datiVersamento.codiceContestoPagamento));
    expect(again.fault?.faultCode).toBe('PAA_RT_DUPLICATA');
  });
  it('a negative RT frees the position (Aperta)', async () => {
    const p = position(ec);
    await attiva(p.iuv, '120.50', 'CCPNEG1');
    const rpt = (await nodo.waitFor('nodoInviaRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv)).rpts[0]!;
    const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt, 'negative') }, ppt(p.iuv, 'CCPNEG1'));
    expect(r.esito).toBe('OK');
    expect(ec.old.apa.position(FC, p.iuv)?.state).toBe('payable');
  });
  it('an RT for an IUV/CCP the EC sent no RPT for is PAA_RPT_SCONOSCIUTA (OLD-PSP-ERR-15)', async () => {
    const { rpt } = await paidAttempt(ec, nodo, 'CCPRT2');
    const other = rtOf(rpt);
    other.datiPagamento.CodiceContestoPagamento = 'CCPNEVER';
    const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(other)) }, ppt(rpt.datiVersamento.identificativoUnivocoVersamento, 'CCPNEVER'));
    expect(r.fault?.faultCode).toBe('PAA_RPT_SCONOSCIUTA');
  });
  it('an RT whose amount differs from its RPT is PAA_SEMANTICA naming the rule', async () => {
    const p = position(ec);
    await attiva(p.iuv, '120.50', 'CCPSEM1');
    const rpt = (await nodo.waitFor('nodoInviaRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv)).rpts[0]!;
    const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt, 'positive', (rt) => { rt.datiPagamento.importoTotalePagato = 100; rt.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato = 100; }) }, ppt(p.iuv, 'CCPSEM1'));
    expect(r.fault?.faultCode).toBe('PAA_SEMANTICA');
    expect(r.fault?.description).toMatch(/V-20/);
    expect(ec.old.apa.position(FC, p.iuv)?.state).toBe('in-progress');
  });
  it('tipoFirma other than 0 is PAA_TIPOFIRMA_SCONOSCIUTO', async () => {
    const { rpt } = await paidAttempt(ec, nodo, 'CCPTF1');
    const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '9', rt: rtB64(rpt) }, ppt(rpt.datiVersamento.identificativoUnivocoVersamento, 'CCPTF1'));
    expect(r.fault?.faultCode).toBe('PAA_TIPOFIRMA_SCONOSCIUTO');
  });
  it('an RT that breaks its schema is PAA_SINTASSI_XSD; a broken envelope PAA_SINTASSI_EXTRAXSD', async () => {
    const bad = toBase64('<RT xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>6.2.0</versioneOggetto></RT>');
    expect((await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: bad }, ppt('01000000000000001', 'C1'))).fault?.faultCode).toBe('PAA_SINTASSI_XSD');
    expect((await callStation(ec, 'paaInviaRT', { tipoFirma: '0', bogus: 'x', rt: bad }, ppt('01000000000000001', 'C1'))).fault?.faultCode).toBe('PAA_SINTASSI_EXTRAXSD');
  });
});

describe('self-check (OLD-X-AUTH-01)', () => {
  it.each([
    ['identificativoDominio', { identificativoDominio: '12345678901' }, 'PAA_ID_DOMINIO_ERRATO'],
    ['identificativoIntermediarioPA', { identificativoIntermediarioPA: '11111111111' }, 'PAA_ID_INTERMEDIARIO_ERRATO'],
    ['identificativoStazioneIntermediarioPA', { identificativoStazioneIntermediarioPA: '11111111111_01' }, 'PAA_STAZIONE_INT_ERRATA'],
  ])('a foreign %s is %s', async (_f, over, code) => {
    const p = position(ec);
    const r = await callStation(ec, 'paaVerificaRPT', { identificativoPSP: PSP.identificativoPSP }, ppt(p.iuv, 'n/a', FC, over));
    expect(r.fault?.faultCode).toBe(code);
    expect(r.fault?.id).toBe(FC);
  });
  it('paaInviaEsitoStorno names broker and station in its body: both are checked', async () => {
    const { iuv, rt } = await paidAttempt(ec, nodo, 'CCPAUTH1');
    const er = erB64(rrFor(rt, { now: clock.now() }));
    const r = await callStation(ec, 'paaInviaEsitoStorno', { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: 'OTHER_01', identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: 'CCPAUTH1', er });
    expect(r.fault?.faultCode).toBe('PAA_STAZIONE_INT_ERRATA');
  });
});

describe('revoca (paaInviaRichiestaRevoca → ER with nodoInviaRispostaRevoca)', () => {
  const revoca = (iuv: string, ccp: string, rr: string) => callStation(ec, 'paaInviaRichiestaRevoca', { identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, rr });
  it('annullo tecnico is accepted, the ER revokes the whole amount, the position opens again; a second RR is PAA_RR_DUPLICATA', async () => {
    const { iuv, rt } = await paidAttempt(ec, nodo, 'CCPREV1');
    const r = await revoca(iuv, 'CCPREV1', rrB64(rt, '1'));
    expect(r.esito).toBe('OK');
    const er = await nodo.waitFor('nodoInviaRispostaRevoca', (c) => textOf(c.body, 'identificativoUnivocoVersamento') === iuv);
    expect(er.xsdValid).toBe(true);
    expect(textOf(er.body, 'password')).toBe(PASSWORD);
    expect(ec.old.apa.attempt(FC, iuv, 'CCPREV1')?.revoche[0]?.er?.doc.datiRevoca.importoTotaleRevocato).toBe(rt.datiPagamento.importoTotalePagato);
    expect(ec.old.apa.position(FC, iuv)?.state).toBe('payable');
    expect((await revoca(iuv, 'CCPREV1', rrB64(rt, '1'))).fault?.faultCode).toBe('PAA_RR_DUPLICATA');
  });
  it('charge-back of a negative RT is PAA_OPER_NON_REVOCABILE', async () => {
    const p = position(ec);
    await attiva(p.iuv, '120.50', 'CCPREV2');
    const rpt = (await nodo.waitFor('nodoInviaRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv)).rpts[0]!;
    await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt, 'negative') }, ppt(p.iuv, 'CCPREV2'));
    const positive = rtOf(rpt);
    expect((await revoca(p.iuv, 'CCPREV2', rrB64(positive, '2'))).fault?.faultCode).toBe('PAA_OPER_NON_REVOCABILE');
  });
  it('an RR for a payment the EC has no RT of is PAA_RT_SCONOSCIUTA', async () => {
    const { rt } = await paidAttempt(ec, nodo, 'CCPREV3');
    const other = structuredClone(rt);
    other.datiPagamento.CodiceContestoPagamento = 'CCPNONE';
    expect((await revoca(rt.datiPagamento.identificativoUnivocoVersamento, 'CCPNONE', rrB64(other, '1'))).fault?.faultCode).toBe('PAA_RT_SCONOSCIUTA');
  });
});

describe('storno (RR out with nodoInviaRichiestaStorno, ER in with paaInviaEsitoStorno)', () => {
  const esito = (iuv: string, ccp: string, er: string) =>
    callStation(ec, 'paaInviaEsitoStorno', { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, er });
  it('the RR has no tipoRevoca; the ER is accepted once, then PAA_ER_DUPLICATA; the position opens again', async () => {
    const { iuv } = await paidAttempt(ec, nodo, 'CCPSTO1');
    expect((await trigger(ec, triggerRequest('old-storno', { iuv, ccp: 'CCPSTO1' }))).status).toBe(202);
    const call = await nodo.waitFor('nodoInviaRichiestaStorno', (c) => textOf(c.body, 'identificativoUnivocoVersamento') === iuv);
    expect(call.xsdValid).toBe(true);
    expect(call.rr?.datiRevoca.tipoRevoca).toBeUndefined();
    await ec.old.idle();
    const er = erB64(call.rr!);
    expect((await esito(iuv, 'CCPSTO1', er)).esito).toBe('OK');
    expect(ec.old.apa.position(FC, iuv)?.state).toBe('payable');
    expect((await esito(iuv, 'CCPSTO1', er)).fault?.faultCode).toBe('PAA_ER_DUPLICATA');
  });
  it('an ER for an RR the EC never sent is PAA_RR_SCONOSCIUTA; one revoking more than asked is PAA_SEMANTICA', async () => {
    const { iuv } = await paidAttempt(ec, nodo, 'CCPSTO2');
    await trigger(ec, triggerRequest('old-storno', { iuv, ccp: 'CCPSTO2' }));
    const call = await nodo.waitFor('nodoInviaRichiestaStorno', (c) => textOf(c.body, 'identificativoUnivocoVersamento') === iuv);
    await ec.old.idle();
    const stranger = erB64(call.rr!, 'accepted', (e) => void (e.riferimentoMessaggioRevoca = 'RRNEVERSENT'));
    expect((await esito(iuv, 'CCPSTO2', stranger)).fault?.faultCode).toBe('PAA_RR_SCONOSCIUTA');
    const more = erB64(call.rr!, 'accepted', (e) => {
      e.datiRevoca.importoTotaleRevocato += 100;
      e.datiRevoca.datiSingolaRevoca[0]!.singoloImportoRevocato += 100;
    });
    const r = await esito(iuv, 'CCPSTO2', more);
    expect(r.fault?.faultCode).toBe('PAA_SEMANTICA');
  });
});

describe('bad input never crashes the station', () => {
  const post = async (path: string, body: string, headers: Record<string, string> = { 'content-type': 'text/xml; charset=UTF-8' }) => {
    const r = await fetch(`${ec.baseUrl}${path}`, { method: 'POST', headers, body });
    return { status: r.status, text: await r.text() };
  };
  it.each([
    ['/PaPerNodo', 'this is not XML'],
    ['/PaPerNodoPagamentoPsp', '<a><b></a>'],
    ['/PaPerNodo', '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x:other xmlns:x="urn:x"/></soapenv:Body></soapenv:Envelope>'],
    ['/PaPerNodoPagamentoPsp', ''],
  ])('%s with %j is a SOAP Fault naming what is wrong', async (path, body) => {
    const r = await post(path, body);
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/<faultcode>soapenv:Client<\/faultcode><faultstring>[^<]{10,}/);
  });
  it('a SOAPAction naming another operation is PAA_SINTASSI_EXTRAXSD (the SOAPAction names the body\'s operation)', async () => {
    const p = position(ec);
    const op = paPerNodoPagamentoPsp.operations.find((o) => o.name === 'paaVerificaRPT')!;
    const r = await fetch(`${ec.baseUrl}/PaPerNodoPagamentoPsp`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '"paaAttivaRPT"' }, body: encodeEnvelope(op, 'request', { identificativoPSP: PSP.identificativoPSP }, ppt(p.iuv, 'n/a')) });
    expect(await r.text()).toContain('<faultCode>PAA_SINTASSI_EXTRAXSD</faultCode>');
  });
  it('the portal form with garbage is a 400 page; the return page with an odd query a 400 page', async () => {
    expect((await post('/old/paga', '%%%&&&posizione=', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await post('/old/paga', 'posizione=nonsense', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    const r = await fetch(`${ec.baseUrl}/old/ritorno?idDominio=%ZZ&idSession=&esito=`);
    expect(r.status).toBe(400);
  });
});

describe('charge-back as the EC\'s configuration says (OLD-REV-CB-01/02)', () => {
  it.each([
    ['accept', 12050, 'payable'],
    ['refuse', 0, 'paid'],
  ] as const)('chargeBack %s: the ER revokes %i cents, the position is %s', async (chargeBack, revoked, state) => {
    const other = await startEc([], { chargeBack });
    const stub = new StubNodo();
    other.useNodo({ url: await stub.start(), password: PASSWORD });
    try {
      const { iuv, rt } = await paidAttempt(other, stub, 'CCPCB1');
      const r = await callStation(other, 'paaInviaRichiestaRevoca', { identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: 'CCPCB1', rr: rrB64(rt, '2') });
      expect(r.esito).toBe('OK');
      await other.old.idle();
      const er = stub.of('nodoInviaRispostaRevoca').at(-1)?.er;
      expect(er?.datiRevoca.importoTotaleRevocato).toBe(revoked);
      expect(other.old.apa.position(FC, iuv)?.state).toBe(state);
    } finally {
      await other.stop();
      await stub.stop();
    }
  });
});

describe('the station\'s journal', () => {
  it('records its calls to the Nodo and the Nodo\'s calls to it, both ways, with their correlation and schema verdict', async () => {
    const journal = new Journal(clock);
    const stub = new StubNodo();
    const url = await stub.start();
    const other = await startEc([], { journal: () => journal, nodo: { url, password: PASSWORD } });
    try {
      const p = position(other);
      await callStation(other, 'paaAttivaRPT', attivaBody('120.50'), ppt(p.iuv, 'CCPJ1'));
      await other.old.idle();
      const rpt = journal.entries.filter((e) => e.primitive === 'nodoInviaRPT');
      expect(rpt.map((e) => e.direction)).toEqual(['request', 'response']);
      expect(rpt[0]!.correlation).toMatchObject({ idDominio: FC, iuv: p.iuv, ccp: 'CCPJ1' });
      expect(rpt[1]!.xsd?.valid).toBe(true);
      expect(journal.entries.filter((e) => e.primitive === 'paaAttivaRPT').map((e) => e.direction)).toEqual(['request', 'response']);
    } finally {
      await other.stop();
      await stub.stop();
    }
  });
});

describe('an internal failure', () => {
  it('is still an answer of the operation: PAA_SYSTEM_ERROR, never a crash', async () => {
    const { iuv, rpt } = await paidAttempt(ec, nodo, 'CCPSYS1');
    const ccp = rpt.datiVersamento.codiceContestoPagamento;
    const a = ec.old.apa.attempt(FC, iuv, ccp)!;
    const kept = a.rpt!;
    // the archive's record of the RPT is damaged: checking an RT against it throws
    a.rpt = { ...kept, doc: {} as never };
    a.rt = undefined;
    try {
      const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: rtB64(rpt) }, ppt(iuv, ccp));
      expect(r.fault?.faultCode).toBe('PAA_SYSTEM_ERROR');
      expect(r.fault?.description).toMatch(/internal error/);
    } finally {
      a.rpt = kept;
    }
  });
});
