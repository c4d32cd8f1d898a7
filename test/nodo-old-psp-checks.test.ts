// The reference Nodo as a PSP's counterpart, its checks: nodoInviaRT's refusals (catalogue V-19, V-20,
// V-21, V-36; OLD-PSP-ERR-11/12, OLD-EC-ERR-07) with the rule named, the caller faults of every
// NodoPerPsp primitive it serves (V-03..V-07), nodoChiediInformativaPA / nodoChiediTemplateInformativaPSP
// (OLD-REC-PSP-03..07), and the judgement of a PSP's answers to pspInviaRPT model 4, pspInviaRichiestaStorno
// and pspInviaRispostaRevoca (CANALE_* relayed as PPT_CANALE_ERRORE, channel failures PPT_CANALE_*).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rt, erFor, erXml, rptXml, rrFor, rrXml, toBase64 } from '../domain/old/index.js';
import type { NodeObj } from '../src/wire/xml.js';
import { BROKER, EC, PASSWORD, PSP, STATION, type World, cart, invioRt, keys, ok, paIds, rpt, rtOf, world } from './support/old-nodo.js';
import { SAMPLES } from './support/old-samples.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

async function atPsp() {
  const k = keys();
  const r = rpt(k);
  const header = { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp };
  expect((await w.pa('nodoInviaRPT', { password: PASSWORD, identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, rpt: toBase64(rptXml(r)) }, header)).esito).toBe('OK');
  return { k, r };
}

/** A cart paid through WISP with the harness PSP, the payer back from the PSP with `esito`. */
async function throughWisp(esito: 'OK' | 'KO') {
  const k = keys();
  const r = rpt(k);
  const c = cart(`C${k.iuv}`, [r]);
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  const idSession = new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
  const page = await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione: 'paga', psp: `${PSP.idPSP}|${PSP.idChannel}` }), redirect: 'manual' });
  expect(page.status).toBe(303);
  const back = await fetch(`${w.nodo.urls.wispReturn}?identificativoCarrello=C${k.iuv}&esito=${esito}`, { redirect: 'manual' });
  expect(back.status).toBeLessThan(500);
  return { k, r };
}

describe('nodoInviaRT refusals', () => {
  const edits: [string, string, (rt: Rt) => void][] = [
    ['another IUV', 'V-20', (rt) => (rt.datiPagamento.identificativoUnivocoVersamento = '01999999999999999')],
    ['another CCP', 'V-20', (rt) => (rt.datiPagamento.CodiceContestoPagamento = 'ALTRO')],
    ['a total that is not the sum paid', 'V-19', (rt) => (rt.datiPagamento.importoTotalePagato += 100)],
    ['a transfer paying another amount', 'V-20', (rt) => {
      rt.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato += 100;
      rt.datiPagamento.importoTotalePagato += 100;
    }],
    ['esito 0 with nothing paid', 'V-19', (rt) => {
      rt.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato = 0;
      rt.datiPagamento.importoTotalePagato = 0;
    }],
    ['riferimentoDataRichiesta not the RPT date', 'V-20', (rt) => (rt.riferimentoDataRichiesta = '2020-01-01')],
  ];
  for (const [what, rule, edit] of edits) {
    it(`an RT with ${what}: PPT_SEMANTICA naming ${rule}`, async () => {
      const { r } = await atPsp();
      const rt = rtOf(r, 'positive', w.clock.now());
      edit(rt);
      const a = await w.pspCall('nodoInviaRT', { ...invioRt(rt), identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento, codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento });
      expect(a.fault?.faultCode).toBe('PPT_SEMANTICA');
      expect(a.fault?.description).toContain(rule);
    });
  }

  it('tipoFirma other than "0": PPT_TIPOFIRMA_SCONOSCIUTO (V-36, TR-37); "0" is taken', async () => {
    const { r } = await atPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    const signed = (t: string) => {
      const { rt: doc, ...rest } = invioRt(rt);
      return { ...rest, tipoFirma: t, rt: doc! };
    };
    const a = await w.pspCall('nodoInviaRT', signed('3'));
    expect(a.fault?.faultCode).toBe('PPT_TIPOFIRMA_SCONOSCIUTO');
    expect(a.fault?.description).toContain('V-36');
    expect((await w.pspCall('nodoInviaRT', signed('0'))).esito).toBe('OK');
  });

  it('a second RT for the same RPT: PPT_RT_DUPLICATA (V-19), even with another content; forzaControlloSegno without an annullo tecnico changes nothing', async () => {
    const { r } = await atPsp();
    expect((await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())))).esito).toBe('OK');
    const other = rtOf(r, 'negative', w.clock.now());
    const a = await w.pspCall('nodoInviaRT', invioRt(other, { forza: true }));
    expect(a.fault?.faultCode).toBe('PPT_RT_DUPLICATA');
  });

  it('OLD-PSP-ERR-12: a paid RT after the PSP sent the payer back with KO, an unpaid one after OK: PPT_SEMANTICA; the consistent ones are taken', async () => {
    const ko = await throughWisp('KO');
    const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(ko.r, 'positive', w.clock.now())));
    expect(a.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(a.fault?.description).toContain('OLD-PSP-ERR-12');
    expect((await w.pspCall('nodoInviaRT', invioRt(rtOf(ko.r, 'negative', w.clock.now())))).esito).toBe('OK');
    const okCart = await throughWisp('OK');
    expect((await w.pspCall('nodoInviaRT', invioRt(rtOf(okCart.r, 'negative', w.clock.now())))).fault?.description).toContain('contradicts the outcome OK');
    expect((await w.pspCall('nodoInviaRT', invioRt(rtOf(okCart.r, 'positive', w.clock.now())))).esito).toBe('OK');
  });
});

