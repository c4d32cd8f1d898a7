// The emulated PSP of the old model on real sockets, on a VirtualClock: its PspPerNodo endpoint
// (valid and invalid carts and RPTs, each refusal with the CANALE_* code the catalogue names), its
// payment page fetched and posted over HTTP (RTs sent to a stub Nodo, valid against our schema, and
// the way back to the Nodo), and the modello-3 calls (nodoVerificaRPT, nodoAttivaRPT, nodoInviaRT).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { Faults } from '../src/core/faults.js';
import { erFor, erXml, fromBase64, readRr, readRt, rrFor, rrXml, rtXml, toBase64 } from '../domain/old/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { textOf, child } from '../src/wire/xml.js';
import { EC, StubNodo, cartRequest, nodoCallsPsp, officialVerdict, rptRequest, sampleRpt } from './psp-old-support.js';
import { hasOfficialWsdl, readOfficialWsdl } from './support/official-old.js';
import { officialMissing } from '../src/core/paths.js';

const clock = new VirtualClock();
const nodo = new StubNodo(clock);
let psp: OldPsp;
let pspUrl: string;
let pageUrl: string;
let nodoUrl: string;
const RETURN = 'http://nodo.test/wisp/rientro?lang=it';
let seq = 0;
const nextIuv = () => `0100000000000${String(++seq).padStart(4, '0')}`;
const nextCcp = () => `CCP${Date.now()}${++seq}`.slice(0, 35);

beforeAll(async () => {
  nodoUrl = await nodo.start();
  psp = new OldPsp({ clock, nodoUrl, returnUrl: RETURN });
  ({ pspPerNodoUrl: pspUrl, paymentPageUrl: pageUrl } = await psp.start());
});
afterAll(async () => {
  await psp.stop();
  await nodo.stop();
});
beforeEach(() => {
  nodo.answer = () => ({ esito: 'OK' });
});

async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
}

