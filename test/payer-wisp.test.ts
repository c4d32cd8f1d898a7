// The WISP flow in headless Chromium with JavaScript off, end to end over real sockets: an EC's cart
// (nodoInviaCarrelloRPT) → the reference Nodo's WISP page → the payer chooses the harness's PSP →
// the emulated PSP's payment page → Paga / Annulla → the PSP's RTs reach the EC (paaInviaRT) → the
// payer lands on the EC's return page with idDominio, idSession and esito. The EC is a stub.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { OldPsp, nodoCallTimeoutMs } from '../actors/psp/old/index.js';
import { Payer, findBrowser } from '../actors/payer/index.js';
import { EC, type World, cart, keys, rpt, world } from './support/old-nodo.js';

// the payment step waits for the PSP's nodoInviaRT, which waits for the Nodo's paaInviaRT: one per RPT
const DEADLINE = 3 * nodoCallTimeoutMs('nodoInviaRT');
let w: World;
let psp: OldPsp;
let ec: http.Server;
let ecReturn: string;
const payer = new Payer();

beforeAll(async () => {
  const found = findBrowser();
  if (!('path' in found)) throw new Error(`${found.reason}: this test drives the system browser (looked at ${found.tried.join(', ')})`);
  ec = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="it"><head><title>Esito</title></head><body><main><p>Esito del pagamento: ${q.get('esito')}</p></main></body></html>`);
  });
  await new Promise<void>((r) => ec.listen(0, '127.0.0.1', r));
  ecReturn = `http://127.0.0.1:${(ec.address() as AddressInfo).port}/ritorno`;
  w = await world();
  psp = new OldPsp({ clock: w.clock, nodoUrl: w.nodo.urls.nodoPerPsp, returnUrl: w.nodo.urls.wispReturn, journalInbound: false });
  const urls = await psp.start();
  psp.bind({ journal: w.journal });
  Object.assign(w.reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl });
  w.reg.stations[0]!.old!.returnUrl = ecReturn;
});
afterAll(async () => {
  await payer.close();
  await psp.stop();
  await w.close();
  await new Promise<void>((r) => ec.close(() => r()));
});

describe('WISP in Chromium, JavaScript off', () => {
  for (const [press, esito, codice] of [['pay', 'OK', '0'], ['cancel', 'ERROR', '1']] as const) {
    it(`${press} on the PSP's page: the EC gets the RTs (codiceEsitoPagamento ${codice}) and the payer lands on its return page with esito=${esito}`, async () => {
      const ks = [keys(), keys()];
      const a = await w.pa('nodoInviaCarrelloRPT', cart(`WISP${ks[0]!.iuv}`, ks.map((k) => rpt(k))).content, cart(`WISP${ks[0]!.iuv}`, []).header);
      expect(a.esito).toBe('OK');
      const wispUrl = a.result.children.find((x) => x.name === 'url')!.text;
      const idSession = new URL(wispUrl).searchParams.get('idSession')!;
      payer.bind({ journal: w.journal, parties: { [w.nodo.urls.base]: 'nodo', [psp.urls.paymentPageUrl]: 'psp', [ecReturn]: 'ec' } });

      const choice = (await payer.open(wispUrl, DEADLINE)).final!;
      expect(choice).toMatchObject({ status: 200, lang: 'it', scripts: 0, foreignResources: [] });
      const offered = choice.fields!.filter((f) => f.type === 'radio');
      expect(offered.some((f) => f.label?.startsWith(HARNESS_PSP.companyName))).toBe(true);
      expect(choice.fields!.filter((f) => f.type !== 'hidden' && !f.label)).toEqual([]); // every control is labelled

      const atPsp = await payer.choosePsp(HARNESS_PSP.idPSP, DEADLINE);
      expect(atPsp.problem).toBeUndefined();
      expect(atPsp.final!.url.startsWith(`${psp.urls.paymentPageUrl}?`)).toBe(true);
      expect(atPsp.final).toMatchObject({ status: 200, lang: 'it', scripts: 0, foreignResources: [] });
      for (const k of ks) expect(atPsp.final!.text).toContain(k.iuv);

      const back = press === 'pay' ? await payer.pay(DEADLINE) : await payer.cancel(DEADLINE);
      expect(back.problem).toBeUndefined();
      expect(back.pages.map((h) => [h.method, new URL(h.url).pathname, h.status])).toEqual([['POST', '/pagamento/esito', 303], ['GET', '/wisp/rientro', 303], ['GET', '/ritorno', 200]]);
      expect(back.final!.query).toEqual({ idDominio: EC, idSession, esito });
      expect(back.final!.text).toBe(`Esito del pagamento: ${esito}`);
      for (const k of ks) {
        expect((await w.nodo.waitDelivery(EC, k.iuv, k.ccp)).state).toBe('delivered');
        expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt?.codiceEsito).toBe(codice);
      }
      // the browser's path is evidence: from the payer to the Nodo, the PSP and the EC
      const seen = w.journal.entries.filter((e) => e.primitive === 'page' && e.direction === 'response').map((e) => e.from);
      expect(new Set(seen)).toEqual(new Set(['nodo', 'psp', 'ec']));
      payer.bind(undefined);
    });
  }
});