describe('caller faults of every NodoPerPsp primitive the Nodo serves (V-03..V-07)', () => {
  const served = ['nodoVerificaRPT', 'nodoAttivaRPT', 'nodoInviaRT', 'nodoInviaRichiestaRevoca', 'nodoInviaEsitoStorno', 'nodoChiediInformativaPA', 'nodoChiediTemplateInformativaPSP', 'nodoInviaFlussoRendicontazione', 'nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione'];
  const ids = (o: { psp?: string; broker?: string; channel?: string; password?: string } = {}): NodeObj => ({
    identificativoPSP: o.psp ?? PSP.idPSP, identificativoIntermediarioPSP: o.broker ?? PSP.idBrokerPSP, identificativoCanale: o.channel ?? PSP.idChannel, password: o.password ?? PSP.password,
  });
  // the sample request with the caller's fields replaced, in their schema order
  const request = (op: string, o: Parameters<typeof ids>[0] = {}): NodeObj => {
    const sample = SAMPLES[op]!.request;
    const mine = ids(o);
    return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, k in mine ? mine[k]! : v]));
  };
  for (const op of served) {
    it(`${op}: PPT_AUTENTICAZIONE, PPT_PSP_SCONOSCIUTO, PPT_INTERMEDIARIO_PSP_SCONOSCIUTO, PPT_CANALE_SCONOSCIUTO, PPT_CANALE_DISABILITATO`, async () => {
      const code = async (o: Parameters<typeof ids>[0]) => (await w.pspCall(op, request(op, o))).fault?.faultCode;
      expect(await code({ password: 'sbagliata_1' })).toBe('PPT_AUTENTICAZIONE');
      if ('identificativoPSP' in SAMPLES[op]!.request) expect(await code({ psp: 'NESSUNO' })).toBe('PPT_PSP_SCONOSCIUTO');
      expect(await code({ broker: '00000000000' })).toBe('PPT_INTERMEDIARIO_PSP_SCONOSCIUTO');
      expect(await code({ channel: '00000000000_99' })).toBe('PPT_CANALE_SCONOSCIUTO');
      const ch = w.reg.channels.find((c) => c.idChannel === PSP.idChannel)!;
      ch.enabled = false;
      try {
        expect(await code({})).toBe('PPT_CANALE_DISABILITATO');
      } finally {
        ch.enabled = true;
      }
    });
  }

  it('a primitive the Nodo does not offer (nodoChiediQuadraturaPSP, WSDL only) still answers the caller faults first, then PPT_SYSTEM_ERROR', async () => {
    const op = 'nodoChiediQuadraturaPSP';
    expect((await w.pspCall(op, request(op, { password: 'sbagliata_1' }))).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.pspCall(op, request(op, { channel: '00000000000_99' }))).fault?.faultCode).toBe('PPT_CANALE_SCONOSCIUTO');
    const a = await w.pspCall(op, request(op));
    expect(a.fault?.faultCode).toBe('PPT_SYSTEM_ERROR');
    expect(a.fault?.description).toContain('not served');
  });
});

