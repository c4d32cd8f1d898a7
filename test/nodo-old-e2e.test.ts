// End to end over HTTP, as a browser without JavaScript goes: an EC's cart → the reference Nodo's
// WISP page → the choice → the harness's emulated PSP (actors/psp/old) and its payment page → the
// PSP's nodoInviaRT → paaInviaRT to the EC → the PSP sends the payer back to the Nodo → the Nodo
// sends the payer to the EC's return URL with esito. The EC is a stub; the Nodo and PSP are real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OldPsp } from '../actors/psp/old/index.js';
import { Ledger } from '../src/core/ledger.js';
import { EC, RETURN_URL, type World, cart, keys, rpt, world } from './support/old-nodo.js';

let w: World;
let psp: OldPsp;
const ledger = new Ledger();
beforeAll(async () => {
  w = await world({ ledger });
  psp = new OldPsp({ clock: w.clock, nodoUrl: w.nodo.urls.nodoPerPsp, returnUrl: w.nodo.urls.wispReturn, journalInbound: false });
  const urls = await psp.start();
  psp.bind({ journal: w.journal });
  Object.assign(w.reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl });
});
afterAll(async () => {
  await psp.stop();
  await w.close();
});

/** Follows the browser's path: GET a page, POST its form, return the next location. */
async function post(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });
}

describe('a cart paid through WISP and the emulated PSP', () => {
  for (const [action, esito, codice] of [['paga', 'OK', '0'], ['annulla', 'ERROR', '1']] as const) {
    it(`${action}: RTs delivered to the EC (codiceEsitoPagamento ${codice}), the payer back at the EC with esito ${esito}`, async () => {
      const ks = [keys(), keys()];
      const c = cart(`E2E${ks[0]!.iuv}`, ks.map((k) => rpt(k)));
      const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
      const wispUrl = a.result.children.find((x) => x.name === 'url')!.text;
      const idSession = new URL(wispUrl).searchParams.get('idSession')!;
      const page = await (await fetch(wispUrl)).text();
      const choice = /name="psp" value="([^"]+)"/.exec(page)![1]!;
      const toPsp = await post(`${w.nodo.urls.base}/wisp/scelta`, { idSession, psp: choice, azione: 'paga' });
      expect(toPsp.status).toBe(303);
      const pspPage = new URL(toPsp.headers.get('location')!);
      expect((await fetch(pspPage)).status).toBe(200);
      const back = await post(new URL('/pagamento/esito', pspPage).href, { identificativoCarrello: pspPage.searchParams.get('identificativoCarrello')!, azione: action });
      expect(back.status).toBe(303);
      const atNodo = await fetch(back.headers.get('location')!, { redirect: 'manual' });
      expect(atNodo.status).toBe(303);
      const toEc = new URL(atNodo.headers.get('location')!);
      expect(`${toEc.origin}${toEc.pathname}`).toBe(RETURN_URL);
      expect(Object.fromEntries(toEc.searchParams)).toEqual({ idDominio: EC, idSession, esito });
      for (const k of ks) {
        const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
        expect(d.state).toBe('delivered');
        expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt?.codiceEsito).toBe(codice);
        expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RT_ACCETTATA_PA');
        // the run's ledger holds each RT once, with its outcome and amount (reconciliation, order 9)
        const l = ledger.receipts({ model: 'old', ecFiscalCode: EC }).filter((x) => x.iuv === k.iuv && x.ccp === k.ccp);
        expect(l.map((x) => [x.outcome, x.amountCents])).toEqual([[codice === '0' ? 'OK' : 'KO', codice === '0' ? 15050 : 0]]);
      }
    });
  }
});
