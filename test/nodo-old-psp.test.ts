// The reference Nodo, old model, on the PSP side of a payment started at the PSP (catalogue §2.3):
// nodoVerificaRPT / nodoAttivaRPT through paaVerificaRPT / paaAttivaRPT with the EC's faults relayed
// (OLD-PSP-ERR-02..07), station failures (OLD-X-STA-01), the RPT the EC sends after the activation
// forwarded with pspInviaRPT, and nodoInviaRPT model 0 with the PSP named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rptXml, toBase64 } from '../domain/old/index.js';
import type { NodeObj } from '../src/wire/xml.js';
import { BROKER, EC, PASSWORD, PSP, STATION, type World, keys, ok, rpt, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

const DATI_PA = { importoSingoloVersamento: '150.50', ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Tassa rifiuti' };

function request(op: 'nodoVerificaRPT' | 'nodoAttivaRPT', k: { iuv: string; ccp: string }, o: { password?: string; coding?: string; cf?: string; importo?: string } = {}): NodeObj {
  const base = { identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: o.password ?? PSP.password, codiceContestoPagamento: k.ccp };
  const id = { codificaInfrastrutturaPSP: o.coding ?? 'QR-CODE', codiceIdRPT: { 'qrc:QrCode': { 'qrc:CF': o.cf ?? EC, 'qrc:AuxDigit': '3', 'qrc:CodIUV': k.iuv } } };
  if (op === 'nodoVerificaRPT') return { ...base, ...id };
  return { ...base, identificativoIntermediarioPSPPagamento: PSP.idBrokerPSP, identificativoCanalePagamento: PSP.idChannel, ...id, datiPagamentoPSP: { importoSingoloVersamento: o.importo ?? '150.50' } };
}

function scriptEc(op: 'paaVerificaRPT' | 'paaAttivaRPT', answer: Parameters<typeof Object.assign>[1]): void {
  w.ec.script[op] = () => answer;
}

describe('nodoVerificaRPT / nodoAttivaRPT', () => {
  it('verify: the EC is asked with intestazionePPT (its station, IUV, CCP) and its datiPagamentoPA relayed', async () => {
    const k = keys();
    scriptEc('paaVerificaRPT', ok('paaVerificaRPT', { datiPagamentoPA: DATI_PA }));
    const a = await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', k));
    expect(a.esito).toBe('OK');
    expect(a.result.children.find((c) => c.name === 'datiPagamentoPA')?.children.find((c) => c.name === 'importoSingoloVersamento')?.text).toBe('150.50');
    const seen = w.ec.seen.filter((s) => s.op === 'paaVerificaRPT').at(-1)!;
    const h = (n: string) => seen.header?.children.find((c) => c.name === n)?.text;
    expect([h('identificativoStazioneIntermediarioPA'), h('identificativoDominio'), h('identificativoUnivocoVersamento'), h('codiceContestoPagamento')]).toEqual([STATION, EC, k.iuv, k.ccp]);
    expect(w.nodo.activation(EC, k.iuv, k.ccp)).toBeUndefined();
  });

  for (const code of ['PAA_PAGAMENTO_SCONOSCIUTO', 'PAA_PAGAMENTO_DUPLICATO', 'PAA_PAGAMENTO_IN_CORSO', 'PAA_PAGAMENTO_ANNULLATO', 'PAA_PAGAMENTO_SCADUTO']) {
    it(`${code} on verify and activate: PPT_ERRORE_EMESSO_DA_PAA, id = the EC, original fields`, async () => {
      for (const op of ['nodoVerificaRPT', 'nodoAttivaRPT'] as const) {
        scriptEc(op === 'nodoVerificaRPT' ? 'paaVerificaRPT' : 'paaAttivaRPT', { ko: { faultCode: code, id: EC, description: `${code} for the test` } });
        const a = await w.pspCall(op, request(op, keys()));
        expect(a.esito).toBe('KO');
        expect(a.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', id: EC, originalFaultCode: code, originalDescription: `${code} for the test` });
      }
    });
  }

  it('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO: relayed with the EC datiPagamentoPA (the amount to activate again with)', async () => {
    scriptEc('paaAttivaRPT', { paaAttivaRPTRisposta: { fault: { faultCode: 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', faultString: 'importo', id: EC }, esito: 'KO', datiPagamentoPA: DATI_PA } });
    const a = await w.pspCall('nodoAttivaRPT', request('nodoAttivaRPT', keys(), { importo: '10.00' }));
    expect(a.fault?.originalFaultCode).toBe('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO');
    expect(a.result.children.find((c) => c.name === 'datiPagamentoPA')?.children.find((c) => c.name === 'importoSingoloVersamento')?.text).toBe('150.50');
  });

  it('a station answering after the timeout: PPT_STAZIONE_INT_PA_TIMEOUT; an invalid answer: PPT_SYSTEM_ERROR naming it', async () => {
    scriptEc('paaVerificaRPT', { lateMs: w.nodo.timeouts.paaVerificaRPT + 1, then: ok('paaVerificaRPT', { datiPagamentoPA: DATI_PA }) });
    expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys()))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    scriptEc('paaVerificaRPT', { paaVerificaRPTRisposta: { esito: 'FORSE' } });
    const a = await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys()));
    expect(a.fault?.faultCode).toBe('PPT_SYSTEM_ERROR');
    expect(a.fault?.description).toContain('FORSE');
  });

  it('an unreachable station: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', async () => {
    const station = w.reg.stations[0]!;
    const before = station.old!.paPerNodoPagamentoPsp;
    station.old!.paPerNodoPagamentoPsp = 'http://127.0.0.1:9/PaPerNodoPagamentoPsp';
    try {
      expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys()))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
    } finally {
      station.old!.paPerNodoPagamentoPsp = before;
    }
  });

  it('an IBAN the EC never registered: PPT_IBAN_NON_CENSITO', async () => {
    scriptEc('paaVerificaRPT', ok('paaVerificaRPT', { datiPagamentoPA: { ...DATI_PA, ibanAccredito: 'IT60X0542811101000000123456' } }));
    expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys()))).fault?.faultCode).toBe('PPT_IBAN_NON_CENSITO');
  });

  it('caller and routing: wrong password PPT_AUTENTICAZIONE, unknown coding PPT_CODIFICA_PSP_SCONOSCIUTA, unknown EC PPT_DOMINIO_SCONOSCIUTO', async () => {
    expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys(), { password: 'sbagliata_1' }))).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys(), { coding: 'QR-CODICE' }))).fault?.faultCode).toBe('PPT_CODIFICA_PSP_SCONOSCIUTA');
    expect((await w.pspCall('nodoVerificaRPT', request('nodoVerificaRPT', keys(), { cf: '12345678901' }))).fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
  });
});

