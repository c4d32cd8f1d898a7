// The scripted payer in the real headless Chromium (system browser, JavaScript off) against a real
// HTTP server playing a 3-page flow: a PSP choice form → the PSP's page (Paga / Annulla) → a thank-you
// page whose link returns to the EC with query parameters. The data the payer hands back and the
// journal entries it writes are what scenarios judge, so they are asserted here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../src/core/journal.js';
import { VirtualClock } from '../src/core/clock.js';
import { NO_BROWSER_REASON, Payer, findBrowser } from '../actors/payer/index.js';

const DEADLINE = 20_000;
const ID_SESSION = 'c0ffee00-0000-4000-8000-000000000001';

interface Seen { method: string; url: string; body: string }

function page(title: string, body: string, lang = 'it'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}</main></body></html>`;
}

function flowServer(seen: Seen[]): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const u = new URL(req.url ?? '/', 'http://x');
      const html = (s: string) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(s); };
      const redirect = (to: string) => { res.writeHead(303, { location: to }); res.end(); };
      const form = new URLSearchParams(body);
      switch (u.pathname) {
        case '/wisp':
          return html(page('Scelta del PSP', `<h1>Scegli come pagare</h1>
            <p id="js">senza JavaScript</p><script>document.getElementById('js').textContent = 'con JavaScript';</script>
            <form method="post" action="/wisp/scelta"><fieldset><legend>PSP</legend>
            <input type="radio" id="p1" name="psp" value="PSP-AAA"><label for="p1">Banca Alfa</label>
            <label><input type="radio" name="psp" value="PSP-BBB"> Banca Beta</label>
            <input type="radio" id="p3" name="psp" value="PSP-CCC|CANALE-01"><label for="p3">Banca Gamma – canale web</label>
            </fieldset><input type="hidden" name="idSession" value="${u.searchParams.get('idSession')}">
            <button type="submit">Procedi</button></form>`));
        case '/wisp/scelta':
          return redirect(`/psp?idSession=${form.get('idSession')}&psp=${form.get('psp')}`);
        case '/psp':
          return html(page('Banca Beta — pagamento', `<h1>Carrello</h1><p>Importo: 12,34 EUR</p>
            <form method="post" action="/psp/esito"><input type="hidden" name="idSession" value="${u.searchParams.get('idSession')}">
            <label for="nome">Titolare</label><input id="nome" name="nome" value="">
            <button type="submit" name="azione" value="paga">Paga</button>
            <button type="submit" name="azione" value="annulla">Annulla</button></form>`));
        case '/psp/esito':
          return redirect(`/grazie?idSession=${form.get('idSession')}&esito=${form.get('azione') === 'paga' ? 'OK' : 'ERROR'}`);
        case '/grazie':
          return html(page('Grazie', `<p>Operazione conclusa.</p><a href="/ente/ritorno?idDominio=01234567890&idSession=${u.searchParams.get('idSession')}&esito=${u.searchParams.get('esito')}">Torna al sito dell'ente</a>`));
        case '/attendere':
          // a page that moves on by itself, without JavaScript
          return html(`<!doctype html><html lang="it"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1; url=/ente/ritorno?idSession=${u.searchParams.get('idSession')}&esito=DIFFERITO"><title>Attendere</title></head><body><main><p>Attendere…</p></main></body></html>`);
        case '/ente/ritorno':
          return html(page('Esito', `<p id="esito">Esito pagamento: ${u.searchParams.get('esito')}</p>`));
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found');
      }
    });
  });
}