describe('PspPerNodo: pspInviaCarrelloRPT', () => {
  it('a valid cart is kept and answered OK with the cart id and the payment page parameters', async () => {
    const rpts = [sampleRpt(nextIuv(), nextCcp(), 1234, clock), sampleRpt(nextIuv(), nextCcp(), 500, clock)];
    const a = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest(rpts), clock);
    expect(a.r.decoded?.ok && a.r.decoded.msg.xsd).toEqual({ valid: true, errors: [] });
    expect(a.esito).toBe('OK');
    const id = textOf(a.inner, 'identificativoCarrello')!;
    expect(id).toMatch(/^2026\d{11}/);
    expect(textOf(a.inner, 'parametriPagamentoImmediato')).toBe(`identificativoCarrello=${id}`);
    expect(psp.cart(id)!.rpts.map((r) => [r.iuv, r.rpt.datiVersamento.importoTotaleDaVersare])).toEqual([[rpts[0]!.datiVersamento.identificativoUnivocoVersamento, 1234], [rpts[1]!.datiVersamento.identificativoUnivocoVersamento, 500]]);
  });

  it('refusals name their CANALE_* code, with the faultBean id = the idPSP and the RPT position in listaErroriRPT', async () => {
    const r = sampleRpt(nextIuv(), nextCcp(), 1000, clock);
    expect((await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([r]), clock)).esito).toBe('OK');
    const dup = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 1, clock), r]), clock);
    expect(dup.esito).toBe('KO');
    expect(dup.fault).toMatchObject({ faultCode: 'CANALE_RPT_DUPLICATA', id: 'CLLDITMM001' });
    expect(dup.errors).toEqual([expect.objectContaining({ faultCode: 'CANALE_RPT_DUPLICATA', serial: 2 })]);

    const other = sampleRpt(nextIuv(), nextCcp(), 1000, clock);
    const req = cartRequest([other]);
    (req.listaRPT as { elementoListaCarrelloRPT: { identificativoUnivocoVersamento: string }[] }).elementoListaCarrelloRPT[0]!.identificativoUnivocoVersamento = nextIuv();
    const sem = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', req, clock);
    expect(sem.fault).toMatchObject({ faultCode: 'CANALE_SEMANTICA', description: expect.stringContaining('identificativoUnivocoVersamento') });

    const wrongPsp = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 1, clock)], { identificativoPSP: 'ALTROPSP01' }), clock);
    expect(wrongPsp.fault).toMatchObject({ faultCode: 'CANALE_SEMANTICA', description: expect.stringContaining('identificativoPSP ALTROPSP01') });

    const badEnvelope = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', { ...cartRequest([sampleRpt(nextIuv(), nextCcp(), 1, clock)]), modelloPagamento: 7 }, clock);
    expect(badEnvelope.fault?.faultCode).toBe('CANALE_SINTASSI_EXTRAXSD');

    const badDoc = cartRequest([sampleRpt(nextIuv(), nextCcp(), 1, clock)]);
    (badDoc.listaRPT as { elementoListaCarrelloRPT: { rpt: string }[] }).elementoListaCarrelloRPT[0]!.rpt = toBase64('<RPT xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>6.2.0</versioneOggetto></RPT>');
    expect((await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', badDoc, clock)).fault?.faultCode).toBe('CANALE_SINTASSI_XSD');

    const scripted = sampleRpt(nextIuv(), nextCcp(), 1, clock);
    psp.script({ iuv: scripted.datiVersamento.identificativoUnivocoVersamento }, { refuse: { code: 'CANALE_INDISPONIBILE', description: 'scripted' } });
    expect((await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([scripted]), clock)).fault).toMatchObject({ faultCode: 'CANALE_INDISPONIBILE', faultString: 'Servizio non disponibile' });
  });

  it("the scenario's transport faults apply to the PSP's answers (bound), never to another scenario's", async () => {
    const r = sampleRpt(nextIuv(), nextCcp(), 100, clock);
    const faults = new Faults().add({ side: 'inbound', primitive: 'pspInviaCarrelloRPT', match: { iuv: r.datiVersamento.identificativoUnivocoVersamento }, fault: { kind: 'http500', soapFault: true } });
    const journal = new Journal(clock);
    psp.bind({ journal, faults });
    const other = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 100, clock)]), clock);
    expect(other.r.status).toBe(200);
    const hit = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([r]), clock);
    expect(hit.r.status).toBe(500);
    expect(journal.entries.filter((e) => e.direction === 'response' && e.primitive === 'pspInviaCarrelloRPT').map((e) => [e.httpStatus, e.note])).toEqual([[200, undefined], [500, 'injected fault: http500']]);
    psp.bind(undefined);
  });

  it('serves its WSDL with its own address', async () => {
    const res = await fetch(`${pspUrl}?wsdl`);
    expect(res.status).toBe(200);
    const wsdl = await res.text();
    expect(wsdl).toContain('pspInviaCarrelloRPT');
    expect(wsdl).toContain(`location="${pspUrl}"`);
  });

  it('no request crashes the server: garbage gets a SOAP Fault, and the PSP still answers', async () => {
    const res = await fetch(pspUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<not-soap' });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('soapenv:Fault');
    expect((await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 1, clock)]), clock)).esito).toBe('OK');
  });
});

describe('PspPerNodo: pspInviaRPT (modello 3: the RPT the EC sends after the activation)', () => {
  it('waitRpt resolves when the RPT comes; a duplicate and a scripted fault are KO in listaErroriRPT', async () => {
    const r = sampleRpt(nextIuv(), nextCcp(), 2500, clock);
    const iuv = r.datiVersamento.identificativoUnivocoVersamento;
    const ccp = r.datiVersamento.codiceContestoPagamento;
    const waiting = psp.waitRpt(iuv, ccp, 5000);
    const a = await nodoCallsPsp(pspUrl, 'pspInviaRPT', rptRequest(r), clock);
    expect(a.r.decoded?.ok && a.r.decoded.msg.xsd.valid).toBe(true);
    expect(a.esito).toBe('OK');
    const kept = await waiting;
    expect(kept).toMatchObject({ idDominio: EC, iuv, ccp, via: 'pspInviaRPT', modelloPagamento: 4 });
    expect(kept.rpt.datiVersamento.importoTotaleDaVersare).toBe(2500);

    const again = await nodoCallsPsp(pspUrl, 'pspInviaRPT', rptRequest(r), clock);
    expect(again.esito).toBe('KO');
    expect(again.errors).toEqual([expect.objectContaining({ faultCode: 'CANALE_RPT_DUPLICATA', id: 'CLLDITMM001', serial: 1 })]);

    const refused = sampleRpt(nextIuv(), nextCcp(), 1, clock);
    psp.script('next', { refuse: { code: 'CANALE_RPT_RIFIUTATA', description: 'the PSP does not take it' } });
    const ko = await nodoCallsPsp(pspUrl, 'pspInviaRPT', rptRequest(refused), clock);
    expect(ko.errors[0]).toMatchObject({ faultCode: 'CANALE_RPT_RIFIUTATA', description: 'the PSP does not take it' });
    await expect(psp.waitRpt(refused.datiVersamento.identificativoUnivocoVersamento, refused.datiVersamento.codiceContestoPagamento, 50)).rejects.toThrow(/waited 50 ms for an RPT/);
  });
});

