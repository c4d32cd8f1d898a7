// The old-model reference EC's portal (the "Paga" form → nodoInviaCarrelloRPT → 303 to WISP, the
// return page for each esito) and its trigger actions (old-cart, old-rpt, old-recover-rt,
// old-pending, old-informativa), on real sockets against a stub Nodo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtXml, toBase64 } from '../domain/old/index.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { textOf } from '../src/wire/xml.js';
import { FC, PASSWORD, STATION, StubNodo, callStation, position, ppt, rtOf, startEc, trigger, triggerRequest } from './ec-old-support.js';

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

const get = async (path: string) => {
  const r = await fetch(`${ec.baseUrl}${path}`);
  return { status: r.status, text: await r.text() };
};
const pay = async (values: string[]) => {
  const form = new URLSearchParams(values.map((v) => ['posizione', v]));
  const r = await fetch(`${ec.baseUrl}/old/paga`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
  return { status: r.status, location: r.headers.get('location') ?? undefined, text: await r.text() };
};
/** A cart started from the portal: its WISP session. */
async function cartSession(): Promise<{ idSession: string; iuvs: string[] }> {
  const iuvs = [position(ec, 'payable', 1500).iuv, position(ec, 'payable', 2500).iuv];
  const r = await pay(iuvs.map((i) => `${FC}/${i}`));
  expect(r.status).toBe(303);
  return { idSession: new URL(r.location!).searchParams.get('idSession')!, iuvs };
}

describe('portal', () => {
  it('lists the payable positions in accessible HTML that needs no JavaScript and nothing external', async () => {
    const p = position(ec, 'payable', 3333);
    const r = await get('/old/portale');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/<html lang="it">/);
    expect(r.text).toContain(p.iuv);
    expect(r.text).toMatch(/<form method="post" action="\/old\/paga">/);
    const ids = [...r.text.matchAll(/<input type="checkbox" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(r.text).toContain(`<label for="${id}">`);
    expect(r.text).not.toMatch(/<script|https?:\/\/(?!wisp)/);
  });
  it('"Paga" sends one cart of the chosen RPTs with a fresh identificativoCarrello and answers 303 to the WISP URL', async () => {
    const a = position(ec, 'payable', 1000);
    const b = position(ec, 'payable', 2000);
    const r = await pay([`${FC}/${a.iuv}`, `${FC}/${b.iuv}`]);
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^http:\/\/wisp\.example\/wallet\?idSession=SESS\d+$/);
    const call = nodo.calls.at(-1)!;
    expect(call.op).toBe('nodoInviaCarrelloRPT');
    expect(call.xsdValid).toBe(true);
    expect(textOf(call.header, 'identificativoCarrello')).toMatch(new RegExp(`^\\d{4}${FC}01\\d{18}$`));
    expect(textOf(call.header, 'identificativoStazioneIntermediarioPA')).toBe(STATION);
    expect(call.rpts.map((x) => [x.datiVersamento.identificativoUnivocoVersamento, x.datiVersamento.importoTotaleDaVersare])).toEqual([[a.iuv, 1000], [b.iuv, 2000]]);
    const ccps = call.rpts.map((x) => x.datiVersamento.codiceContestoPagamento);
    expect(new Set(ccps).size).toBe(2);
    expect(ec.position(FC, a.noticeNumber)?.state).toBe('in-progress');
    // a second cart never reuses the identifier
    const c = position(ec, 'payable', 500);
    await pay([`${FC}/${c.iuv}`]);
    expect(textOf(nodo.calls.at(-1)!.header, 'identificativoCarrello')).not.toBe(textOf(call.header, 'identificativoCarrello'));
  });
  it.each([[0], [6]])('a form with %i positions is a 400 page saying 1..5', async (n) => {
    const values = Array.from({ length: n }, () => `${FC}/${position(ec).iuv}`);
    const r = await pay(values);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/da 1 a 5 posizioni/);
  });
  it('a cart the Nodo refuses gives an error page naming the Nodo\'s fault and frees the positions', async () => {
    nodo.answers.set('nodoInviaCarrelloRPT', () => ({ fault: { faultCode: 'PPT_ID_CARRELLO_DUPLICATO', faultString: 'Carrello duplicato', id: 'NodoDeiPagamentiSPC' }, esitoComplessivoOperazione: 'KO' }));
    try {
      const p = position(ec);
      const r = await pay([`${FC}/${p.iuv}`]);
      expect(r.status).toBe(502);
      expect(r.text).toContain('PPT_ID_CARRELLO_DUPLICATO');
      expect(ec.position(FC, p.noticeNumber)?.state).toBe('payable');
    } finally {
      nodo.answers.delete('nodoInviaCarrelloRPT');
    }
  });
});

