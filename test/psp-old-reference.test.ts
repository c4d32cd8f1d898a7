// The reference PSP's old-model side against a scripted stub Nodo on the virtual clock: the cart paid
// on its page, the RT push with the TR-08 retries and the PULL queue, progress queries, the payment at
// the PSP (modello 3), storno and revoca, the trigger hook.
import { afterEach, describe, expect, it } from 'vitest';
import { ackFor, erFor, erXml, fromBase64, readEr, readRr, readRt, rrFor, rrXml, rtAgainstRpt, toBase64 } from '../domain/old/index.js';
import { OLD_RT_RETRY_WAITS_MS } from '../domain/timeouts.js';
import { RT_PUSH_MAX_SENDS } from '../candidates/psp/old/index.js';
import { OldPspArchive } from '../candidates/psp/old/archive.js';
import { pathText, textOf } from '../src/wire/xml.js';
import { EC, NOTICE, ackContent, NOTICE_IUV, RETURN_URL, cartPaid, cartRequest, dati, type Env, ko, newRpt, nodoCallsPsp, paaKo, rptAfterActivation, rptRequest, startEnv, trigger } from './psp-old-reference-support.js';

let env: Env;
afterEach(async () => env?.close());
const keysOf = (r: { dominio: { identificativoDominio: string }; datiVersamento: { identificativoUnivocoVersamento: string; codiceContestoPagamento: string } }) => ({
  identificativoDominio: r.dominio.identificativoDominio,
  identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento,
  codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento,
});
const call = (primitive: string, content: Record<string, unknown>) => nodoCallsPsp(env.urls.pspPerNodoUrl, primitive, content as never, env.clock);