describe('PspPerNodo: storno and revoca documents', () => {
  it('an RR (storno) and an ER (revoca) are kept and answered OK; an invalid one is a syntax fault; the same one again is a duplicate', async () => {
    const rpt = sampleRpt(nextIuv(), nextCcp(), 700, clock);
    const { iuv, ccp } = { iuv: rpt.datiVersamento.identificativoUnivocoVersamento, ccp: rpt.datiVersamento.codiceContestoPagamento };
    const rr = rrFor(psp.rtFor(rpt, true), { now: clock.now() });
    const req = (xml: string) => ({ identificativoDominio: EC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, rr: toBase64(xml) });
    const waiting = psp.waitDocument('pspInviaRichiestaStorno', iuv, ccp, 5000);
    const invalid = await nodoCallsPsp(pspUrl, 'pspInviaRichiestaStorno', req('<RR xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">x</RR>'), clock);
    expect(invalid.fault?.faultCode).toBe('CANALE_SINTASSI_XSD');
    const ok = await nodoCallsPsp(pspUrl, 'pspInviaRichiestaStorno', req(rrXml(rr)), clock);
    expect(ok.esito).toBe('OK');
    expect((await waiting).xml).toBe(rrXml(rr));
    const again = await nodoCallsPsp(pspUrl, 'pspInviaRichiestaStorno', req(rrXml(rr)), clock);
    expect(again.fault).toMatchObject({ faultCode: 'CANALE_RR_DUPLICATA', id: 'CLLDITMM001' });
    expect(again.esito).toBe('KO');

    // a refusal scripted for the payment's IUV (OLD-STO-ERR-02), for the next RR of another payment
    const other = sampleRpt(nextIuv(), nextCcp(), 700, clock);
    const otherIuv = other.datiVersamento.identificativoUnivocoVersamento;
    psp.script({ iuv: otherIuv }, { refuse: { code: 'CANALE_OPER_NON_STORNABILE', description: 'the card payment cannot be reversed' } });
    const refused = await nodoCallsPsp(pspUrl, 'pspInviaRichiestaStorno', { identificativoDominio: EC, identificativoUnivocoVersamento: otherIuv, codiceContestoPagamento: other.datiVersamento.codiceContestoPagamento, rr: toBase64(rrXml(rrFor(psp.rtFor(other, true), { now: clock.now() }))) }, clock);
    expect(refused.fault).toMatchObject({ faultCode: 'CANALE_OPER_NON_STORNABILE', faultString: 'Operazione non stornabile', description: 'the card payment cannot be reversed' });

    const er = erFor(rr, { now: clock.now(), outcome: 'accepted' });
    const sent = await nodoCallsPsp(pspUrl, 'pspInviaRispostaRevoca', { identificativoDominio: EC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, er: toBase64(erXml(er)) }, clock);
    expect(sent.esito).toBe('OK');
    expect((await psp.waitDocument('pspInviaRispostaRevoca', iuv, ccp, 1000)).xml).toBe(erXml(er));
  });
});