describe('return page (I02)', () => {
  it.each([
    ['OK', 'Pagamento eseguito'],
    ['ERROR', 'Pagamento non eseguito'],
    ['DIFFERITO', 'Pagamento in corso di verifica'],
  ])('esito=%s states "%s" and the positions concerned', async (esito, words) => {
    const { idSession, iuvs } = await cartSession();
    const r = await get(`/old/ritorno?idDominio=${FC}&idSession=${idSession}&esito=${esito}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<h1>${words}</h1>`);
    for (const i of iuvs) expect(r.text).toContain(i);
    for (const other of ['Pagamento eseguito', 'Pagamento non eseguito', 'Pagamento in corso di verifica'].filter((w) => w !== words)) expect(r.text).not.toContain(`<h1>${other}</h1>`);
  });
  it('an unknown idSession is a 400 page that names it', async () => {
    const r = await get(`/old/ritorno?idDominio=${FC}&idSession=NOSUCHSESSION&esito=OK`);
    expect(r.status).toBe(400);
    expect(r.text).toContain('NOSUCHSESSION');
  });
  it.each(['idDominio', 'idSession', 'esito'])('a missing %s is a 400 page that names it', async (missing) => {
    const { idSession } = await cartSession();
    const q = new URLSearchParams({ idDominio: FC, idSession, esito: 'OK' });
    q.delete(missing);
    const r = await get(`/old/ritorno?${q}`);
    expect(r.status).toBe(400);
    expect(r.text).toContain(missing);
  });
  it('an esito outside OK / ERROR / DIFFERITO is a 400 page', async () => {
    const { idSession } = await cartSession();
    const r = await get(`/old/ritorno?idDominio=${FC}&idSession=${idSession}&esito=MAYBE`);
    expect(r.status).toBe(400);
    expect(r.text).toContain('MAYBE');
  });
});

