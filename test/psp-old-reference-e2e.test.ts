// The reference PSP's old-model side against the harness's real old-model Nodo (actors/nodo/old), over
// HTTP as a browser without JavaScript goes: an EC's cart → WISP → the reference PSP's page → its
// 303 back to the Nodo → the Nodo's 303 to the EC; the RTs it pushes reach the EC (paaInviaRT). And a
// payment at the PSP: nodoAttivaRPT through the Nodo, the EC's RPT forwarded with pspInviaRPT, the RT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { rptXml, toBase64 } from '../domain/old/index.js';
import { EC, IBAN_1, PASSWORD, RETURN_URL, STATION, BROKER, type World, cart, keys, ok, rpt, world } from './support/old-nodo.js';

let w: World;
let psp: ReferencePsp;
beforeAll(async () => {
  w = await world();
  psp = new ReferencePsp({
    clock: w.clock, nodoUrl: 'http://127.0.0.1:9/nodeForPsp',
    ids: { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password },
    oldNodo: { nodoPerPspUrl: w.nodo.urls.nodoPerPsp, returnUrl: w.nodo.urls.wispReturn },
    old: { rptWaitRealMs: 3000 },
  });
  const urls = await psp.start();
  Object.assign(w.reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl });
});
afterAll(async () => {
  await psp.stop();
  await w.close();
});

const post = (url: string, form: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });

describe('the reference PSP behind the reference Nodo', () => {
  for (const [action, esito, codice] of [['paga', 'OK', '0'], ['annulla', 'ERROR', '1']] as const) {
    it(`${action}: the payer back at the EC with esito ${esito}, the RTs delivered (codiceEsitoPagamento ${codice})`, async () => {
      const ks = [keys(), keys()];
      const c = cart(`REF${ks[0]!.iuv}`, ks.map((k) => rpt(k)));
      const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
      const wispUrl = a.result.children.find((x) => x.name === 'url')!.text;
      const idSession = new URL(wispUrl).searchParams.get('idSession')!;
      const choice = /name="psp" value="([^"]+)"/.exec(await (await fetch(wispUrl)).text())![1]!;
      const toPsp = await post(`${w.nodo.urls.base}/wisp/scelta`, { idSession, psp: choice, azione: 'paga' });
      const pspPage = new URL(toPsp.headers.get('location')!);
      const html = await (await fetch(pspPage)).text();
      expect(html).toContain(ks[1]!.iuv);
      const back = await post(new URL('/pagamento/esito', pspPage).href, { identificativoCarrello: pspPage.searchParams.get('identificativoCarrello')!, azione: action });
      const atNodo = await fetch(back.headers.get('location')!, { redirect: 'manual' });
      const toEc = new URL(atNodo.headers.get('location')!);
      expect(`${toEc.origin}${toEc.pathname}`).toBe(RETURN_URL);
      expect(toEc.searchParams.get('esito')).toBe(esito);
      await psp.idle();
      for (const k of ks) {
        expect((await w.nodo.waitDelivery(EC, k.iuv, k.ccp)).state).toBe('delivered');
        expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt?.codiceEsito).toBe(codice);
      }
      expect(psp.old.archive.rts.filter((r) => ks.some((k) => k.iuv === r.iuv)).map((r) => r.state)).toEqual(['delivered', 'delivered']);
    });
  }

  it('payment at the PSP: nodoAttivaRPT through the Nodo, the EC RPT forwarded, the RT delivered to the EC', async () => {
    const k = keys();
    const datiPagamentoPA = { importoSingoloVersamento: '150.50', ibanAccredito: IBAN_1, causaleVersamento: `/RFB/${k.iuv}/150.50` };
    w.ec.script.paaVerificaRPT = () => ok('paaVerificaRPT', { datiPagamentoPA });
    w.ec.script.paaAttivaRPT = () => ok('paaAttivaRPT', { datiPagamentoPA });
    const paying = psp.old.payAtPsp({ fiscalCode: EC, noticeNumber: `3${k.iuv}` }, {});
    // the EC, told by paaAttivaRPT, sends the RPT with the activation's PSP and CCP (tipoVersamento PO)
    let ccp: string | undefined;
    for (let i = 0; i < 200 && !ccp; i++) {
      ccp = w.ec.seen.find((s) => s.op === 'paaAttivaRPT' && s.header?.children.some((c) => c.name === 'identificativoUnivocoVersamento' && c.text === k.iuv))?.header?.children.find((c) => c.name === 'codiceContestoPagamento')?.text;
      if (!ccp) await new Promise((r) => setTimeout(r, 5));
    }
    expect(ccp).toBeTruthy();
    const r = rpt({ iuv: k.iuv, ccp: ccp! }, (x) => {
      x.datiVersamento.tipoVersamento = 'PO';
      x.datiVersamento.importoTotaleDaVersare = 15050;
      x.datiVersamento.datiSingoloVersamento = [{ ...x.datiVersamento.datiSingoloVersamento[0]!, importoSingoloVersamento: 15050 }];
    });
    const sent = await w.pa(
      'nodoInviaRPT',
      { password: PASSWORD, identificativoPSP: HARNESS_PSP.idPSP, identificativoIntermediarioPSP: HARNESS_PSP.idBrokerPSP, identificativoCanale: HARNESS_PSP.idChannel, rpt: toBase64(rptXml(r)) },
      { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: ccp! },
    );
    expect(sent.esito, JSON.stringify(sent.fault ?? sent.errors)).toBe('OK');
    const result = await paying;
    expect(result).toMatchObject({ result: 'paid', amountCents: 15050 });
    await psp.idle();
    expect((await w.nodo.waitDelivery(EC, k.iuv, ccp!)).state).toBe('delivered');
    expect(w.nodo.rpt(EC, k.iuv, ccp!)?.rt?.codiceEsito).toBe('0');
  });
});