describe('payment page over HTTP', () => {
  async function newCart(cents: number[]): Promise<{ id: string; iuvs: string[] }> {
    const rpts = cents.map((c) => sampleRpt(nextIuv(), nextCcp(), c, clock));
    const a = await nodoCallsPsp(pspUrl, 'pspInviaCarrelloRPT', cartRequest(rpts), clock);
    return { id: textOf(a.inner, 'identificativoCarrello')!, iuvs: rpts.map((r) => r.datiVersamento.identificativoUnivocoVersamento) };
  }
  const rtsFor = (iuvs: string[]) => nodo.received.filter((m) => m.op.name === 'nodoInviaRT' && iuvs.includes(textOf(m.body, 'identificativoUnivocoVersamento')!));

  it('shows the cart in accessible HTML; Paga sends one valid positive RT per RPT and returns to the Nodo with esito=OK', async () => {
    const { id, iuvs } = await newCart([1234, 766]);
    const page = await fetch(`${pageUrl}?identificativoCarrello=${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<html lang="it">/);
    expect(html).not.toMatch(/<script|src=|href="http/);
    for (const iuv of iuvs) expect(html).toContain(iuv);
    expect(html).toContain('20,00 €');
    expect(html).toMatch(/<button type="submit" name="azione" value="paga">Paga<\/button>/);

    const res = await postForm(`${pageUrl}/esito`, { identificativoCarrello: id, azione: 'paga' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://nodo.test/wisp/rientro?lang=it&identificativoCarrello=${id}&esito=OK`);
    const sent = rtsFor(iuvs);
    expect(sent).toHaveLength(2);
    const nodoSide = nodo.journal.entries.filter((e) => e.primitive === 'nodoInviaRT' && e.direction === 'request');
    expect(nodoSide.slice(-2).every((e) => e.xsd?.valid)).toBe(true);
    const rts = sent.map((m) => readRt(fromBase64(textOf(m.body, 'rt')!)));
    expect(rts.map((rt) => [rt.datiPagamento.codiceEsitoPagamento, rt.datiPagamento.importoTotalePagato, rt.datiPagamento.identificativoUnivocoVersamento])).toEqual([['0', 1234, iuvs[0]], ['0', 766, iuvs[1]]]);
    // one debit for the cart: every credit of every RT carries the same IUR (L571)
    const iurs = new Set(rts.flatMap((rt) => rt.datiPagamento.datiSingoloPagamento?.map((x) => x.identificativoUnivocoRiscossione) ?? []));
    expect([...iurs]).toEqual([psp.cart(id)!.iur]);
    expect(textOf(sent[0]!.body, 'password')).toBe('collaudo_01');
    expect(psp.cart(id)!.state).toBe('paid');
    expect(psp.cart(id)!.rts.map((r) => r.call.esito)).toEqual(['OK', 'OK']);
    // the cart is concluded: the page and the form say so
    expect((await fetch(`${pageUrl}?identificativoCarrello=${id}`)).status).toBe(409);
    expect((await postForm(`${pageUrl}/esito`, { identificativoCarrello: id, azione: 'paga' })).status).toBe(409);
  });

  it('Annulla sends negative RTs and returns esito=KO; unknown carts and bad forms get a page, not a crash', async () => {
    const { id, iuvs } = await newCart([900]);
    const res = await postForm(`${pageUrl}/esito`, { identificativoCarrello: id, azione: 'annulla' });
    expect(new URL(res.headers.get('location')!).searchParams.get('esito')).toBe('KO');
    const rt = readRt(fromBase64(textOf(rtsFor(iuvs)[0]!.body, 'rt')!));
    expect([rt.datiPagamento.codiceEsitoPagamento, rt.datiPagamento.importoTotalePagato]).toEqual(['1', 0]);
    expect((await fetch(`${pageUrl}?identificativoCarrello=NOPE`)).status).toBe(404);
    expect((await postForm(`${pageUrl}/esito`, { identificativoCarrello: id })).status).toBe(400);
    expect((await fetch(`${pageUrl}/esito`)).status).toBe(405);
  });

  it('DIFFERITO keeps the RTs until sendPendingRts; NO_RT sends none; an altered RT leaves as altered', async () => {
    const later = await newCart([300]);
    psp.cart(later.id)!.script = { outcome: 'DIFFERITO' };
    const res = await postForm(`${pageUrl}/esito`, { identificativoCarrello: later.id, azione: 'paga' });
    expect(new URL(res.headers.get('location')!).searchParams.get('esito')).toBe('DIFFERITO');
    expect(rtsFor(later.iuvs)).toHaveLength(0);
    const sent = await psp.sendPendingRts(later.id);
    expect(sent.map((s) => s.rt?.datiPagamento.codiceEsitoPagamento)).toEqual(['0']);
    expect(rtsFor(later.iuvs)).toHaveLength(1);
    expect(psp.cart(later.id)!.state).toBe('paid');

    const none = await newCart([300]);
    psp.cart(none.id)!.script = { outcome: 'NO_RT' };
    await postForm(`${pageUrl}/esito`, { identificativoCarrello: none.id, azione: 'paga' });
    expect(rtsFor(none.iuvs)).toHaveLength(0);

    const wrong = await newCart([300]);
    psp.cart(wrong.id)!.script = { alter: (rt) => ({ ...rt, datiPagamento: { ...rt.datiPagamento, importoTotalePagato: rt.datiPagamento.importoTotalePagato + 100 } }) };
    await postForm(`${pageUrl}/esito`, { identificativoCarrello: wrong.id, azione: 'paga' });
    expect(readRt(fromBase64(textOf(rtsFor(wrong.iuvs)[0]!.body, 'rt')!)).datiPagamento.importoTotalePagato).toBe(400);
  });
});

