// Each defect switch of the reference PSP's old-model side changes the observable behaviour it names:
// the same observation (on the wire to the scripted stub Nodo, or in an answer of its PspPerNodo)
// gives one value on the reference PSP and another on the mutant. The list names only OLD-* ids with
// a psp level in the index.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { type Rpt, ackFor, erAgainstRr, erFor, erXml, fromBase64, readEr, readRr, readRt, rrFor, rrXml, toBase64 } from '../domain/old/index.js';
import { OLD_PSP_DEFECTS, OLD_PSP_DEFECT_IDS as ALL_OLD_IDS, type OldPspDefect as AnyOldPspDefect, oldPspDefectRtMode } from '../candidates/psp/old/index.js';
import { FDR_OLD_DEFECTS, type FdrOldDefect } from '../candidates/psp/fdr/defects.js';

// the reconciliation switches change the flow the PSP reports: observed by test/psp-fdr-reference.test.ts
type OldPspDefect = Exclude<AnyOldPspDefect, FdrOldDefect>;
const OLD_PSP_DEFECT_IDS = ALL_OLD_IDS.filter((d): d is OldPspDefect => !FDR_OLD_DEFECTS.some((f) => f.id === d));
import { pathText, textOf } from '../src/wire/xml.js';
import { CATALOGO_SERVIZI_NS } from '../interfaces/old/index.js';
import { AUTH_CHANNEL, EC, NOTICE, ackContent, cartPaid, cartRequest, dati, type Env, ko, newRpt, nodoCallsPsp, paaKo, rptAfterActivation, startEnv } from './psp-old-reference-support.js';

const call = (env: Env, primitive: string, content: Record<string, unknown>) => nodoCallsPsp(env.urls.pspPerNodoUrl, primitive, content as never, env.clock);
const keys = (env: Env, i = 0) => {
  const r = env.psp.old.archive.rts[i]!;
  return { identificativoDominio: r.idDominio, identificativoUnivocoVersamento: r.iuv, codiceContestoPagamento: r.ccp };
};
const listed = async (env: Env) => (await call(env, 'pspChiediListaRT', { identificativoRichiedente: 'NodoDeiPagamentiSPC' })).inner?.children.filter((c) => c.name === 'elementoListaRTResponse').length;
const sends = (env: Env) => env.nodo.of('nodoInviaRT').length;