describe('nodoChiediInformativaPA, nodoChiediTemplateInformativaPSP', () => {
  const decode = (a: { result: { children: { name: string; text: string }[] } }, el: string) => Buffer.from(a.result.children.find((c) => c.name === el)!.text, 'base64').toString('utf8');
  const caller = { identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password };

  it('the Tabella delle Controparti of one EC, or of all with no PSP named; an unknown EC: PPT_DOMINIO_SCONOSCIUTO', async () => {
    const one = await w.pspCall('nodoChiediInformativaPA', { identificativoPSP: PSP.idPSP, ...caller, identificativoDominio: EC });
    expect(one.fault).toBeUndefined();
    expect(decode(one, 'xmlInformativa')).toContain(`<identificativoDominio>${EC}</identificativoDominio>`);
    const all = await w.pspCall('nodoChiediInformativaPA', caller);
    expect(decode(all, 'xmlInformativa')).toContain('<ibanAccredito>');
    expect((await w.pspCall('nodoChiediInformativaPA', { ...caller, password: 'sbagliata_1' })).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.pspCall('nodoChiediInformativaPA', { ...caller, identificativoDominio: '12345678901' })).fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
  });

  it("the PSP's own catalogue as the Nodo holds it, with its channels", async () => {
    const a = await w.pspCall('nodoChiediTemplateInformativaPSP', { identificativoPSP: PSP.idPSP, ...caller });
    const xml = decode(a, 'xmlTemplateInformativa');
    expect(xml).toContain(`<identificativoPSP>${PSP.idPSP}</identificativoPSP>`);
    expect(xml).toContain(`<identificativoCanale>${PSP.idChannel}</identificativoCanale>`);
  });
});

