// WISP in a real headless browser (Debian chromium through actors/payer, JavaScript off): the EC's
// WISP URL → the choice page (accessible controls read by their labels) → the emulated PSP's page →
// pay or cancel → back through the Nodo to the EC's return page with idDominio, idSession and esito.
// Without a system browser the test is skipped with the reason the harness reports (NOT_APPLICABLE).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Payer, findBrowser } from '../actors/payer/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { OLD_DEFAULT_TIMEOUTS } from '../domain/timeouts.js';
import { EC, type World, cart, keys, rpt, world } from './support/old-nodo.js';

const found = findBrowser();
if ('reason' in found) console.warn(`WISP in the browser skipped: ${found.reason}`);
/** a browser step may take at most one PSP call and one RT delivery of the Nodo (a page's work) */
const STEP_MS = OLD_DEFAULT_TIMEOUTS.psp + OLD_DEFAULT_TIMEOUTS.paaInviaRT;

let w: World;
let psp: OldPsp;
let payer: Payer;
let ecPage: http.Server;
let returnUrl = '';

beforeAll(async () => {
  if ('reason' in found) return;
  w = await world();
  psp = new OldPsp({ clock: w.clock, nodoUrl: w.nodo.urls.nodoPerPsp, returnUrl: w.nodo.urls.wispReturn, journalInbound: false });
  const urls = await psp.start();
  Object.assign(w.reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl });
  // the EC portal's return page
  ecPage = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html lang="it"><head><title>Esito</title></head><body><main><p>Ritorno all’ente</p></main></body></html>');
  });
  await new Promise<void>((r) => ecPage.listen(0, '127.0.0.1', r));
  returnUrl = `http://127.0.0.1:${(ecPage.address() as AddressInfo).port}/ritorno`;
  w.reg.stations[0]!.old!.returnUrl = returnUrl;
  payer = new Payer();
}, 60_000);
afterAll(async () => {
  if ('reason' in found) return;
  await payer.close();
  await psp.stop();
  await w.close();
  await new Promise((r) => ecPage.close(r));
});

describe.runIf(!('reason' in found))('WISP in a headless browser', () => {
  for (const [action, esito] of [['pay', 'OK'], ['cancel', 'ERROR']] as const) {
    it(`the payer chooses the PSP and ${action === 'pay' ? 'pays' : 'cancels'} there: back at the EC with esito ${esito}`, async () => {
      const k = keys();
      const c = cart(`B${k.iuv}`, [rpt(k)]);
      const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
      const wispUrl = a.result.children.find((x) => x.name === 'url')!.text;
      payer.bind({ journal: w.journal, parties: { [w.nodo.urls.base]: 'nodo', [returnUrl]: 'ec' } });
      const mark = w.journal.entries.length;
      try {
        const page = await payer.open(wispUrl, STEP_MS);
        expect(page.problem).toBeUndefined();
        expect(page.final?.lang).toBe('it');
        expect(page.final?.scripts).toBe(0);
        expect(page.final?.foreignResources ?? []).toEqual([]);
        const radio = page.final?.fields?.find((f) => f.type === 'radio');
        expect(radio?.label).toContain('Collaudo Test PSP');
        const chosen = await payer.choosePsp('CLLDITMM001', STEP_MS);
        expect(chosen.problem).toBeUndefined();
        const done = action === 'pay' ? await payer.pay(STEP_MS) : await payer.cancel(STEP_MS);
        expect(done.problem).toBeUndefined();
        const back = await payer.followUntil((hop) => hop.url.startsWith(returnUrl), STEP_MS);
        expect(back.problem).toBeUndefined();
        const hop = [...(await payer.history())].reverse().find((h) => h.url.startsWith(returnUrl))!;
        expect(hop.query).toMatchObject({ idDominio: EC, idSession: new URL(wispUrl).searchParams.get('idSession'), esito });
        const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
        expect(d.state).toBe('delivered');
        // each WISP page is journaled once, by the payer that drove it (the Nodo skips hops it records)
        const session = new URL(wispUrl).searchParams.get('idSession');
        const atWisp = w.journal.entries.slice(mark).filter((e) => e.direction === 'request' && e.url?.includes('/wisp'));
        expect(atWisp.map((e) => `${e.from} ${new URL(e.url!).pathname}`)).toEqual(['payer /wisp', 'payer /wisp/scelta', 'payer /wisp/rientro']);
        expect(atWisp.slice(0, 2).map((e) => e.correlation.idSession)).toEqual([session, session]);
      } finally {
        payer.bind(undefined);
      }
    }, 120_000);
  }
});