async function stationDown(env: Env) {
  env.nodo.on('nodoInviaRT', ko('PPT_STAZIONE_INT_PA_TIMEOUT'));
  return cartPaid(env);
}
async function ack(env: Env, rejection?: { codiceErrore: string }) {
  const k = keys(env);
  const rt = readRt(fromBase64(textOf((await call(env, 'pspChiediRT', k)).inner, 'rt')!, 'RT'));
  return call(env, 'pspInviaAckRT', { ...k, ackRT: ackContent(ackFor(rt, { now: env.clock.now(), mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001', rejection })) });
}
async function modello3(env: Env, o: { bend?: (r: Rpt) => void; attiva?: Parameters<Env['nodo']['on']>[1][]; verifyOnly?: boolean } = {}) {
  env.nodo.on('nodoVerificaRPT', { esito: 'OK', ...dati('100.00') });
  if (o.attiva) env.nodo.on('nodoAttivaRPT', ...o.attiva);
  rptAfterActivation(env, { bend: o.bend });
  await env.psp.old.payAtPsp(NOTICE, { verify: o.verifyOnly ?? false, verifyOnly: o.verifyOnly, printedCents: 10000 });
  await env.psp.idle();
}
/** A cart the Nodo forwards on the PSP's channel of payment model 2 (authorisation managed by the PSP). */
const authCart = (env: Env, over?: (r: Rpt) => void) => call(env, 'pspInviaCarrelloRPT', cartRequest([newRpt(env, 15000, over)], { identificativoCanale: AUTH_CHANNEL, modelloPagamento: 2 }));
async function stornoRr(env: Env) {
  await cartPaid(env);
  const rr = rrFor(env.psp.old.archive.rts[0]!.rt, { now: env.clock.now() });
  const first = await call(env, 'pspInviaRichiestaStorno', { ...keys(env), rr: toBase64(rrXml(rr)) });
  await env.psp.idle();
  return { rr, first };
}
async function annullo(env: Env) {
  await cartPaid(env);
  const k = keys(env);
  await env.psp.old.revoca({ idDominio: k.identificativoDominio, iuv: k.identificativoUnivocoVersamento, ccp: k.codiceContestoPagamento }, '1');
  return readRr(fromBase64(textOf(env.nodo.of('nodoInviaRichiestaRevoca')[0]!.body, 'rr')!, 'RR'));
}

/** A spontaneous payment of service 00001 of EC: the catalogue lists it, the Nodo gives NOTICE for 100.00. */
async function spontaneous(env: Env) {
  const catalogo = `<catalogoServizi xmlns="${CATALOGO_SERVIZI_NS}"><dataOraPubblicazione>2026-01-01T00:00:00</dataOraPubblicazione><servizio><idServizio>00001</idServizio><idDominioErogatoreServizio>${EC}</idDominioErogatoreServizio><denominazioneErogatore>Comune</denominazioneErogatore></servizio></catalogoServizi>`;
  env.nodo.on('nodoChiediCatalogoServizi', { xmlCatalogoServizi: toBase64(catalogo) });
  env.nodo.on('nodoChiediNumeroAvviso', { esito: 'OK', identificativoDominio: EC, numeroAvviso: { auxDigit: '3', IUV: NOTICE.noticeNumber.slice(1) }, ...dati('100.00') });
  rptAfterActivation(env);
  const r = await env.psp.old.paySpontaneous({ idServizio: '00001', idDominio: EC, datiSpecificiServizio: '<ta:tassaAuto xmlns:ta="urn:x"><ta:targa>AB123CD</ta:targa></ta:tassaAuto>' });
  await env.psp.idle();
  return r;
}

/** per defect: what to observe (the same on the reference and on the mutant) */
const OBSERVE: Record<OldPspDefect, (env: Env) => Promise<unknown>> = {
  'old-rt-no-retry': async (env) => (env.nodo.on('nodoInviaRT', 'unavailable'), await cartPaid(env), [sends(env), await listed(env)]),
  'old-rt-retry-changed': async (env) => (env.nodo.on('nodoInviaRT', 'unavailable', 'unavailable', { esito: 'OK' }), await cartPaid(env), new Set(env.nodo.of('nodoInviaRT').map((s) => textOf(s.body, 'rt'))).size),
  'old-rt-retry-fast': async (env) => {
    env.nodo.on('nodoInviaRT', 'unavailable');
    await cartPaid(env);
    const s = env.nodo.of('nodoInviaRT');
    return s.slice(1).map((x, i) => x.at - s[i]!.at);
  },
  'old-rt-retry-forever': async (env) => (env.nodo.on('nodoInviaRT', 'unavailable'), await cartPaid(env), sends(env)),
  'old-rt-duplicate-loop': async (env) => (env.nodo.on('nodoInviaRT', ko('PPT_RT_DUPLICATA')), await cartPaid(env), sends(env)),
  'old-rt-no-pull': async (env) => (env.nodo.on('nodoInviaRT', 'unavailable'), await cartPaid(env), await listed(env)),
  'old-rt-station-down-dropped': async (env) => (await stationDown(env), await listed(env)),
  'old-pull-ack-ignored': async (env) => (await stationDown(env), await ack(env), await listed(env)),
  'old-pull-drop-on-fetch': async (env) => (await stationDown(env), await call(env, 'pspChiediRT', keys(env)), await listed(env)),
  'old-pull-pushed': async (env) => (await cartPaid(env), [sends(env), await listed(env)]),
  'old-pull-listed-not-given': async (env) => (await stationDown(env), (await call(env, 'pspChiediRT', keys(env))).fault?.faultCode ?? 'rt given'),
  'old-pull-dequeue-on-list': async (env) => (await stationDown(env), [await listed(env), await listed(env)]),
  'old-pull-rjct-breaks-list': async (env) => (await stationDown(env), await ack(env, { codiceErrore: 'V-20' }), (await call(env, 'pspChiediListaRT', { identificativoRichiedente: 'NodoDeiPagamentiSPC' })).fault?.faultCode ?? 'listed'),
  'old-pull-rjct-ko': async (env) => (await stationDown(env), (await ack(env, { codiceErrore: 'V-20' })).esito),
  'old-rt-amount-differs': async (env) => (await cartPaid(env), env.nodo.rts()[0]!.datiPagamento.importoTotalePagato),
  'old-rt-wrong-iuv': async (env) => {
    const { rpts } = await cartPaid(env);
    return env.nodo.rts()[0]!.datiPagamento.identificativoUnivocoVersamento === rpts[0]!.datiVersamento.identificativoUnivocoVersamento;
  },
  'old-rt-wrong-ccp': async (env) => {
    const { rpts } = await cartPaid(env);
    return env.nodo.rts()[0]!.datiPagamento.CodiceContestoPagamento === rpts[0]!.datiVersamento.codiceContestoPagamento;
  },
  'old-rt-wrong-dates': async (env) => {
    const { rpts } = await cartPaid(env);
    return env.nodo.rts()[0]!.riferimentoDataRichiesta === rpts[0]!.dataOraMessaggioRichiesta.slice(0, 10);
  },
  'old-no-negative-rt': async (env) => (await cartPaid(env, 'annulla'), sends(env)),
  'old-positive-rt-on-cancel': async (env) => (await cartPaid(env, 'annulla'), env.nodo.rts()[0]?.datiPagamento.codiceEsitoPagamento),
  'old-redirect-missing': async (env) => textOf((await call(env, 'pspInviaCarrelloRPT', cartRequest([newRpt(env)]))).inner, 'parametriPagamentoImmediato') !== undefined,
  'old-auth-redirect-given': async (env) => textOf((await authCart(env)).inner, 'parametriPagamentoImmediato') !== undefined,
  'old-auth-rt-never-pushed': async (env) => {
    const id = textOf((await authCart(env)).inner, 'identificativoCarrello')!;
    await env.psp.old.authorise(id);
    await env.psp.idle();
    return sends(env);
  },
  'old-auth-manleva-ignored': async (env) => (await authCart(env, (r) => void (r.datiVersamento.ibanAddebito = 'IT60X0542811101000000123456')), await env.psp.idle(), sends(env)),
  'old-rpt-duplicate-accepted': async (env) => {
    const rpt = newRpt(env);
    await call(env, 'pspInviaCarrelloRPT', cartRequest([rpt]));
    const again = await call(env, 'pspInviaCarrelloRPT', cartRequest([rpt]));
    return again.fault?.faultCode ?? again.esito;
  },
  'old-rpt-invalid-accepted': async (env) => (await modello3(env, { bend: (r) => void (r.datiVersamento.tipoVersamento = 'BBT') }), env.nodo.rts()[0]?.datiPagamento.codiceEsitoPagamento),
  'old-refused-rpt-no-rt': async (env) => (await modello3(env, { bend: (r) => void (r.datiVersamento.tipoVersamento = 'BBT') }), sends(env)),
  'old-amount-not-corrected': async (env) => (
    await modello3(env, { attiva: [paaKo('PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', dati('120.00')), { esito: 'OK', ...dati('120.00') }] }),
    env.nodo.of('nodoAttivaRPT').map((a) => pathText(a.body, 'datiPagamentoPSP', 'importoSingoloVersamento'))
  ),
  'old-activate-after-refusal': async (env) => (await modello3(env, { attiva: [paaKo('PAA_PAGAMENTO_IN_CORSO')] }), env.nodo.of('nodoAttivaRPT').length),
  'old-verify-only-activates': async (env) => (await modello3(env, { verifyOnly: true }), env.nodo.of('nodoAttivaRPT').length),
  'old-er-wrong-codes': async (env) => {
    const { rr } = await stornoRr(env);
    const er = readEr(fromBase64(textOf(env.nodo.of('nodoInviaEsitoStorno')[0]!.body, 'er')!, 'ER'));
    return erAgainstRr(rr, er).filter((p) => p.severity === 'error').map((p) => p.check);
  },
  'old-storno-no-er': async (env) => (await stornoRr(env), env.nodo.of('nodoInviaEsitoStorno').length),
  'old-rr-duplicate-accepted': async (env) => {
    const { rr } = await stornoRr(env);
    const again = await call(env, 'pspInviaRichiestaStorno', { ...keys(env), rr: toBase64(rrXml(rr)) });
    return again.fault?.faultCode ?? again.esito;
  },
  'old-er-unchecked': async (env) => {
    const rr = await annullo(env);
    const r = await call(env, 'pspInviaRispostaRevoca', { ...keys(env), codiceContestoPagamento: 'NESSUNO', er: toBase64(erXml(erFor(rr, { now: env.clock.now(), outcome: 'accepted' }))) });
    return r.fault?.faultCode ?? r.esito;
  },
  'old-revoca-without-tipo': async (env) => (await annullo(env)).datiRevoca.tipoRevoca,
  'old-annullo-no-replacing-rt': async (env) => {
    const rr = await annullo(env);
    await call(env, 'pspInviaRispostaRevoca', { ...keys(env), er: toBase64(erXml(erFor(rr, { now: env.clock.now(), outcome: 'accepted' }))) });
    await env.psp.idle();
    return sends(env);
  },
  'old-spont-no-catalogue': async (env) => (await spontaneous(env), [env.nodo.of('nodoChiediCatalogoServizi').length, env.nodo.of('nodoChiediNumeroAvviso').length]),
  'old-spont-amount-differs': async (env) => (await spontaneous(env), env.nodo.of('nodoAttivaRPT').map((a) => pathText(a.body, 'datiPagamentoPSP', 'importoSingoloVersamento'))),
  'old-spont-wrong-service': async (env) => (await spontaneous(env), env.nodo.of('nodoChiediNumeroAvviso').map((a) => textOf(a.body, 'idServizio'))),
  'old-informativa-no-template': async (env) => (env.nodo.on('nodoChiediInformativaPA', {}).on('nodoChiediTemplateInformativaPSP', {}), await env.psp.old.readInformativa(EC), env.nodo.of('nodoChiediTemplateInformativaPSP').length),
  'old-informativa-wrong-ec': async (env) => (env.nodo.on('nodoChiediInformativaPA', {}).on('nodoChiediTemplateInformativaPSP', {}), await env.psp.old.readInformativa(EC), env.nodo.of('nodoChiediInformativaPA').map((a) => textOf(a.body, 'identificativoDominio'))),
  'old-progress-unknown-ok': async (env) => {
    const r = await call(env, 'pspChiediAvanzamentoRPT', { identificativoDominio: '77777777777', identificativoUnivocoVersamento: '99', codiceContestoPagamento: 'NESSUNO' });
    return r.fault?.faultCode ?? r.esito;
  },
};

async function observe(d: OldPspDefect, defects: OldPspDefect[]): Promise<unknown> {
  // a switch of one RT mode is observed on a channel of that mode
  const env = await startEnv({ defects, rtMode: oldPspDefectRtMode(d) });
  try {
    return await OBSERVE[d](env);
  } finally {
    await env.close();
  }
}

describe('old-model reference PSP defect switches', () => {
  it('at least 20 switches, each naming OLD-* ids with a psp level in the index', () => {
    const indexFile = path.join(process.env.COLLAUDO_SHARED_SPEC ?? path.resolve(PACKAGE_ROOT, '../shared/spec'), 'index-old-model.json');
    const index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, { levels?: { psp?: string } }>) : undefined;
    if (!index) console.log(`${indexFile} not found (set COLLAUDO_SHARED_SPEC): the catches ids are checked for their form only`);
    expect(OLD_PSP_DEFECT_IDS.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(OBSERVE).sort()).toEqual([...OLD_PSP_DEFECT_IDS].sort());
    for (const d of OLD_PSP_DEFECTS) {
      expect(d.description.length).toBeGreaterThan(20);
      expect(d.catches.length, d.id).toBeGreaterThan(0);
      for (const id of d.catches) {
        expect(id).toMatch(/^OLD-[A-Z]+(-[A-Z0-9]+)+$/);
        if (index) expect(index[id]?.levels?.psp, `${d.id} names ${id}`).toBeTruthy();
      }
    }
  });

  for (const d of OLD_PSP_DEFECT_IDS) {
    it(`${d} changes what it names`, async () => {
      const reference = await observe(d, []);
      const mutant = await observe(d, [d]);
      expect(mutant, `${d}: reference ${JSON.stringify(reference)}`).not.toEqual(reference);
    });
  }
});
