// The emulated PSP's payment page driven by the scripted payer in headless Chromium with JavaScript
// off: the page is read as a person reads it (labels, lang, no resources from elsewhere), "Paga"
// sends the RT to a stub Nodo and the browser lands on the Nodo's return URL with the cart and esito.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { fromBase64, readRt } from '../domain/old/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { Payer, findBrowser } from '../actors/payer/index.js';
import { textOf } from '../src/wire/xml.js';
import { StubNodo, cartRequest, nodoCallsPsp, sampleRpt } from './psp-old-support.js';

const DEADLINE = 20_000;
const clock = new VirtualClock();
const nodo = new StubNodo(clock);
const payer = new Payer();
let psp: OldPsp;
let wisp: http.Server;
let wispUrl: string;

const found = findBrowser();
if ('reason' in found) console.warn(`the PSP page in the browser skipped: ${found.reason} (looked at ${found.tried.join(', ')})`);

beforeAll(async () => {
  if ('reason' in found) return;
  // the Nodo's WISP return page: where the PSP sends the payer back
  wisp = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="it"><head><title>WISP</title></head><body><main><p>Rientro dal PSP: ${new URL(req.url ?? '/', 'http://x').searchParams.get('esito')}</p></main></body></html>`);
  });
  await new Promise<void>((r) => wisp.listen(0, '127.0.0.1', r));
  wispUrl = `http://127.0.0.1:${(wisp.address() as AddressInfo).port}`;
  psp = new OldPsp({ clock, nodoUrl: await nodo.start(), returnUrl: `${wispUrl}/wisp/rientro` });
  await psp.start();
});
afterAll(async () => {
  if ('reason' in found) return;
  await payer.close();
  await psp.stop();
  await nodo.stop();
  await new Promise<void>((r) => wisp.close(() => r()));
});

it.runIf('path' in found)('the payer pays on the PSP page in Chromium: a valid RT reaches the Nodo and the browser returns with the cart and esito=OK', async () => {
  const rpt = sampleRpt('01000000000099001', 'CCP-BROWSER-1', 4321, clock);
  const a = await nodoCallsPsp(psp.urls.pspPerNodoUrl, 'pspInviaCarrelloRPT', cartRequest([rpt]), clock);
  const id = textOf(a.inner, 'identificativoCarrello')!;
  const params = textOf(a.inner, 'parametriPagamentoImmediato')!;

  const journal = new Journal(clock);
  payer.bind({ journal, parties: { [psp.urls.paymentPageUrl]: 'psp', [wispUrl]: 'nodo' } });
  const opened = await payer.open(`${psp.urls.paymentPageUrl}?${params}`, DEADLINE);
  const page = opened.final!;
  expect(page).toMatchObject({ status: 200, lang: 'it', scripts: 0, foreignResources: [] });
  expect(page.text).toContain('01000000000099001');
  expect(page.text).toContain('43,21 €');
  const visible = page.fields!.filter((f) => f.type !== 'hidden');
  expect(visible.map((f) => f.label)).toEqual(['Paga', 'Annulla']);

  const paid = await payer.pay(DEADLINE);
  expect(paid.problem).toBeUndefined();
  expect(paid.pages.map((h) => [h.method, h.status])).toEqual([['POST', 303], ['GET', 200]]);
  expect(paid.final!.query).toEqual({ identificativoCarrello: id, esito: 'OK' });
  expect(paid.final!.text).toBe('Rientro dal PSP: OK');

  const sent = nodo.received.filter((m) => m.op.name === 'nodoInviaRT');
  expect(sent).toHaveLength(1);
  expect(nodo.journal.entries.find((e) => e.primitive === 'nodoInviaRT' && e.direction === 'request')!.xsd).toEqual({ valid: true, errors: [] });
  expect(readRt(fromBase64(textOf(sent[0]!.body, 'rt')!)).datiPagamento).toMatchObject({ codiceEsitoPagamento: '0', importoTotalePagato: 4321, CodiceContestoPagamento: 'CCP-BROWSER-1' });
  expect(journal.entries.filter((e) => e.direction === 'response').map((e) => [e.from, e.httpStatus])).toEqual([['psp', 200], ['psp', 303], ['nodo', 200]]);
  payer.bind(undefined);
});