describe('findBrowser', () => {
  it('CHROMIUM_PATH pointing nowhere is a missing browser, with the reason the scenarios report', () => {
    const r = findBrowser({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(r).toEqual({ reason: NO_BROWSER_REASON, tried: ['/nonexistent/chromium'] });
    expect(NO_BROWSER_REASON).toBe('no browser found (install Debian chromium)');
  });
  it('a file that is not executable is no browser', () => {
    expect('reason' in findBrowser({ CHROMIUM_PATH: new URL('../package.json', import.meta.url).pathname })).toBe(true);
  });
  it('a launch without a browser throws the reason', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const p = new Payer();
      p.bind({ journal: new Journal(new VirtualClock()) });
      await expect(p.open('http://127.0.0.1:9/', 1000)).rejects.toThrow(NO_BROWSER_REASON);
      await p.close();
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});

const found = findBrowser();
if ('reason' in found) console.warn(`the payer's browser tests skipped: ${found.reason} (looked at ${found.tried.join(', ')})`);

describe.runIf('path' in found)('Payer in headless Chromium, JavaScript off', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let base: string;
  const payer = new Payer();

  beforeAll(async () => {
    server = flowServer(seen);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await payer.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('chooses a PSP, pays, follows the way back, and hands back every hop as data', async () => {
    const journal = new Journal(new VirtualClock());
    payer.bind({ journal, parties: { [`${base}/wisp`]: 'nodo', [`${base}/psp`]: 'psp', [`${base}/ente`]: 'ec' } });

    const opened = await payer.open(`${base}/wisp?idSession=${ID_SESSION}`, DEADLINE);
    expect(opened.problem).toBeUndefined();
    const choice = opened.final!;
    expect(choice).toMatchObject({ status: 200, title: 'Scelta del PSP', lang: 'it', scripts: 1, query: { idSession: ID_SESSION } });
    expect(choice.text).toContain('senza JavaScript'); // the page's script never ran
    const radios = choice.fields!.filter((f) => f.type === 'radio');
    expect(radios.map((f) => [f.value, f.label])).toEqual([['PSP-AAA', 'Banca Alfa'], ['PSP-BBB', 'Banca Beta'], ['PSP-CCC|CANALE-01', 'Banca Gamma – canale web']]);
    expect(choice.fields!.find((f) => f.type === 'submit')).toMatchObject({ label: 'Procedi', formMethod: 'post', formAction: `${base}/wisp/scelta` });

    const chosen = await payer.choosePsp('Banca Beta', DEADLINE);
    expect(chosen.problem).toBeUndefined();
    expect(chosen.pages.map((h) => [h.method, new URL(h.url).pathname, h.status])).toEqual([['POST', '/wisp/scelta', 303], ['GET', '/psp', 200]]);
    expect(chosen.pages[0]!.postData).toBe(`psp=PSP-BBB&idSession=${ID_SESSION}`);
    expect(chosen.pages[0]!.location).toBe(`${base}/psp?idSession=${ID_SESSION}&psp=PSP-BBB`);
    expect(chosen.final).toMatchObject({ title: 'Banca Beta — pagamento', query: { psp: 'PSP-BBB' } });
    expect(chosen.final!.fields!.find((f) => f.name === 'nome')).toMatchObject({ label: 'Titolare', type: 'text' });
    expect(chosen.final!.foreignResources).toEqual([]);

    const paid = await payer.pay(DEADLINE);
    expect(paid.pages.map((h) => [new URL(h.url).pathname, h.status])).toEqual([['/psp/esito', 303], ['/grazie', 200]]);
    expect(paid.pages[0]!.postData).toContain('azione=paga');

    const back = await payer.followUntil((h) => h.url.startsWith(`${base}/ente/ritorno`), DEADLINE);
    expect(back.problem).toBeUndefined();
    expect(back.final!.url).toBe(`${base}/ente/ritorno?idDominio=01234567890&idSession=${ID_SESSION}&esito=OK`);
    expect(back.final!.query).toEqual({ idDominio: '01234567890', idSession: ID_SESSION, esito: 'OK' });
    expect(back.final!.text).toBe('Esito pagamento: OK');

    const history = await payer.history();
    expect(history.map((h) => new URL(h.url).pathname)).toEqual(['/wisp', '/wisp/scelta', '/psp', '/psp/esito', '/grazie', '/ente/ritorno']);
    // the journal: a request/response pair per hop, from the payer to the party at that URL
    const responses = journal.entries.filter((e) => e.direction === 'response');
    expect(responses.map((e) => [e.from, e.httpStatus])).toEqual([['nodo', 200], ['nodo', 303], ['psp', 200], ['psp', 303], [expect.stringMatching(/^127\.0\.0\.1:\d+$/), 200], ['ec', 200]]);
    expect(journal.entries.filter((e) => e.direction === 'request').every((e) => e.from === 'payer' && e.primitive === 'page')).toBe(true);
    expect(responses[0]!.raw).toContain('<title>Scelta del PSP</title>');
    expect(responses[1]!.note).toBe(`303 → ${base}/psp?idSession=${ID_SESSION}&psp=PSP-BBB`);
    expect(responses[5]!.correlation).toMatchObject({ idDominio: '01234567890', idSession: ID_SESSION });
    expect(journal.entries.find((e) => e.direction === 'request' && e.url === `${base}/wisp/scelta`)!.raw).toBe(`psp=PSP-BBB&idSession=${ID_SESSION}`);
    payer.bind(undefined);
  });

  it('a new scenario gets a new browser context; cancel leads to esito=ERROR; a missing control is a problem, not a crash', async () => {
    const journal = new Journal(new VirtualClock());
    payer.bind({ journal });
    await payer.open(`${base}/wisp?idSession=${ID_SESSION}`, DEADLINE);
    expect((await payer.history()).length).toBe(1); // the previous scenario's hops are gone
    const missing = await payer.choosePsp('Banca Delta', DEADLINE);
    expect(missing.problem).toMatch(/no PSP "Banca Delta" offered/);
    expect(missing.problemIt).toMatch(/nessun PSP "Banca Delta" offerto/);
    expect(missing.pages).toEqual([]);
    await payer.choosePsp('PSP-CCC', DEADLINE); // by id: the radio's value names the PSP, then its channel
    expect(seen.at(-2)).toMatchObject({ method: 'POST', url: '/wisp/scelta', body: `psp=PSP-CCC%7CCANALE-01&idSession=${ID_SESSION}` });
    await payer.cancel(DEADLINE);
    const back = await payer.followUntil((h) => h.query.esito !== undefined && h.url.includes('/ente/'), DEADLINE);
    expect(back.final!.query.esito).toBe('ERROR');
    expect(journal.entries.length).toBe(12);
    payer.bind(undefined);
  });

  it('followUntil waits for a refresh the page announces (no JavaScript needed)', async () => {
    payer.bind({ journal: new Journal(new VirtualClock()) });
    const first = await payer.open(`${base}/attendere?idSession=${ID_SESSION}`, DEADLINE);
    expect(first.final!.title).toBe('Attendere');
    const back = await payer.followUntil((h) => h.query.esito !== undefined, DEADLINE);
    expect(back.problem).toBeUndefined();
    expect(back.final!.url).toBe(`${base}/ente/ritorno?idSession=${ID_SESSION}&esito=DIFFERITO`);
    const stuck = await payer.followUntil((h) => h.url.includes('/never'), DEADLINE);
    expect(stuck.problem).toMatch(/the flow stops at .*\/ente\/ritorno/);
    expect(stuck.problemIt).toMatch(/il percorso si ferma a .*\/ente\/ritorno/);
    payer.bind(undefined);
  });
});