describe('trigger actions (old-*)', () => {
  it('old-cart with amounts: 202 at once, then a cart of new positions of those amounts', async () => {
    const before = nodo.of('nodoInviaCarrelloRPT').length;
    const t = await trigger(ec, triggerRequest('old-cart', { amountsCents: [1100, 2200, 3300] }));
    expect(t.status).toBe(202);
    const call = await nodo.waitFor('nodoInviaCarrelloRPT', (c) => nodo.of('nodoInviaCarrelloRPT').indexOf(c) >= before);
    expect(call.rpts.map((r) => r.datiVersamento.importoTotaleDaVersare)).toEqual([1100, 2200, 3300]);
  });
  it('old-cart with notices: the cart of exactly those positions', async () => {
    const a = position(ec, 'payable', 4100);
    expect((await trigger(ec, triggerRequest('old-cart', { notices: [{ fiscalCode: FC, noticeNumber: a.noticeNumber }] }))).status).toBe(202);
    const call = await nodo.waitFor('nodoInviaCarrelloRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === a.iuv);
    expect(call.rpts).toHaveLength(1);
  });
  it('old-cart with ibanAddebito (a manleva, L1529): every RPT carries it, valid against the schema; a value that is no IBAN is a 400', async () => {
    const iban = 'IT39U0300203280000400162854';
    const before = nodo.of('nodoInviaCarrelloRPT').length;
    expect((await trigger(ec, triggerRequest('old-cart', { amountsCents: [700, 800], ibanAddebito: iban }))).status).toBe(202);
    const call = await nodo.waitFor('nodoInviaCarrelloRPT', (c) => nodo.of('nodoInviaCarrelloRPT').indexOf(c) >= before);
    expect(call.xsdValid).toBe(true);
    expect(call.rpts.map((r) => r.datiVersamento.ibanAddebito)).toEqual([iban, iban]);
    const bad = await trigger(ec, triggerRequest('old-cart', { amountsCents: [700], ibanAddebito: 'conto 123' }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('ibanAddebito');
  });
  it('old-rpt: one RPT of model 0 with nodoInviaRPT for the PSP asked', async () => {
    const t = await trigger(ec, triggerRequest('old-rpt', { amountCents: 5100, identificativoPSP: 'PSPTEST01', identificativoIntermediarioPSP: '01234567890', identificativoCanale: '01234567890_01' }));
    expect(t.status).toBe(202);
    const call = await nodo.waitFor('nodoInviaRPT', (c) => textOf(c.body, 'identificativoPSP') === 'PSPTEST01');
    expect(call.xsdValid).toBe(true);
    expect(call.rpts[0]!.datiVersamento.importoTotaleDaVersare).toBe(5100);
    expect(textOf(call.header, 'codiceContestoPagamento')).toBe(call.rpts[0]!.datiVersamento.codiceContestoPagamento);
  });
  it('old-recover-rt: nodoChiediStatoRPT, then nodoChiediCopiaRT; the copy is booked and closes the position', async () => {
    await trigger(ec, triggerRequest('old-rpt', { amountCents: 6100, identificativoPSP: 'PSPREC01', identificativoIntermediarioPSP: '01234567890', identificativoCanale: '01234567890_01' }));
    const sent = await nodo.waitFor('nodoInviaRPT', (c) => textOf(c.body, 'identificativoPSP') === 'PSPREC01');
    await ec.old.idle();
    const rpt = sent.rpts[0]!;
    const iuv = rpt.datiVersamento.identificativoUnivocoVersamento;
    const ccp = rpt.datiVersamento.codiceContestoPagamento;
    nodo.answers.set('nodoChiediCopiaRT', () => ({ tipoFirma: '0', rt: toBase64(rtXml(rtOf(rpt))) }));
    try {
      expect((await trigger(ec, triggerRequest('old-recover-rt', { iuv, ccp }))).status).toBe(202);
      await ec.old.idle();
      const stato = nodo.of('nodoChiediStatoRPT').find((c) => textOf(c.body, 'identificativoUnivocoVersamento') === iuv);
      const copia = nodo.of('nodoChiediCopiaRT').find((c) => textOf(c.body, 'identificativoUnivocoVersamento') === iuv);
      expect(stato && copia && nodo.calls.indexOf(stato) < nodo.calls.indexOf(copia)).toBe(true);
      expect(textOf(copia!.body, 'codiceContestoPagamento')).toBe(ccp);
      expect(ec.old.apa.position(FC, iuv)?.state).toBe('paid');
    } finally {
      nodo.answers.delete('nodoChiediCopiaRT');
    }
  });
  it.each([
    ['old-pending', 'nodoChiediListaPendentiRPT', { dimensioneLista: 50 }],
    ['old-informativa', 'nodoChiediInformativaPSP', {}],
  ] as const)('%s calls %s with the station\'s identities and password', async (action, op, params) => {
    const before = nodo.of(op).length;
    expect((await trigger(ec, triggerRequest(action, params))).status).toBe(202);
    const call = await nodo.waitFor(op, (c) => nodo.of(op).indexOf(c) >= before);
    expect(call.xsdValid).toBe(true);
    expect([textOf(call.body, 'identificativoStazioneIntermediarioPA'), textOf(call.body, 'password')]).toEqual([STATION, PASSWORD]);
  });
  it.each([
    ['old-recover-rt without iuv', triggerRequest('old-recover-rt', { ccp: 'X' }), /iuv/],
    ['old-cart of 6 amounts', triggerRequest('old-cart', { amountsCents: [1, 2, 3, 4, 5, 6] }), /amountsCents/],
    ['old-storno without seat', { ...triggerRequest('old-storno', { iuv: '1', ccp: '2' }), seat: undefined }, /seat/],
  ])('%s is answered 400 naming the field', async (_n, body, field) => {
    const t = await trigger(ec, body);
    expect(t.status).toBe(400);
    expect(String(t.json.error)).toMatch(field);
  });
});

describe('position status and RT copy (L365, OLD-EC-PAY-09)', () => {
  it('the status page states the position and its attempts, and links the RT copy, which is the RT as received', async () => {
    await trigger(ec, triggerRequest('old-rpt', { amountCents: 7100, identificativoPSP: 'PSPSTAT01', identificativoIntermediarioPSP: '01234567890', identificativoCanale: '01234567890_01' }));
    const rpt = (await nodo.waitFor('nodoInviaRPT', (c) => textOf(c.body, 'identificativoPSP') === 'PSPSTAT01')).rpts[0]!;
    await ec.old.idle();
    const iuv = rpt.datiVersamento.identificativoUnivocoVersamento;
    const ccp = rpt.datiVersamento.codiceContestoPagamento;
    const before = await get(`/old/stato?idDominio=${FC}&iuv=${iuv}`);
    expect(before.status).toBe(200);
    expect(before.text).toContain('In pagamento');
    expect(before.text).not.toContain('/old/rt?');
    const rt = rtXml(rtOf(rpt));
    expect((await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rt) }, ppt(iuv, ccp))).esito).toBe('OK');
    const after = await get(`/old/stato?idDominio=${FC}&iuv=${iuv}`);
    expect(after.text).toContain('Chiusa');
    const link = /href="(\/old\/rt\?[^"]+)"/.exec(after.text)![1]!.replace(/&amp;/g, '&');
    const copy = await fetch(`${ec.baseUrl}${link}`);
    expect(copy.headers.get('content-type')).toMatch(/xml/);
    expect(await copy.text()).toBe(rt);
  });
  it('an unknown position is a 404 page, a missing parameter a 400 page naming it', async () => {
    expect((await get(`/old/stato?idDominio=${FC}&iuv=01999999999999999`)).status).toBe(404);
    const r = await get(`/old/stato?idDominio=${FC}`);
    expect([r.status, r.text.includes('iuv')]).toEqual([400, true]);
    expect((await get(`/old/rt?idDominio=${FC}&iuv=1&ccp=2`)).status).toBe(404);
  });
});
