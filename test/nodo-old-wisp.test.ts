// WISP served by the reference Nodo (issue 10 item 3), fetched over HTTP as a browser without
// JavaScript would: the choice page (summary, a labelled radio per PSP, submit buttons, lang="it",
// no script, no external resource), the choice → pspInviaCarrelloRPT → 303 to the PSP's page, the
// PSP's return → 303 to the EC with idDominio, idSession, esito; cancellation and a PSP's refusal →
// esito ERROR and the negative RTs the Nodo writes, delivered with paaInviaRT. Every page journaled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRt } from '../domain/old/index.js';
import { EC, RETURN_URL, type World, cart, keys, rpt, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

async function newCart(n = 1) {
  const ks = Array.from({ length: n }, () => keys());
  const c = cart(`W${ks[0]!.iuv}`, ks.map((k) => rpt(k)));
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  expect(a.esito).toBe('OK');
  const url = a.result.children.find((x) => x.name === 'url')!.text;
  return { ks, url, idSession: new URL(url).searchParams.get('idSession')!, idCarrello: `W${ks[0]!.iuv}` };
}

const choose = (idSession: string, form: Record<string, string>) =>
  fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idSession, ...form }), redirect: 'manual' });

describe('WISP', () => {
  it('serves the choice page: the cart summary and a labelled radio per PSP channel, plain accessible HTML', async () => {
    const { ks, url } = await newCart(2);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/<html lang="it">/);
    for (const k of ks) expect(html).toContain(k.iuv);
    expect(html).toContain('€ 301.00');
    const radio = /<input type="radio" id="(psp-\d+)" name="psp" value="CLLDITMM001\|99999000001_01"/.exec(html);
    expect(radio).not.toBeNull();
    expect(html).toContain(`<label for="${radio![1]}">`);
    expect(html).toMatch(/<form method="post" action="\/wisp\/scelta">/);
    expect(html).toMatch(/<button type="submit" name="azione" value="paga">/);
    expect(html).toMatch(/<button type="submit" name="azione" value="annulla"/);
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(w.journal.entries.some((e) => e.primitive === 'WISP GET' && e.direction === 'response' && e.httpStatus === 200)).toBe(true);
  });

  it('an unknown session: 404 naming PPT_WISP_SESSIONE_SCONOSCIUTA', async () => {
    const res = await fetch(`${w.nodo.urls.wisp}?idSession=nessuna`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('PPT_WISP_SESSIONE_SCONOSCIUTA');
  });

  it('the choice sends the cart to the PSP and the payer to its page; the PSP return sends the payer to the EC with esito OK', async () => {
    w.psp.script.pspInviaCarrelloRPT = () => ({ pspInviaCarrelloRPTResponse: { esitoComplessivoOperazione: 'OK', identificativoCarrello: 'PSP-CART-1', parametriPagamentoImmediato: 'identificativoCarrello=PSP-CART-1' } });
    try {
      const { ks, idSession } = await newCart(2);
      const res = await choose(idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('http://psp.example/pagamento?identificativoCarrello=PSP-CART-1');
      const sent = w.psp.seen.filter((s) => s.op === 'pspInviaCarrelloRPT').at(-1)!;
      expect(sent.body.children.find((c) => c.name === 'listaRPT')?.children).toHaveLength(2);
      expect(w.nodo.rpt(EC, ks[0]!.iuv, ks[0]!.ccp)?.stato).toBe('RPT_ACCETTATA_PSP');
      const back = await fetch(`${w.nodo.urls.wispReturn}?identificativoCarrello=PSP-CART-1&esito=OK`, { redirect: 'manual' });
      expect(back.status).toBe(303);
      const to = new URL(back.headers.get('location')!);
      expect(`${to.origin}${to.pathname}`).toBe(RETURN_URL);
      expect(Object.fromEntries(to.searchParams)).toEqual({ idDominio: EC, idSession, esito: 'OK' });
      // the browser's path is evidence: the POST and both redirects, correlated by the session
      expect(w.journal.entries.some((e) => e.primitive === 'WISP POST' && e.direction === 'response' && e.httpStatus === 303 && e.correlation.idSession === idSession)).toBe(true);
      expect(w.journal.entries.some((e) => e.note === `redirect to ${to.href}`)).toBe(true);
    } finally {
      delete w.psp.script.pspInviaCarrelloRPT;
    }
  });

  it('the PSP return with esito DIFFERITO or KO: the EC hears DIFFERITO or ERROR', async () => {
    for (const [psp, ec] of [['DIFFERITO', 'DIFFERITO'], ['KO', 'ERROR']] as const) {
      const { idSession, idCarrello } = await newCart();
      expect((await choose(idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' })).status).toBe(303);
      // a PSP that gives back no cart id of its own is found by ours
      const back = await fetch(`${w.nodo.urls.wispReturn}?identificativoCarrello=${idCarrello}&esito=${psp}`, { redirect: 'manual' });
      expect(new URL(back.headers.get('location')!).searchParams.get('esito')).toBe(ec);
    }
  });

  it('a channel of payment model 2 (no redirect, L1502): pspInviaCarrelloRPT says modelloPagamento 2, a thank-you page links back to the EC with esito DIFFERITO', async () => {
    const first = w.reg.channels[0]!;
    w.reg.channels.push({ ...first, idChannel: '99999000001_02', description: 'autorizzazione gestita dal PSP', modelloPagamento: 2, redirectUrl: undefined });
    w.psp.script.pspInviaCarrelloRPT = () => ({ pspInviaCarrelloRPTResponse: { esitoComplessivoOperazione: 'OK', identificativoCarrello: 'PSP-CART-2' } });
    try {
      const { ks, idSession } = await newCart();
      const choice = await (await fetch(`${w.nodo.urls.wisp}?idSession=${idSession}`)).text();
      expect(choice).toContain('value="CLLDITMM001|99999000001_02"');
      const res = await choose(idSession, { psp: 'CLLDITMM001|99999000001_02', azione: 'paga' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('preso in carico');
      const link = /<a href="([^"]+)">Torna al sito dell’ente<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&');
      expect(Object.fromEntries(new URL(link!).searchParams)).toEqual({ idDominio: EC, idSession, esito: 'DIFFERITO' });
      const sent = w.psp.seen.filter((x) => x.op === 'pspInviaCarrelloRPT').at(-1)!;
      expect(sent.body.children.find((c) => c.name === 'modelloPagamento')?.text).toBe('2');
      expect(sent.body.children.find((c) => c.name === 'identificativoCanale')?.text).toBe('99999000001_02');
      expect(w.nodo.rpt(EC, ks[0]!.iuv, ks[0]!.ccp)?.stato).toBe('RPT_ACCETTATA_PSP');
      // the session is over on WISP
      expect((await fetch(`${w.nodo.urls.wisp}?idSession=${idSession}`)).status).toBe(409);
      // the model-1 channel answered without redirect: straight back to the EC with DIFFERITO, modelloPagamento 1
      const other = await newCart();
      const back = await choose(other.idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' });
      expect(back.status).toBe(303);
      expect(new URL(back.headers.get('location')!).searchParams.get('esito')).toBe('DIFFERITO');
      expect(w.psp.seen.filter((x) => x.op === 'pspInviaCarrelloRPT').at(-1)!.body.children.find((c) => c.name === 'modelloPagamento')?.text).toBe('1');
    } finally {
      w.reg.channels.pop();
      delete w.psp.script.pspInviaCarrelloRPT;
    }
  });

  it('cancel: 303 to the EC with esito ERROR, and the Nodo delivers a negative RT for each RPT', async () => {
    const { ks, idSession } = await newCart(2);
    const res = await choose(idSession, { azione: 'annulla' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('esito')).toBe('ERROR');
    for (const k of ks) {
      const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect(d.state).toBe('delivered');
      const rec = w.nodo.rpt(EC, k.iuv, k.ccp)!;
      expect(rec.rt?.generated).toBe(true);
      expect(readRt(rec.rt!.xml).datiPagamento.codiceEsitoPagamento).toBe('1');
      expect(rec.history.map((h) => h.stato)).toContain('RPT_ANNULLATA_WISP');
    }
  });

  it('the PSP refuses the cart: an error page offering the return with esito ERROR, negative RTs delivered', async () => {
    w.psp.script.pspInviaCarrelloRPT = () => ({ ko: { faultCode: 'CANALE_SEMANTICA', id: 'CLLDITMM001', description: 'carrello non valido' } });
    try {
      const { ks, idSession } = await newCart();
      const res = await choose(idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' });
      expect(res.status).toBe(502);
      const html = await res.text();
      expect(html).toContain('PPT_CANALE_ERRORE');
      expect(html).toMatch(/href="http:\/\/ec\.example\/ritorno\?idDominio=77777777777&amp;idSession=[^"]+&amp;esito=ERROR"/);
      const d = await w.nodo.waitDelivery(EC, ks[0]!.iuv, ks[0]!.ccp);
      expect(d.state).toBe('delivered');
      expect(w.nodo.rpt(EC, ks[0]!.iuv, ks[0]!.ccp)?.stato).toBe('RT_ACCETTATA_PA');
    } finally {
      delete w.psp.script.pspInviaCarrelloRPT;
    }
  });

  it('never crashes on bad input: other methods 405, an oversized or garbage form answered with a page', async () => {
    expect((await fetch(w.nodo.urls.wisp, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: '%%%&&&==' })).status).toBe(404);
    expect((await fetch(`${w.nodo.urls.base}/wisp/altro`)).status).toBe(404);
    expect((await fetch(w.nodo.urls.wispReturn)).status).toBe(404);
  });

  it('a choice outside the offer: 400 and back to the choice; a session already used: 409', async () => {
    const { idSession } = await newCart();
    expect((await choose(idSession, { psp: 'NESSUNO|X', azione: 'paga' })).status).toBe(400);
    expect((await choose(idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' })).status).toBe(303);
    expect((await choose(idSession, { psp: 'CLLDITMM001|99999000001_01', azione: 'paga' })).status).toBe(409);
  });
});
