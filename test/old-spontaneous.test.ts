// Spontaneous payment at the PSP, old model (OLD-PSP-PAY-05): the reference Nodo's Catalogo dei
// Servizi and its nodoChiediNumeroAvviso relay, against the reference EC's paaChiediNumeroAvviso, on
// real sockets and one VirtualClock; the emulated PSP's calls validated both ways by the codec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OldNodo } from '../actors/nodo/old/index.js';
import { OldPsp, readCatalogue } from '../actors/psp/old/index.js';
import { type Registry, harnessPspEntries } from '../domain/registry.js';
import { tassaAutoData, UNKNOWN_PLATE } from '../candidates/ec/services.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { pathText } from '../src/wire/xml.js';
import { BROKER, FC, PASSWORD, PSP, STATION, callStation, clock, startEc } from './ec-old-support.js';
import { BANK, BANK2, POSTAL } from './support/ec-reference.js';
import { CATALOGO_SERVIZI, b64 } from './support/old-samples.js';

let ec: ReferenceEc;
let nodo: OldNodo;
let psp: OldPsp;
let reg: Registry;
const tassa = (plate: string) => Buffer.from(tassaAutoData(plate), 'base64').toString('utf8');

beforeAll(async () => {
  ec = await startEc();
  reg = {
    ecs: [
      { fiscalCode: FC, companyName: 'Comune di Collaudo', enabled: true, ibans: [BANK, BANK2, POSTAL], stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] },
      { fiscalCode: '88888888888', companyName: 'Comune Senza Servizi', enabled: true, ibans: [], stations: [] },
    ],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
    stations: [{
      idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: ec.url, version: 1, password: PASSWORD,
      old: { paPerNodo: ec.oldUrls.paPerNodo, paPerNodoRichiestaAvvisi: ec.oldUrls.paPerNodoRichiestaAvvisi, returnUrl: ec.oldReturnUrl, services: [{ idServizio: '00001', idDominio: FC, descrizione: 'Tassa automobilistica' }] },
    }],
    ...harnessPspEntries(),
  };
  nodo = new OldNodo({ clock, registry: reg, host: '127.0.0.1', port: 0 });
  await nodo.start();
  ec.useNodo({ url: nodo.urls.nodoPerPa, password: PASSWORD });
  psp = new OldPsp({ clock, nodoUrl: nodo.urls.nodoPerPsp, returnUrl: nodo.urls.wispReturn });
  await psp.start();
});
afterAll(async () => {
  await ec.old.idle();
  await psp.stop();
  await ec.stop();
  await nodo.stop();
});

describe('nodoChiediCatalogoServizi (P25)', () => {
  it("lists every EC's services, valid against our CatalogoServizi document; an EC without services gets an empty catalogue", async () => {
    const all = await psp.catalogoServizi();
    expect(all.xsd?.valid).toBe(true);
    expect(all.services).toEqual([{ idServizio: '00001', idDominioErogatoreServizio: FC, denominazioneErogatore: 'Comune di Collaudo', descrizioneServizio: 'Tassa automobilistica' }]);
    expect((await psp.catalogoServizi('88888888888')).services).toEqual([]);
  });
  it('refuses an unregistered identificativoDominio (PPT_DOMINIO_SCONOSCIUTO)', async () => {
    expect((await psp.catalogoServizi('12345678901')).fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
  });
  it('reads a catalogue document', () => {
    expect(readCatalogue(b64(CATALOGO_SERVIZI)).map((s) => s.idServizio)).toEqual(['00001']);
  });
});

describe('nodoChiediNumeroAvviso (P26) → paaChiediNumeroAvviso (P32)', () => {
  it('answers the notice the EC created (aux digit 3 + IUV), with datiPagamentoPA; the same debt again is the same notice, another debt another', async () => {
    const a = await psp.chiediNumeroAvviso('00001', FC, tassa('AA111AA'));
    expect([a.esito, a.xsd?.valid, a.datiPagamentoPA?.importoSingoloVersamento, a.datiPagamentoPA?.ibanAccredito]).toEqual(['OK', true, 21235, BANK]);
    expect(a.notice?.fiscalCode).toBe(FC);
    expect(a.notice?.noticeNumber).toMatch(/^301\d{15}$/);
    expect(ec.position(FC, a.notice!.noticeNumber)?.state).toBe('payable');
    const again = await psp.chiediNumeroAvviso('00001', FC, tassa('AA111AA'));
    expect(again.notice).toEqual(a.notice);
    const other = await psp.chiediNumeroAvviso('00001', FC, tassa('AA222AA'));
    expect(other.notice?.noticeNumber).not.toBe(a.notice?.noticeNumber);
  });
  it("relays the EC's refusal as PPT_ERRORE_EMESSO_DA_PAA, the EC's code in description (no original* in this faultBean)", async () => {
    const r = await psp.chiediNumeroAvviso('00001', FC, '<x:altro xmlns:x="urn:altro"/>');
    expect([r.esito, r.xsd?.valid, r.fault?.faultCode, r.fault?.id, r.fault?.originalFaultCode]).toEqual(['KO', true, 'PPT_ERRORE_EMESSO_DA_PAA', FC, undefined]);
    expect(r.fault?.description).toMatch(/faultCode=PAA_SEMANTICA/);
  });
  it('refuses a service not in the catalogue (PPT_SEMANTICA) and an unknown Ente Erogatore (PPT_DOMINIO_SCONOSCIUTO) without calling the EC', async () => {
    expect((await psp.chiediNumeroAvviso('00009', FC, tassa('AA333AA'))).fault?.faultCode).toBe('PPT_SEMANTICA');
    expect((await psp.chiediNumeroAvviso('00001', '12345678901', tassa('AA333AA'))).fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
  });
});

describe("the reference EC's paaChiediNumeroAvviso", () => {
  const header = { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: FC };
  const ask = (data: string) => callStation(ec, 'paaChiediNumeroAvviso', { identificativoPSP: PSP.identificativoPSP, datiSpecificiServizio: data }, header);
  it.each([
    ['data that are not XML', b64('not xml'), 'PAA_SINTASSI_XSD'],
    ["the service's document without its content", b64('<ta:tassaAuto xmlns:ta="http://PuntoAccessoPSP.spcoop.gov.it/TassaAuto"/>'), 'PAA_SINTASSI_XSD'],
    ['a vehicle no tax is due for', tassaAutoData(UNKNOWN_PLATE), 'PAA_PAGAMENTO_SCONOSCIUTO'],
    ['data of no service it offers', b64('<x:altro xmlns:x="urn:altro"/>'), 'PAA_SEMANTICA'],
  ])('refuses %s (%s)', async (_w, data, code) => {
    expect((await ask(data)).fault?.faultCode).toBe(code);
  });
  it('refuses a debt already paid (PAA_PAGAMENTO_DUPLICATO) and one being paid (PAA_PAGAMENTO_IN_CORSO)', async () => {
    const r = await ask(tassaAutoData('BB111BB'));
    const noticeNumber = `3${pathText(r.result, 'numeroAvviso', 'IUV')}`;
    ec.update(FC, noticeNumber, { state: 'in-progress' });
    expect((await ask(tassaAutoData('BB111BB'))).fault?.faultCode).toBe('PAA_PAGAMENTO_IN_CORSO');
    ec.update(FC, noticeNumber, { state: 'paid' });
    expect((await ask(tassaAutoData('BB111BB'))).fault?.faultCode).toBe('PAA_PAGAMENTO_DUPLICATO');
  });
});