describe('PspPerNodo: a channel of payment model 2 (authorisation managed by the PSP, L1502)', () => {
  const AUTH = '99999000001_02';
  let authPsp: OldPsp;
  let authUrl: string;
  beforeAll(async () => {
    authPsp = new OldPsp({ clock, nodoUrl, returnUrl: RETURN, authChannel: AUTH });
    ({ pspPerNodoUrl: authUrl } = await authPsp.start());
  });
  afterAll(() => authPsp.stop());
  const rtsFor = (iuvs: string[]) => nodo.received.filter((m) => m.op.name === 'nodoInviaRT' && iuvs.includes(textOf(m.body, 'identificativoUnivocoVersamento')!));

  it('a model-2 cart is answered OK with its id and no parametriPagamentoImmediato; its RTs leave only when the payer authorised', async () => {
    const rpts = [sampleRpt(nextIuv(), nextCcp(), 700, clock), sampleRpt(nextIuv(), nextCcp(), 300, clock)];
    const iuvs = rpts.map((r) => r.datiVersamento.identificativoUnivocoVersamento);
    const a = await nodoCallsPsp(authUrl, 'pspInviaCarrelloRPT', cartRequest(rpts, { identificativoCanale: AUTH, modelloPagamento: 2 }), clock);
    expect(a.r.decoded?.ok && a.r.decoded.msg.xsd).toEqual({ valid: true, errors: [] });
    expect(a.esito).toBe('OK');
    const id = textOf(a.inner, 'identificativoCarrello')!;
    expect(textOf(a.inner, 'parametriPagamentoImmediato')).toBeUndefined();
    expect(authPsp.cart(id)).toMatchObject({ state: 'deferred' });
    expect(authPsp.cart(id)!.rpts.map((r) => r.modelloPagamento)).toEqual([2, 2]);
    // no payment page for it: the payer authorises outside pagoPA
    expect((await fetch(`${new URL(authUrl).origin}/pagamento?identificativoCarrello=${id}`)).status).toBe(409);
    expect(rtsFor(iuvs)).toHaveLength(0);
    const sent = await authPsp.sendPendingRts(id);
    expect(sent.map((x) => [x.rt?.datiPagamento.codiceEsitoPagamento, x.rt?.datiPagamento.importoTotalePagato])).toEqual([['0', 700], ['0', 300]]);
    expect(rtsFor(iuvs)).toHaveLength(2);
    expect(authPsp.cart(id)!.state).toBe('paid');
  });

  it('the model must match the channel: model 2 on the model-1 channel, or model 1 on the model-2 one, is CANALE_SEMANTICA', async () => {
    const on1 = await nodoCallsPsp(authUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 100, clock)], { modelloPagamento: 2 }), clock);
    expect(on1.fault).toMatchObject({ faultCode: 'CANALE_SEMANTICA', description: expect.stringContaining('modelloPagamento 2') });
    const on2 = await nodoCallsPsp(authUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 100, clock)], { identificativoCanale: AUTH, modelloPagamento: 1 }), clock);
    expect(on2.fault).toMatchObject({ faultCode: 'CANALE_SEMANTICA', description: expect.stringContaining(AUTH) });
    // the model-1 channel still has its page; another channel is not this PSP's
    const page = await nodoCallsPsp(authUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 100, clock)], { modelloPagamento: 1 }), clock);
    expect(textOf(page.inner, 'parametriPagamentoImmediato')).toMatch(/^identificativoCarrello=/);
    const other = await nodoCallsPsp(authUrl, 'pspInviaCarrelloRPT', cartRequest([sampleRpt(nextIuv(), nextCcp(), 100, clock)], { identificativoCanale: '99999000001_09' }), clock);
    expect(other.fault).toMatchObject({ faultCode: 'CANALE_SEMANTICA', description: expect.stringContaining('99999000001_09') });
  });
});

