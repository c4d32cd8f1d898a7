// The reference PSP's spontaneous payment, old model (old-psp-spontaneous): against the scripted stub
// Nodo, the trigger's contract, the catalogue read before the notice, the stops (service not listed,
// notice refused) and the modello 3 payment of the notice with datiPagamentoPA's amount.
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGO_SERVIZI_NS } from '../interfaces/old/index.js';
import { pathText, textOf } from '../src/wire/xml.js';
import { EC, NOTICE, type Env, dati, ko, rptAfterActivation, startEnv, toBase64, trigger } from './psp-old-reference-support.js';

const XML = '<ta:tassaAuto xmlns:ta="urn:x"><ta:targa>AB123CD</ta:targa></ta:tassaAuto>';
const catalogue = (...ids: string[]) =>
  toBase64(`<catalogoServizi xmlns="${CATALOGO_SERVIZI_NS}"><dataOraPubblicazione>2026-01-01T00:00:00</dataOraPubblicazione>${ids.map((id) => `<servizio><idServizio>${id}</idServizio><idDominioErogatoreServizio>${EC}</idDominioErogatoreServizio><denominazioneErogatore>Comune</denominazioneErogatore></servizio>`).join('')}</catalogoServizi>`);
const notice = { esito: 'OK', identificativoDominio: EC, numeroAvviso: { auxDigit: '3', IUV: NOTICE.noticeNumber.slice(1) }, ...dati('100.00') };

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('reference PSP, old model: spontaneous payment', () => {
  it('reads the catalogue, asks the notice with the data base64, pays it with datiPagamentoPA\'s amount and sends the RT', async () => {
    env = await startEnv();
    env.nodo.on('nodoChiediCatalogoServizi', { xmlCatalogoServizi: catalogue('00001') });
    env.nodo.on('nodoChiediNumeroAvviso', notice);
    rptAfterActivation(env);
    const r = await env.psp.old.paySpontaneous({ idServizio: '00001', idDominio: EC, datiSpecificiServizio: XML });
    await env.psp.idle();
    expect(r.result, r.message).toBe('paid');
    expect(textOf(env.nodo.of('nodoChiediCatalogoServizi')[0]!.body, 'identificativoDominio')).toBe(EC);
    const asked = env.nodo.of('nodoChiediNumeroAvviso')[0]!.body;
    expect(textOf(asked, 'idServizio')).toBe('00001');
    expect(Buffer.from(textOf(asked, 'datiSpecificiServizio')!, 'base64').toString('utf8')).toBe(XML);
    expect(env.nodo.of('nodoVerificaRPT')).toHaveLength(0);
    expect(env.nodo.of('nodoAttivaRPT').map((a) => pathText(a.body, 'datiPagamentoPSP', 'importoSingoloVersamento'))).toEqual(['100.00']);
    expect(env.nodo.rts().map((rt) => rt.datiPagamento.importoTotalePagato)).toEqual([10000]);
  });

  it('stops when the service is not in the catalogue, and after a refused notice', async () => {
    env = await startEnv();
    env.nodo.on('nodoChiediCatalogoServizi', { xmlCatalogoServizi: catalogue('00002') });
    const unlisted = await env.psp.old.paySpontaneous({ idServizio: '00001', idDominio: EC, datiSpecificiServizio: XML });
    expect(unlisted.result).toBe('not-paid');
    expect(env.nodo.of('nodoChiediNumeroAvviso')).toHaveLength(0);
    env.nodo.on('nodoChiediCatalogoServizi', { xmlCatalogoServizi: catalogue('00001') });
    env.nodo.on('nodoChiediNumeroAvviso', ko('PPT_ERRORE_EMESSO_DA_PAA', { description: 'PAA_SEMANTICA' }));
    const refused = await env.psp.old.paySpontaneous({ idServizio: '00001', idDominio: EC, datiSpecificiServizio: toBase64(XML) });
    await env.psp.idle();
    expect(refused.result).toBe('not-paid');
    expect(refused.message).toContain('PPT_ERRORE_EMESSO_DA_PAA');
    expect(env.nodo.of('nodoAttivaRPT')).toHaveLength(0);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(0);
  });

  it('old-psp-informativa: both queries, the EC asked named, the documents read into the report', async () => {
    env = await startEnv();
    // these answers carry no esito: OK is the absence of a fault
    env.nodo.on('nodoChiediTemplateInformativaPSP', { xmlTemplateInformativa: toBase64('<listaInformativaPSP/>') });
    env.nodo.on('nodoChiediInformativaPA', { xmlInformativa: toBase64(`<listaInformativaControparte><informativaControparte><identificativoDominio>${EC}</identificativoDominio></informativaControparte></listaInformativaControparte>`) });
    const ok = await trigger(env, 'old-psp-informativa', { noticeNumber: undefined, params: { idDominio: EC } });
    expect(ok.status).toBe(202);
    const bad = await trigger(env, 'old-psp-informativa', { noticeNumber: undefined, params: { idDominio: 'X' } });
    expect(bad.status).toBe(400);
    await env.psp.idle();
    expect(env.nodo.of('nodoChiediInformativaPA').map((a) => textOf(a.body, 'identificativoDominio'))).toEqual([EC]);
    expect(env.nodo.of('nodoChiediTemplateInformativaPSP')).toHaveLength(1);
    const log = env.psp.old.triggers.log.find((l) => l.action === 'old-psp-informativa');
    expect(log?.result).toMatchObject({ result: 'not-paid' });
    expect(String((log?.result as { message?: string }).message)).toContain(`1 EC(s) ${EC}`);
  });

  it('the trigger action: 202 with the service and its data, 400 without them', async () => {
    env = await startEnv();
    env.nodo.on('nodoChiediCatalogoServizi', { xmlCatalogoServizi: catalogue() });
    const ok = await trigger(env, 'old-psp-spontaneous', { noticeNumber: undefined, params: { idServizio: '00001', datiSpecificiServizio: XML } });
    expect(ok.status).toBe(202);
    const none = await trigger(env, 'old-psp-spontaneous', { noticeNumber: undefined });
    expect(none.status).toBe(400);
    expect(String(none.body.error)).toMatch(/params/);
    await env.psp.idle();
    expect(env.psp.old.triggers.log.find((l) => l.action === 'old-psp-spontaneous')?.result).toMatchObject({ result: 'not-paid' });
  });
});
