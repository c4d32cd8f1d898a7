// Digital revenue stamps in the old model (OLD-EC-PAY-05, V-11, V-12, TR-36): the stamp's digest and
// cost, the rules of a stamp credit (no ibanAccredito, SHA-256 base64, the type's cost) as the Nodo
// applies them, WISP offering only the channels that sell stamps for a cart holding one, and the
// emulated PSP's RT carrying the stamp as the credit's BD attachment.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rpt, STAMP_COST_CENTS, documentHash, isSha256Base64, readRt, rptChecks, rtXml } from '../domain/old/index.js';
import { VirtualClock } from '../src/core/clock.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { type World, cart, keys, paIds, rpt, world } from './support/old-nodo.js';

const DOC = 'Istanza di collaudo';

/** The sample RPT reduced to one credit: a 16.00 stamp for DOC, without ibanAccredito. */
const stampRpt = (k: { iuv: string; ccp: string }, edit: (r: Rpt) => void = () => undefined) =>
  rpt(k, (r) => {
    const s = r.datiVersamento.datiSingoloVersamento[0]!;
    delete s.ibanAccredito;
    s.importoSingoloVersamento = 1600;
    s.datiMarcaBolloDigitale = { tipoBollo: '01', hashDocumento: documentHash(DOC), provinciaResidenza: 'MI' };
    r.datiVersamento.datiSingoloVersamento = [s];
    r.datiVersamento.importoTotaleDaVersare = 1600;
    edit(r);
  });
const stampOf = (r: Rpt) => r.datiVersamento.datiSingoloVersamento[0]!;

describe('the stamp of an RPT (domain/old/stamps.ts, V-11)', () => {
  it('hashDocumento is the base64 of the SHA-256 of the document; a hex digest or a short one is not', () => {
    expect(documentHash(DOC)).toBe(createHash('sha256').update(DOC).digest('base64'));
    expect(isSha256Base64(documentHash(DOC))).toBe(true);
    expect(isSha256Base64(createHash('sha256').update(DOC).digest('hex'))).toBe(false);
    expect(isSha256Base64(Buffer.alloc(20).toString('base64'))).toBe(false);
  });
  it('type 01 costs 16.00 (the seed names no cost: the imposta di bollo rate is taken)', () => {
    expect(STAMP_COST_CENTS['01']).toBe(1600);
  });
  it('a stamp credit passes; with an ibanAccredito, a hex digest or another amount it breaks V-11, naming the field', () => {
    const k = keys();
    expect(rptChecks(stampRpt(k)).filter((p) => p.severity === 'error')).toEqual([]);
    const broken = (edit: (r: Rpt) => void) => rptChecks(stampRpt(k, edit)).filter((p) => p.rule === 'V-11').map((p) => [p.check, p.field]);
    expect(broken((r) => (stampOf(r).ibanAccredito = 'IT61X0306909606100000012345'))).toEqual([['rpt.bollo-iban', 'datiVersamento/datiSingoloVersamento[1]/ibanAccredito']]);
    expect(broken((r) => (stampOf(r).datiMarcaBolloDigitale!.hashDocumento = createHash('sha256').update(DOC).digest('hex')))).toEqual([['rpt.bollo-hash', 'datiVersamento/datiSingoloVersamento[1]/datiMarcaBolloDigitale/hashDocumento']]);
    expect(broken((r) => {
      stampOf(r).importoSingoloVersamento = 1800;
      r.datiVersamento.importoTotaleDaVersare = 1800;
    })).toEqual([['rpt.bollo-importo', 'datiVersamento/datiSingoloVersamento[1]/importoSingoloVersamento']]);
  });
});

describe('the Nodo and WISP with a stamp cart (V-11, V-12)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    // the test PSP's channel sells stamps; a second one of the same PSP does not
    const sells = w.reg.channels[0]!;
    sells.marcaBolloDigitale = true;
    w.reg.channels.push({ ...sells, idChannel: `${sells.idBrokerPSP}_09`, description: 'canale senza bollo', marcaBolloDigitale: false });
  });
  afterAll(() => w.close());

  async function wispPage(rpts: Rpt[]) {
    const c = cart(`S${rpts[0]!.datiVersamento.identificativoUnivocoVersamento}`, rpts);
    const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
    expect(a.esito).toBe('OK');
    const url = a.result.children.find((x) => x.name === 'url')!.text;
    return { idSession: new URL(url).searchParams.get('idSession')!, html: await (await fetch(url)).text() };
  }
  const radios = (html: string) => [...html.matchAll(/name="psp" value="([^"]+)"/g)].map((m) => m[1]);

  it('a cart without a stamp is offered every channel; with a stamp only those that sell stamps', async () => {
    const [sells, plain] = w.reg.channels.map((c) => `${c.psps[0]}|${c.idChannel}`);
    expect(radios((await wispPage([rpt(keys())])).html)).toEqual([sells, plain]);
    const withStamp = await wispPage([rpt(keys()), stampRpt(keys())]);
    expect(radios(withStamp.html)).toEqual([sells]);
    // a choice the page did not offer is refused, not sent to the PSP
    const chosen = await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idSession: withStamp.idSession, psp: plain!, azione: 'paga' }), redirect: 'manual' });
    expect(chosen.status).toBe(400);
  });

  it("the PSPs' catalogue (nodoChiediInformativaPSP) flags a PSP that sells stamps on a channel (L1176)", async () => {
    const a = await w.pa('nodoChiediInformativaPSP', { ...paIds() });
    const xml = Buffer.from(a.result.children.find((x) => x.name === 'xmlInformativa')!.text, 'base64').toString('utf8');
    expect(xml).toMatch(/<\/stornoPagamento><marcaBolloDigitale>1<\/marcaBolloDigitale>/);
  });

  it('a stamp credit with ibanAccredito is refused with PPT_SEMANTICA naming V-11', async () => {
    const k = keys();
    const c = cart(`T${k.iuv}`, [stampRpt(k, (r) => (stampOf(r).ibanAccredito = 'IT61X0306909606100000012345'))]);
    const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
    expect(a.esito).toBe('KO');
    expect(a.errors[0]?.faultCode).toBe('PPT_SEMANTICA');
    expect(a.errors[0]?.description).toMatch(/V-11 .*ibanAccredito/);
  });
});

describe("the emulated PSP's RT for a stamp", () => {
  it('carries the stamp as the credit\'s BD attachment, bound to hashDocumento; the other credits carry none', () => {
    const psp = new OldPsp({ clock: new VirtualClock(), nodoUrl: 'http://127.0.0.1:9/NodoPerPsp', returnUrl: 'http://127.0.0.1:9/wisp/rientro' });
    const k = keys();
    const two = stampRpt(k, (r) => {
      r.datiVersamento.datiSingoloVersamento.push({ importoSingoloVersamento: 500, ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Diritti', datiSpecificiRiscossione: '9/0101108TS' });
      r.datiVersamento.importoTotaleDaVersare = 2100;
    });
    const rt = readRt(rtXml(psp.rtFor(two, true)));
    const [stamp, other] = rt.datiPagamento.datiSingoloPagamento!;
    expect(stamp!.allegatoRicevuta?.tipoAllegatoRicevuta).toBe('BD');
    expect(Buffer.from(stamp!.allegatoRicevuta!.testoAllegato, 'base64').toString('utf8')).toContain(`<DigestValue>${documentHash(DOC)}</DigestValue>`);
    expect(other!.allegatoRicevuta).toBeUndefined();
    expect(psp.rtFor(two, false).datiPagamento.datiSingoloPagamento?.some((p) => p.allegatoRicevuta)).toBe(false);
  });
});