describe("the PSP's answers to the Nodo's calls", () => {
  const header = (k: { iuv: string; ccp: string }) => ({ identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
  const attiva = (k: { iuv: string; ccp: string }) => ({
    identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password, codiceContestoPagamento: k.ccp,
    identificativoIntermediarioPSPPagamento: PSP.idBrokerPSP, identificativoCanalePagamento: PSP.idChannel, codificaInfrastrutturaPSP: 'QR-CODE',
    codiceIdRPT: { 'qrc:QrCode': { 'qrc:CF': EC, 'qrc:AuxDigit': '3', 'qrc:CodIUV': k.iuv } }, datiPagamentoPSP: { importoSingoloVersamento: '150.50' },
  });

  it('pspInviaRPT model 4 after an activation: CANALE_RPT_DUPLICATA and a silent PSP leave the RPT refused / not delivered (OLD-PSP-ERR-09, OLD-X-CHN-01); redirect parameters are ignored', async () => {
    w.ec.script.paaAttivaRPT = () => ok('paaAttivaRPT', { datiPagamentoPA: { importoSingoloVersamento: '150.50', ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Tassa' } });
    try {
      for (const [answer, stato] of [
        [{ pspInviaRPTResponse: { esitoComplessivoOperazione: 'KO', listaErroriRPT: { fault: { faultCode: 'CANALE_RPT_DUPLICATA', faultString: 'dup', id: PSP.idPSP, serial: 1 } } } }, 'RPT_RIFIUTATA_PSP'],
        [{ lateMs: w.nodo.timeouts.psp + 1, then: { pspInviaRPTResponse: { esitoComplessivoOperazione: 'OK' } } }, 'RPT_ERRORE_INVIO_A_PSP'],
        // parameters of a redirect mean nothing in model 4: the RPT is the PSP's all the same
        [{ pspInviaRPTResponse: { esitoComplessivoOperazione: 'OK', parametriPagamentoImmediato: 'not a query string' } }, 'RPT_ACCETTATA_PSP'],
      ] as const) {
        w.psp.script.pspInviaRPT = () => answer as never;
        const k = keys();
        const act = await w.pspCall('nodoAttivaRPT', attiva(k));
        expect(act.esito, JSON.stringify(act.fault)).toBe('OK');
        const r = rpt(k, (x) => (x.datiVersamento.tipoVersamento = 'PO'));
        const sent = await w.pa('nodoInviaRPT', { password: PASSWORD, identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, rpt: toBase64(rptXml(r)) }, header(k));
        expect(sent.esito, JSON.stringify(sent.fault)).toBe('OK');
        const rec = await w.nodo.waitRpt(EC, k.iuv, k.ccp, (x) => x.stato === stato, 5000);
        expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe(stato);
        if (stato !== 'RPT_ACCETTATA_PSP') expect(rec.history.at(-1)?.descrizione).toContain(stato === 'RPT_RIFIUTATA_PSP' ? 'CANALE_RPT_DUPLICATA' : 'PPT_CANALE_TIMEOUT');
      }
    } finally {
      delete w.ec.script.paaAttivaRPT;
      delete w.psp.script.pspInviaRPT;
    }
  });

  it('storno and revoca relays: a PSP late, unreachable or answering nonsense gets PPT_CANALE_TIMEOUT, _IRRAGGIUNGIBILE, _ERRORE_RESPONSE (OLD-X-CHN-01)', async () => {
    const keysOf = (k: { iuv: string; ccp: string }) => ({ identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
    const paid = async () => {
      const { k, r } = await throughWisp('OK');
      const rt = rtOf(r, 'positive', w.clock.now());
      expect((await w.pspCall('nodoInviaRT', invioRt(rt))).esito).toBe('OK');
      return { k, rt };
    };
    const storno = async (answer: Parameters<typeof Object.assign>[1]) => {
      const { k, rt } = await paid();
      w.psp.script.pspInviaRichiestaStorno = () => answer;
      try {
        return (await w.pa('nodoInviaRichiestaStorno', { ...paIds(), ...keysOf(k), rr: toBase64(rrXml(rrFor(rt, { now: w.clock.now() }))) })).fault?.faultCode;
      } finally {
        delete w.psp.script.pspInviaRichiestaStorno;
      }
    };
    expect(await storno({ lateMs: w.nodo.timeouts.psp + 1, then: { pspInviaRichiestaStornoResponse: { esito: 'OK' } } })).toBe('PPT_CANALE_TIMEOUT');
    expect(await storno({ pspInviaRichiestaStornoResponse: { esito: 'FORSE' } })).toBe('PPT_CANALE_ERRORE_RESPONSE');
    // revoca: the EC's ER to a PSP whose endpoint is gone
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now(), tipoRevoca: '2' });
    expect((await w.pspCall('nodoInviaRichiestaRevoca', { identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password, ...keysOf(k), rr: toBase64(rrXml(rr)) })).esito).toBe('OK');
    const ch = w.reg.channels.find((c) => c.idChannel === PSP.idChannel)!;
    const url = ch.pspPerNodoUrl;
    ch.pspPerNodoUrl = 'http://127.0.0.1:9/PspPerNodo';
    try {
      const a = await w.pa('nodoInviaRispostaRevoca', { ...paIds(), ...keysOf(k), er: toBase64(erXml(erFor(rr, { now: w.clock.now(), outcome: 'accepted' }))) });
      expect(a.fault?.faultCode).toBe('PPT_CANALE_IRRAGGIUNGIBILE');
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.revoca?.state).toBe('Esito Revoca Rifiutata');
    } finally {
      ch.pspPerNodoUrl = url;
    }
  });
});