describe('modello 3 client (payment at the PSP)', () => {
  it('nodoVerificaRPT and nodoAttivaRPT leave valid against our schema; the answers are read as data', async () => {
    const journal = new Journal(clock);
    psp.bind({ journal });
    nodo.answer = (m) =>
      m.op.name === 'nodoVerificaRPT'
        ? { esito: 'OK', datiPagamentoPA: { importoSingoloVersamento: '12.34', ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Tassa rifiuti' } }
        : { fault: { faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', faultString: 'Errore restituito dalla PA', id: 'NodoDeiPagamentiSPC', originalFaultCode: 'PAA_PAGAMENTO_SCADUTO', originalFaultString: 'pagamento scaduto' }, esito: 'KO' };
    const notice = { fiscalCode: EC, noticeNumber: '301000000000012345' };
    const v = await psp.verify(notice);
    expect(v.esito).toBe('OK');
    expect(v.datiPagamentoPA).toMatchObject({ importoSingoloVersamento: 1234, ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Tassa rifiuti' });
    const req = nodo.received.at(-1)!;
    expect(req.op.name).toBe('nodoVerificaRPT');
    expect(textOf(req.body, 'codiceContestoPagamento')).toBe(v.ccp);
    const qr = child(child(req.body, 'codiceIdRPT'), 'QrCode')!;
    expect([qr.ns, textOf(qr, 'CF'), textOf(qr, 'AuxDigit'), textOf(qr, 'CodIUV')]).toEqual(['http://PuntoAccessoPSP.spcoop.gov.it/QrCode', EC, '3', '01000000000012345']);

    const a = await psp.activate(notice, 1234, v.ccp);
    expect(a.esito).toBe('KO');
    expect(a.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', originalFaultCode: 'PAA_PAGAMENTO_SCADUTO' });
    expect(textOf(child(nodo.received.at(-1)!.body, 'datiPagamentoPSP'), 'importoSingoloVersamento')).toBe('12.34');
    // the stub Nodo's pipeline validated both requests; the PSP journaled both exchanges in the bound journal
    expect(nodo.journal.entries.filter((e) => e.direction === 'request').slice(-2).map((e) => [e.primitive, e.xsd?.valid])).toEqual([['nodoVerificaRPT', true], ['nodoAttivaRPT', true]]);
    expect(journal.entries.filter((e) => e.direction === 'request').map((e) => [e.from, e.to, e.primitive])).toEqual([['psp', 'nodo', 'nodoVerificaRPT'], ['psp', 'nodo', 'nodoAttivaRPT']]);
    psp.bind(undefined);
  });

  it('a notice or an amount that cannot make a valid request sends nothing: InvalidRequest (the scenario is INCONCLUSIVE)', async () => {
    const before = nodo.received.length;
    await expect(psp.verify({ fiscalCode: EC, noticeNumber: '12345' })).rejects.toThrow(/could not build a valid nodoVerificaRPT.*codiceIdRPT/);
    await expect(psp.activate({ fiscalCode: '123', noticeNumber: '301000000000012345' }, 100, 'CCP-BADCF')).rejects.toThrow(/could not build a valid nodoAttivaRPT.*fiscal code/);
    await expect(psp.activate({ fiscalCode: EC, noticeNumber: '301000000000012345' }, -5, 'CCP-NEG')).rejects.toThrow(/-5 cents has no wire form/);
    expect(nodo.received.length).toBe(before);
  });

  it('sendRt sends the RT for the RPT the Nodo forwarded (or a given one); unbound exchanges go to the unattributed journal', async () => {
    const r = sampleRpt(nextIuv(), nextCcp(), 4200, clock);
    await nodoCallsPsp(pspUrl, 'pspInviaRPT', rptRequest(r), clock);
    const kept = await psp.waitRpt(r.datiVersamento.identificativoUnivocoVersamento, r.datiVersamento.codiceContestoPagamento, 1000);
    const before = psp.unattributed.entries.length;
    const c = await psp.sendRt(kept, 'OK');
    expect(c.esito).toBe('OK');
    const m = nodo.received.at(-1)!;
    expect([textOf(m.body, 'identificativoDominio'), textOf(m.body, 'codiceContestoPagamento')]).toEqual([EC, kept.ccp]);
    expect(readRt(fromBase64(textOf(m.body, 'rt')!)).datiPagamento.importoTotalePagato).toBe(4200);
    const added = psp.unattributed.entries.slice(before);
    expect(added.map((e) => [e.direction, e.primitive])).toEqual([['request', 'nodoInviaRT'], ['request', 'nodoInviaRT#RT'], ['response', 'nodoInviaRT']]);

    // annullo tecnico: the PSP's RR (tipoRevoca 1) for the RT it sent, and the ER of a storno
    const rt = readRt(fromBase64(textOf(m.body, 'rt')!));
    const rr = rrFor(rt, { now: clock.now(), tipoRevoca: '1' });
    expect((await psp.requestRevoca(kept, rr)).esito).toBe('OK');
    expect(readRr(fromBase64(textOf(nodo.received.at(-1)!.body, 'rr')!)).datiRevoca.tipoRevoca).toBe('1');
    expect(nodo.received.at(-1)!.req.soapAction).toBe('nodoRichiestaRevoca');
    expect((await psp.sendEsitoStorno(kept, erFor(rrFor(rt, { now: clock.now() }), { now: clock.now(), outcome: 'accepted' }))).esito).toBe('OK');
    expect(nodo.received.at(-1)!.op.name).toBe('nodoInviaEsitoStorno');

    const negative = psp.rtFor(kept.rpt, false);
    nodo.answer = () => ({ fault: { faultCode: 'PPT_RT_DUPLICATA', faultString: 'RT duplicata', id: 'NodoDeiPagamentiSPC' }, esito: 'KO' });
    const dup = await psp.sendRt(kept, rtXml(negative), { forzaControlloSegno: 1 });
    expect(dup.fault?.faultCode).toBe('PPT_RT_DUPLICATA');
    expect(textOf(nodo.received.at(-1)!.body, 'forzaControlloSegno')).toBe('1');
  });
});

// ---------- independent cross-check: what the PSP emitted in this file, against the official schemas ----------

const OFFICIAL = hasOfficialWsdl('PspPerNodo') && hasOfficialWsdl('NodoPerPsp');
if (!OFFICIAL) console.warn(officialMissing('the emulated PSP cross-check against the official WSDLs (gad/wsdl)'));

it.runIf(OFFICIAL)('every answer and request the PSP sent above (with the RTs it carried) validates against the official schemas', () => {
  const answers = psp.unattributed.entries.filter((e) => e.direction === 'response' && e.from === 'psp' && e.httpStatus === 200 && !e.primitive?.includes('#'));
  const requests = nodo.journal.entries.filter((e) => e.direction === 'request' && !e.primitive?.includes('#') && e.raw.includes('identificativoCanale'));
  expect(answers.map((e) => e.primitive)).toEqual(expect.arrayContaining(['pspInviaCarrelloRPT', 'pspInviaRPT', 'pspInviaRichiestaStorno', 'pspInviaRispostaRevoca']));
  expect(new Set(requests.map((e) => e.primitive))).toEqual(new Set(['nodoVerificaRPT', 'nodoAttivaRPT', 'nodoInviaRT', 'nodoInviaRichiestaRevoca', 'nodoInviaEsitoStorno']));
  // KOs too: a refused cart, a refused RPT (its fault in listaErroriRPT), a duplicate RR
  expect(answers.filter((e) => e.raw.includes('<esitoComplessivoOperazione>KO')).length).toBeGreaterThan(3);
  const psp2 = readOfficialWsdl('PspPerNodo').schemas;
  const nodo2 = readOfficialWsdl('NodoPerPsp').schemas;
  const bad = [...answers.map((e) => [e.primitive, officialVerdict(e.raw, psp2)] as const), ...requests.map((e) => [e.primitive, officialVerdict(e.raw, nodo2)] as const)].filter(([, errs]) => errs.length);
  expect(bad).toEqual([]);
});