describe('cart paid on the PSP page', () => {
  it('answers OK with its page, shows the cart, sends the payer back to the Nodo, then pushes positive RTs consistent with the RPTs', async () => {
    env = await startEnv();
    const rpts = [newRpt(env, 15000), newRpt(env, 2550)];
    const sent = await call('pspInviaCarrelloRPT', cartRequest(rpts));
    expect(sent.esito).toBe('OK');
    const id = textOf(sent.inner, 'identificativoCarrello')!;
    expect(textOf(sent.inner, 'parametriPagamentoImmediato')).toBe(`identificativoCarrello=${encodeURIComponent(id)}`);
    const page = await fetch(`${env.urls.paymentPageUrl}?identificativoCarrello=${id}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('lang="it"');
    expect(html).toContain(rpts[1]!.datiVersamento.identificativoUnivocoVersamento);
    expect(html).toContain('175,50 €');
    expect(html).not.toContain('<script');
    const res = await fetch(`${env.urls.paymentPageUrl}/esito`, { method: 'POST', body: new URLSearchParams({ identificativoCarrello: id, azione: 'paga' }), redirect: 'manual' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_URL);
    expect(back.searchParams.get('identificativoCarrello')).toBe(id);
    expect(back.searchParams.get('esito')).toBe('OK');
    await env.psp.idle();
    const rts = env.nodo.rts();
    expect(rts.map((r) => r.datiPagamento.codiceEsitoPagamento)).toEqual(['0', '0']);
    rts.forEach((rt, i) => expect(rtAgainstRpt(rpts[i]!, rt).filter((p) => p.severity === 'error')).toEqual([]));
    expect(textOf(env.nodo.of('nodoInviaRT')[0]!.body, 'identificativoPSP')).toBe(env.psp.old.nodoLink && 'CLLDITMM001');
    // a concluded cart has no page any more
    expect((await fetch(`${env.urls.paymentPageUrl}?identificativoCarrello=${id}`)).status).toBe(409);
  });

  it('a cancelled cart sends the payer back with esito KO and gets negative RTs', async () => {
    env = await startEnv();
    const r = await cartPaid(env, 'annulla');
    expect(new URL(r.location).searchParams.get('esito')).toBe('KO');
    expect(env.nodo.rts().map((x) => [x.datiPagamento.codiceEsitoPagamento, x.datiPagamento.importoTotalePagato])).toEqual([['1', 0]]);
  });

  it('refuses what it cannot take with the CANALE_* code of each problem', async () => {
    env = await startEnv();
    const rpt = newRpt(env);
    expect((await call('pspInviaCarrelloRPT', cartRequest([rpt]))).esito).toBe('OK');
    const dup = await call('pspInviaCarrelloRPT', cartRequest([rpt]));
    expect([dup.esito, dup.fault?.faultCode, dup.errors[0]?.faultCode, dup.errors[0]?.serial, dup.fault?.id]).toEqual(['KO', 'CANALE_RPT_DUPLICATA', 'CANALE_RPT_DUPLICATA', 1, 'CLLDITMM001']);
    const other = newRpt(env);
    const mismatch = cartRequest([other]) as { listaRPT: { elementoListaCarrelloRPT: { codiceContestoPagamento: string }[] } };
    mismatch.listaRPT.elementoListaCarrelloRPT[0]!.codiceContestoPagamento = 'ALTRO';
    expect((await call('pspInviaCarrelloRPT', mismatch as never)).fault?.faultCode).toBe('CANALE_SEMANTICA');
    expect((await call('pspInviaCarrelloRPT', cartRequest([newRpt(env)], { identificativoPSP: 'ALTROPSP' }))).fault?.faultCode).toBe('CANALE_SEMANTICA');
    const notRpt = cartRequest([newRpt(env)]) as { listaRPT: { elementoListaCarrelloRPT: { rpt: string }[] } };
    notRpt.listaRPT.elementoListaCarrelloRPT[0]!.rpt = toBase64('<RPT>not one</RPT>');
    expect((await call('pspInviaCarrelloRPT', notRpt as never)).fault?.faultCode).toMatch(/^CANALE_SINTASSI_XSD$|^CANALE_SEMANTICA$/);
    const sums = await call('pspInviaCarrelloRPT', cartRequest([newRpt(env), newRpt(env, 1000, (r) => void (r.datiVersamento.importoTotaleDaVersare = 999))]));
    expect([sums.errors[0]?.faultCode, sums.errors[0]?.serial, sums.errors[0]?.description]).toEqual(['CANALE_SEMANTICA', 2, expect.stringMatching(/V-10/)]);
    const bad = await call('pspInviaCarrelloRPT', { ...cartRequest([newRpt(env)]), modelloPagamento: 9 });
    expect(bad.fault?.faultCode).toBe('CANALE_SINTASSI_EXTRAXSD');
  });
});

describe('RT push: TR-08 retries, PULL fall-back', () => {
  it('re-sends the same RT after 5, 10, 20, 40, 80 s (6 sends, A-14), then parks it for PULL; ACTC takes it out — all in well under a second', async () => {
    env = await startEnv();
    env.nodo.on('nodoInviaRT', 'unavailable');
    const t0 = performance.now();
    const { rpts } = await cartPaid(env);
    const sends = env.nodo.of('nodoInviaRT');
    expect(sends).toHaveLength(RT_PUSH_MAX_SENDS);
    expect(sends.slice(1).map((s, i) => s.at - sends[i]!.at)).toEqual([...OLD_RT_RETRY_WAITS_MS]);
    expect(new Set(sends.map((s) => textOf(s.body, 'rt'))).size).toBe(1);
    const keys = keysOf(rpts[0]!);
    const list = await call('pspChiediListaRT', { identificativoRichiedente: 'NodoDeiPagamentiSPC' });
    expect(list.inner?.children.filter((c) => c.name === 'elementoListaRTResponse').map((e) => textOf(e, 'codiceContestoPagamento'))).toEqual([keys.codiceContestoPagamento]);
    const got = await call('pspChiediRT', keys);
    const rt = readRt(fromBase64(textOf(got.inner, 'rt')!, 'RT'));
    expect(rt.datiPagamento.identificativoUnivocoVersamento).toBe(keys.identificativoUnivocoVersamento);
    expect((await call('pspChiediAvanzamentoRPT', keys)).inner && textOf((await call('pspChiediAvanzamentoRPT', keys)).inner, 'value')).toBe('RT_IN_CODA_PULL');
    const ack = ackFor(rt, { now: env.clock.now(), mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001' });
    expect((await call('pspInviaAckRT', { ...keys, ackRT: ackContent(ack) })).esito).toBe('OK');
    const after = await call('pspChiediListaRT', { identificativoRichiedente: 'NodoDeiPagamentiSPC' });
    expect(after.inner?.children.filter((c) => c.name === 'elementoListaRTResponse')).toEqual([]);
    expect(textOf((await call('pspChiediAvanzamentoRPT', keys)).inner, 'value')).toBe('RT_CONSEGNATA');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('an unanswered push (timeout) is retried like a 503; an answer to a retry ends the recovery', async () => {
    env = await startEnv({ sendRealCapMs: 30 });
    env.nodo.on('nodoInviaRT', 'silent', 'unavailable', { esito: 'OK' });
    await cartPaid(env);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(3);
    expect(env.psp.old.pushes()[0]!.state).toBe('delivered');
    expect(env.psp.old.archive.pullQueue()).toEqual([]);
  });

  it('stop() ends the pushes in progress: idle() returns, no further send', async () => {
    env = await startEnv({ sendRealCapMs: 30 });
    env.nodo.on('nodoInviaRT', 'silent');
    const sent = await nodoCallsPsp(env.urls.pspPerNodoUrl, 'pspInviaCarrelloRPT', cartRequest([newRpt(env)]), env.clock);
    const id = textOf(sent.inner, 'identificativoCarrello')!;
    await fetch(`${env.urls.paymentPageUrl}/esito`, { method: 'POST', body: new URLSearchParams({ identificativoCarrello: id, azione: 'paga' }), redirect: 'manual' });
    while (!env.nodo.of('nodoInviaRT').length) await new Promise((r) => setTimeout(r, 5));
    env.psp.old.stop();
    await env.psp.old.idle();
    const n = env.nodo.of('nodoInviaRT').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(env.nodo.of('nodoInviaRT').length).toBe(n);
    expect(n).toBeLessThan(6);
  });

  it('PPT_RT_DUPLICATA means delivered: one send, no PULL', async () => {
    env = await startEnv();
    env.nodo.on('nodoInviaRT', ko('PPT_RT_DUPLICATA'));
    await cartPaid(env);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(1);
    expect(env.psp.old.archive.rts[0]!.state).toBe('delivered');
  });

  it('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE / _TIMEOUT put the RT in the PULL queue at once (TR-09)', async () => {
    for (const code of ['PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', 'PPT_STAZIONE_INT_PA_TIMEOUT']) {
      env = await startEnv();
      env.nodo.on('nodoInviaRT', ko(code));
      await cartPaid(env);
      expect(env.nodo.of('nodoInviaRT')).toHaveLength(1);
      expect(env.psp.old.archive.pullQueue()).toHaveLength(1);
      await env.close();
    }
  });

  it("an EC's refusal relayed (PAA_SEMANTICA) is final: no retry, not parked (Tavolo Operativo); PAA_RT_DUPLICATA counts as delivered", async () => {
    env = await startEnv();
    env.nodo.on('nodoInviaRT', paaKo('PAA_SEMANTICA'), paaKo('PAA_RT_DUPLICATA'));
    await cartPaid(env);
    await cartPaid(env);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(2);
    expect(env.psp.old.archive.rts.map((r) => r.state)).toEqual(['refused', 'delivered']);
  });

  it('RJCT is answered OK and the RT leaves the PULL list (A-12); unknown keys are CANALE_RT_SCONOSCIUTA', async () => {
    env = await startEnv();
    env.nodo.on('nodoInviaRT', ko('PPT_STAZIONE_INT_PA_TIMEOUT'));
    const { rpts } = await cartPaid(env);
    const keys = keysOf(rpts[0]!);
    const rt = readRt(fromBase64(textOf((await call('pspChiediRT', keys)).inner, 'rt')!, 'RT'));
    const ack = ackFor(rt, { now: env.clock.now(), mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001', rejection: { codiceErrore: 'V-20' } });
    const answered = await call('pspInviaAckRT', { ...keys, ackRT: ackContent(ack) });
    expect([answered.esito, answered.fault?.description]).toEqual(['OK', undefined]);
    expect(env.psp.old.archive.pullQueue()).toEqual([]);
    expect(textOf((await call('pspChiediAvanzamentoRPT', keys)).inner, 'value')).toBe('RT_RIFIUTATA');
    expect((await call('pspChiediRT', { ...keys, codiceContestoPagamento: 'NESSUNO' })).fault?.faultCode).toBe('CANALE_RT_SCONOSCIUTA');
    expect((await call('pspChiediAvanzamentoRPT', { ...keys, codiceContestoPagamento: 'NESSUNO' })).fault?.faultCode).toBe('CANALE_RPT_SCONOSCIUTA');
  });
});

describe('payment at the PSP (modello 3)', () => {
  it('old-psp-pay: 202, verify, activate with the EC amount, the RPT forwarded, a positive RT', async () => {
    env = await startEnv();
    env.nodo.on('nodoVerificaRPT', { esito: 'OK', ...dati('150.00') }).on('nodoAttivaRPT', { esito: 'OK', ...dati('150.00') });
    rptAfterActivation(env);
    const r = await trigger(env, 'old-psp-pay', { amount: '140.00' });
    expect(r.status).toBe(202);
    await env.psp.idle();
    const act = env.nodo.of('nodoAttivaRPT')[0]!;
    expect(pathText(act.body, 'datiPagamentoPSP', 'importoSingoloVersamento')).toBe('150.00');
    const [rt] = env.nodo.rts();
    expect([rt?.datiPagamento.codiceEsitoPagamento, rt?.datiPagamento.importoTotalePagato, rt?.datiPagamento.CodiceContestoPagamento, rt?.datiPagamento.identificativoUnivocoVersamento]).toEqual(['0', 15000, textOf(act.body, 'codiceContestoPagamento'), NOTICE_IUV]);
    expect(env.psp.old.triggers.log[0]?.result).toMatchObject({ result: 'paid', amountCents: 15000 });
  });

  it('re-activates once with the amount datiPagamentoPA returns after PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO; stops on any other PAA refusal', async () => {
    env = await startEnv();
    env.nodo.on('nodoAttivaRPT', paaKo('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', dati('120.00')), { esito: 'OK', ...dati('120.00') });
    rptAfterActivation(env);
    await env.psp.old.payAtPsp(NOTICE, { verify: false, printedCents: 10000 });
    await env.psp.idle();
    expect(env.nodo.of('nodoAttivaRPT').map((a) => pathText(a.body, 'datiPagamentoPSP', 'importoSingoloVersamento'))).toEqual(['100.00', '120.00']);
    expect(env.nodo.rts()[0]?.datiPagamento.importoTotalePagato).toBe(12000);
    await env.close();
    env = await startEnv();
    env.nodo.on('nodoAttivaRPT', paaKo('PAA_PAGAMENTO_DUPLICATO'));
    const r = await env.psp.old.payAtPsp(NOTICE, { verify: false, printedCents: 10000 });
    expect([r.result, env.nodo.of('nodoAttivaRPT').length, env.nodo.of('nodoInviaRT').length]).toEqual(['not-paid', 1, 0]);
  });

  it('verify only: no activation; abandon: a negative RT; an RPT not PO is refused (CANALE_SEMANTICA) with a negative RT', async () => {
    env = await startEnv();
    env.nodo.on('nodoVerificaRPT', { esito: 'OK', ...dati('150.00') });
    expect((await env.psp.old.payAtPsp(NOTICE, { verifyOnly: true })).result).toBe('not-paid');
    expect(env.nodo.of('nodoAttivaRPT')).toHaveLength(0);
    rptAfterActivation(env);
    await env.psp.old.payAtPsp(NOTICE, { authorise: false });
    await env.psp.idle();
    expect(env.nodo.rts().map((r) => r.datiPagamento.codiceEsitoPagamento)).toEqual(['1']);
    await env.close();
    env = await startEnv();
    rptAfterActivation(env, { bend: (r) => void (r.datiVersamento.tipoVersamento = 'BBT') });
    const r = await env.psp.old.payAtPsp(NOTICE, { verify: false, printedCents: 5000 });
    await env.psp.idle();
    expect(r.result).toBe('not-paid');
    expect(env.nodo.rts().map((x) => x.datiPagamento.codiceEsitoPagamento)).toEqual(['1']);
    expect(env.psp.old.archive.rpts[0]?.progress).toBe('RPT_RIFIUTATA');
  });

  it('the RPT that never comes: no RT, the payment kept for the FdR with code 9 and the Tavolo Operativo (OLD-PSP-ERR-08)', async () => {
    env = await startEnv({ rptWaitRealMs: 50 });
    rptAfterActivation(env, { never: true });
    const r = await env.psp.old.payAtPsp(NOTICE, { verify: false, printedCents: 5000 });
    expect(r.message).toMatch(/code 9/);
    expect(env.psp.old.payments.withoutRpt).toMatchObject([{ iuv: NOTICE_IUV, amount: 5000, attivazione: 'OK' }]);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(0);
  });

  it('an RPT (modello 4) no activation of this PSP waits for is refused', async () => {
    env = await startEnv();
    const rpt = newRpt(env, 5000, (r) => void (r.datiVersamento.tipoVersamento = 'PO'));
    const r = await call('pspInviaRPT', rptRequest(rpt, 4));
    expect([r.esito, r.errors[0]?.faultCode]).toEqual(['KO', 'CANALE_SEMANTICA']);
  });
});

describe('storno and revoca', () => {
  it("storno: RR accepted, then the ER with nodoInviaEsitoStorno; a second RR is CANALE_RR_DUPLICATA, one for an unknown RT CANALE_RT_SCONOSCIUTA", async () => {
    env = await startEnv();
    const { rpts } = await cartPaid(env);
    const rt = env.psp.old.archive.rts[0]!.rt;
    const rr = rrFor(rt, { now: env.clock.now() });
    const keys = keysOf(rpts[0]!);
    expect((await call('pspInviaRichiestaStorno', { ...keys, rr: toBase64(rrXml(rr)) })).esito).toBe('OK');
    await env.psp.idle();
    const esito = env.nodo.of('nodoInviaEsitoStorno')[0]!;
    const er = fromBase64(textOf(esito.body, 'er')!, 'ER').toString('utf8');
    expect(er).toContain(rr.identificativoMessaggioRevoca);
    expect((await call('pspInviaRichiestaStorno', { ...keys, rr: toBase64(rrXml(rr)) })).fault?.faultCode).toBe('CANALE_RR_DUPLICATA');
    expect((await call('pspInviaRichiestaStorno', { ...keys, codiceContestoPagamento: 'NESSUNO', rr: toBase64(rrXml(rr)) })).fault?.faultCode).toBe('CANALE_RT_SCONOSCIUTA');
  });

  it('storno refused on the merits: an ER revoking 0.00; storno not offered: CANALE_OPER_NON_STORNABILE', async () => {
    env = await startEnv({ storno: 'refuse' });
    const { rpts } = await cartPaid(env);
    const rr = rrFor(env.psp.old.archive.rts[0]!.rt, { now: env.clock.now() });
    expect((await call('pspInviaRichiestaStorno', { ...keysOf(rpts[0]!), rr: toBase64(rrXml(rr)) })).esito).toBe('OK');
    await env.psp.idle();
    const er = readEr(fromBase64(textOf(env.nodo.of('nodoInviaEsitoStorno')[0]!.body, 'er')!, 'ER'));
    expect([er.datiRevoca.importoTotaleRevocato, er.riferimentoMessaggioRevoca]).toEqual([0, rr.identificativoMessaggioRevoca]);
    await env.close();
    env = await startEnv({ storno: 'unsupported' });
    const paid = await cartPaid(env);
    const rr2 = rrFor(env.psp.old.archive.rts[0]!.rt, { now: env.clock.now() });
    expect((await call('pspInviaRichiestaStorno', { ...keysOf(paid.rpts[0]!), rr: toBase64(rrXml(rr2)) })).fault?.faultCode).toBe('CANALE_OPER_NON_STORNABILE');
    expect(env.nodo.of('nodoInviaEsitoStorno')).toHaveLength(0);
  });

  it('charge-back: the RR with tipoRevoca 2; the EC ER (even a refusal) is taken and no RT follows', async () => {
    env = await startEnv();
    const { rpts } = await cartPaid(env);
    const k = keysOf(rpts[0]!);
    const r = await env.psp.old.revoca({ idDominio: k.identificativoDominio, iuv: k.identificativoUnivocoVersamento, ccp: k.codiceContestoPagamento }, '2');
    expect(r.esito).toBe('OK');
    const rr = readRr(fromBase64(textOf(env.nodo.of('nodoInviaRichiestaRevoca')[0]!.body, 'rr')!, 'RR'));
    expect([rr.datiRevoca.tipoRevoca, rr.datiRevoca.importoTotaleRevocato]).toEqual(['2', 15000]);
    expect((await call('pspInviaRispostaRevoca', { ...k, er: toBase64(erXml(erFor(rr, { now: env.clock.now(), outcome: 'refused' }))) })).esito).toBe('OK');
    await env.psp.idle();
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(1);
  });

  it('annullo tecnico: the RR with tipoRevoca 1, the EC ER accepted, then the replacing RT with forzaControlloSegno 1; a second ER is CANALE_ER_DUPLICATA', async () => {
    env = await startEnv();
    const { rpts } = await cartPaid(env);
    const keys = keysOf(rpts[0]!);
    const t = await trigger(env, 'old-psp-revoca', { params: { iuv: keys.identificativoUnivocoVersamento, ccp: keys.codiceContestoPagamento, tipoRevoca: '1' } });
    expect(t.status).toBe(202);
    await env.psp.idle();
    const rr = readRr(fromBase64(textOf(env.nodo.of('nodoInviaRichiestaRevoca')[0]!.body, 'rr')!, 'RR'));
    expect(rr.datiRevoca.tipoRevoca).toBe('1');
    const er = erFor(rr, { now: env.clock.now(), outcome: 'accepted' });
    expect((await call('pspInviaRispostaRevoca', { ...keys, er: toBase64(erXml(er)) })).esito).toBe('OK');
    await env.psp.idle();
    const sends = env.nodo.of('nodoInviaRT');
    expect(sends).toHaveLength(2);
    expect(textOf(sends[1]!.body, 'forzaControlloSegno')).toBe('1');
    expect(env.nodo.rts()[1]!.datiPagamento.codiceEsitoPagamento).toBe('1');
    expect((await call('pspInviaRispostaRevoca', { ...keys, er: toBase64(erXml(er)) })).fault?.faultCode).toBe('CANALE_ER_DUPLICATA');
    expect((await call('pspInviaRispostaRevoca', { ...keys, codiceContestoPagamento: 'NESSUNO', er: toBase64(erXml(er)) })).fault?.faultCode).toBe('CANALE_RR_SCONOSCIUTA');
  });
});

describe('trigger hook and the rest of PspPerNodo', () => {
  it('400 naming the problem; the new-model actions still reach the new side', async () => {
    env = await startEnv();
    const noNotice = await trigger(env, 'old-psp-pay', { noticeNumber: undefined });
    expect([noNotice.status, String(noNotice.body.error)]).toEqual([400, expect.stringMatching(/noticeNumber/)]);
    const noParams = await trigger(env, 'old-psp-revoca');
    expect([noParams.status, String(noParams.body.error)]).toEqual([400, expect.stringMatching(/params/)]);
    const noRt = await trigger(env, 'old-psp-revoca', { params: { iuv: '01000000000099999', ccp: 'NESSUNO' } });
    expect([noRt.status, String(noRt.body.error)]).toEqual([400, expect.stringMatching(/no RT .*NESSUNO/)]);
    const badNotice = await trigger(env, 'old-psp-pay', { noticeNumber: '999999999999999999' });
    expect([badNotice.status, String(badNotice.body.error)]).toEqual([400, expect.stringMatching(/noticeNumber/)]);
    const ecSeat = await trigger(env, 'old-psp-pay', { seat: 'ec' });
    expect(ecSeat.status).toBe(400);
    expect((await trigger(env, 'notify-accept')).status).toBe(202);
  });

  it('pspNotificaCancellazioneRPT withdraws an RPT not yet paid; the card cart is not offered', async () => {
    env = await startEnv();
    const rpt = newRpt(env);
    const sent = await call('pspInviaCarrelloRPT', cartRequest([rpt]));
    expect((await call('pspNotificaCancellazioneRPT', keysOf(rpt))).esito).toBe('OK');
    expect(textOf((await call('pspChiediAvanzamentoRPT', keysOf(rpt))).inner, 'value')).toBe('RPT_ANNULLATA');
    const id = textOf(sent.inner, 'identificativoCarrello')!;
    const res = await fetch(`${env.urls.paymentPageUrl}/esito`, { method: 'POST', body: new URLSearchParams({ identificativoCarrello: id, azione: 'paga' }), redirect: 'manual' });
    expect(res.status).toBe(409);
    expect((await call('pspNotificaCancellazioneRPT', { ...keysOf(rpt), codiceContestoPagamento: 'NESSUNO' })).fault?.faultCode).toBe('CANALE_RPT_SCONOSCIUTA');
    expect(EC).toBe(rpt.dominio.identificativoDominio);
  });
});

describe('stopping the PSP', () => {
  // on the real clock TR-13's wait for the EC's RPT is a token's lifetime (30 min): `collaudo serve --psp`
  // stopped (SIGTERM, Ctrl-C) after an activation whose RPT never came sat it out before it exited
  it('gives up the RPT still waited for at once, and every later wait', async () => {
    const archive = new OldPspArchive();
    const keys = { idDominio: EC, iuv: NOTICE_IUV, ccp: 'CCP-never-sent' };
    const waiting = archive.waitRpt(keys, 30 * 60_000);
    archive.stopWaits();
    await expect(waiting).resolves.toBeUndefined();
    await expect(archive.waitRpt({ ...keys, ccp: 'CCP-later' }, 30 * 60_000)).resolves.toBeUndefined();
  });
});