describe('the RPT after nodoAttivaRPT (§2.3)', () => {
  const header = (k: { iuv: string; ccp: string }) => ({ identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
  const invia = (k: { iuv: string; ccp: string }, o: { idPSP?: string; tipo?: string } = {}) => ({
    password: PASSWORD, identificativoPSP: o.idPSP ?? PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel,
    rpt: toBase64(rptXml(rpt(k, (r) => (r.datiVersamento.tipoVersamento = (o.tipo ?? 'PO') as never)))),
  });

  it('is accepted (redirect 0), forwarded with pspInviaRPT model 4 to the PSP that activated, and arrives in time', async () => {
    const k = keys();
    scriptEc('paaAttivaRPT', ok('paaAttivaRPT', { datiPagamentoPA: DATI_PA }));
    expect((await w.pspCall('nodoAttivaRPT', request('nodoAttivaRPT', k))).esito).toBe('OK');
    expect(w.nodo.activation(EC, k.iuv, k.ccp)?.psp.idPSP).toBe(PSP.idPSP);
    const a = await w.pa('nodoInviaRPT', invia(k), header(k));
    expect(a.esito).toBe('OK');
    expect(a.result.children.find((c) => c.name === 'redirect')?.text).toBe('0');
    const at = await w.nodo.waitRptAfterActivation(EC, k.iuv, k.ccp);
    expect(at.inTime).toBe(true);
    const held = await w.nodo.waitRpt(EC, k.iuv, k.ccp, (r) => r.stato === 'RPT_ACCETTATA_PSP', 5000);
    expect(held.modello).toBe(4);
    const sent = w.psp.seen.filter((s) => s.op === 'pspInviaRPT').at(-1)!;
    expect(sent.body.children.find((c) => c.name === 'modelloPagamento')?.text).toBe('4');
  });

  it('an RPT naming another PSP than the one that activated: PPT_SEMANTICA; tipoVersamento other than PO: PPT_SEMANTICA', async () => {
    const k = keys();
    scriptEc('paaAttivaRPT', ok('paaAttivaRPT', { datiPagamentoPA: DATI_PA }));
    expect((await w.pspCall('nodoAttivaRPT', request('nodoAttivaRPT', k))).esito).toBe('OK');
    w.reg.psps.push({ idPSP: 'ALTROPSP', enabled: true, companyName: 'Altro', fiscalCode: '00000000001' });
    w.reg.channels[0]!.psps.push('ALTROPSP');
    const a = await w.pa('nodoInviaRPT', invia(k, { idPSP: 'ALTROPSP' }), header(k));
    expect(a.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(a.fault?.description).toContain('V-15');
    const k2 = keys();
    expect((await w.pspCall('nodoAttivaRPT', request('nodoAttivaRPT', k2))).esito).toBe('OK');
    expect((await w.pa('nodoInviaRPT', invia(k2, { tipo: 'BBT' }), header(k2))).fault?.faultCode).toBe('PPT_SEMANTICA');
  });
});

describe('nodoInviaRPT, model 0 with the PSP named (A-05)', () => {
  const header = (k: { iuv: string; ccp: string }) => ({ identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
  const invia = (k: { iuv: string; ccp: string }) => ({ password: PASSWORD, identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, rpt: toBase64(rptXml(rpt(k))) });

  it('the PSP page is the redirect: redirect 1, url = the channel redirect URL + parametriPagamentoImmediato', async () => {
    w.psp.script.pspInviaRPT = () => ({ pspInviaRPTResponse: { esitoComplessivoOperazione: 'OK', identificativoCarrello: 'X1', parametriPagamentoImmediato: 'idCarrello=X1' } });
    const k = keys();
    const a = await w.pa('nodoInviaRPT', invia(k), header(k));
    expect(a.esito).toBe('OK');
    expect(a.result.children.find((c) => c.name === 'url')?.text).toBe('http://psp.example/pagamento?idCarrello=X1');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RPT_ACCETTATA_PSP');
  });

  it('parameters that are no query string: PPT_CANALE_ERR_PARAM_PAG_IMM; the PSP KO: PPT_CANALE_ERRORE with the original fields; a duplicate: PPT_RPT_DUPLICATA', async () => {
    w.psp.script.pspInviaRPT = () => ({ pspInviaRPTResponse: { esitoComplessivoOperazione: 'OK', parametriPagamentoImmediato: 'not a query string' } });
    const k = keys();
    expect((await w.pa('nodoInviaRPT', invia(k), header(k))).fault?.faultCode).toBe('PPT_CANALE_ERR_PARAM_PAG_IMM');
    w.psp.script.pspInviaRPT = () => ({ pspInviaRPTResponse: { esitoComplessivoOperazione: 'KO', listaErroriRPT: { fault: { faultCode: 'CANALE_SEMANTICA', faultString: 'semantica', id: PSP.idPSP, serial: 1 } } } });
    const k2 = keys();
    const a = await w.pa('nodoInviaRPT', invia(k2), header(k2));
    expect(a.fault).toMatchObject({ faultCode: 'PPT_CANALE_ERRORE', id: PSP.idPSP, originalFaultCode: 'CANALE_SEMANTICA' });
    expect(w.nodo.rpt(EC, k2.iuv, k2.ccp)?.stato).toBe('RPT_RIFIUTATA_PSP');
    delete w.psp.script.pspInviaRPT;
    expect((await w.pa('nodoInviaRPT', invia(k2), header(k2))).fault?.faultCode).toBe('PPT_RPT_DUPLICATA');
  });
});
