// Revoca (§2.4 SM-REV) and storno (§2.5 SM-STO) through the reference Nodo, old model: the PSP's RR
// to the EC and the EC's ER back, the EC's storno RR to the PSP and the PSP's ER back, with the
// Nodo's own refusals (PPT_RR_DUPLICATA, PPT_OPER_NON_REVOCABILE, PPT_OPER_NON_STORNABILE,
// PPT_ER_DUPLICATA, PPT_RR_SCONOSCIUTA, PPT_RT_SCONOSCIUTA) and the counterparts' relayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rr, type Rt, erFor, erXml, rrFor, rrXml, toBase64 } from '../domain/old/index.js';
import { EC, PSP, type World, cart, invioRt, keys, paIds, rpt, rtOf, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

/** A payment whose positive RT reached the EC (RT EC). */
async function paid(): Promise<{ k: { iuv: string; ccp: string }; rt: Rt }> {
  const k = keys();
  const r = rpt(k);
  const c = cart(`R${k.iuv}`, [r]);
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  const idSession = new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
  await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione: 'paga', psp: 'CLLDITMM001|99999000001_01' }), redirect: 'manual' });
  const rt = rtOf(r, 'positive', w.clock.now());
  expect((await w.pspCall('nodoInviaRT', invioRt(rt))).esito).toBe('OK');
  return { k, rt };
}

const keysOf = (k: { iuv: string; ccp: string }) => ({ identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
const pspIds = { identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password };
const revoca = (k: { iuv: string; ccp: string }, rr: Rr) => w.pspCall('nodoInviaRichiestaRevoca', { ...pspIds, ...keysOf(k), rr: toBase64(rrXml(rr)) });
const risposta = (k: { iuv: string; ccp: string }, rr: Rr, outcome: 'accepted' | 'refused' = 'accepted') => w.pa('nodoInviaRispostaRevoca', { ...paIds(), ...keysOf(k), er: toBase64(erXml(erFor(rr, { now: w.clock.now(), outcome }))) });
const storno = (k: { iuv: string; ccp: string }, rr: Rr) => w.pa('nodoInviaRichiestaStorno', { ...paIds(), ...keysOf(k), rr: toBase64(rrXml(rr)) });
const esitoStorno = (k: { iuv: string; ccp: string }, rr: Rr) => w.pspCall('nodoInviaEsitoStorno', { ...pspIds, ...keysOf(k), er: toBase64(erXml(erFor(rr, { now: w.clock.now(), outcome: 'accepted' }))) });

describe('revoca (PSP-initiated)', () => {
  it('RR to the EC, ER to the PSP: Pagamento revocato; the same RR or ER again: PPT_RR_DUPLICATA / PPT_ER_DUPLICATA', async () => {
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now(), tipoRevoca: '2' });
    expect((await revoca(k, rr)).esito).toBe('OK');
    expect(w.ec.seen.at(-1)?.op).toBe('paaInviaRichiestaRevoca');
    expect((await revoca(k, rr)).fault?.faultCode).toBe('PPT_RR_DUPLICATA');
    expect((await risposta(k, rr)).esito).toBe('OK');
    expect(w.psp.seen.at(-1)?.op).toBe('pspInviaRispostaRevoca');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.revoca?.state).toBe('Pagamento revocato');
    expect((await risposta(k, rr)).fault?.faultCode).toBe('PPT_ER_DUPLICATA');
  });

  it('annullo tecnico (OLD-REV-AT-01): after RR tipoRevoca 1 and the EC’s ER, the replacing RT needs forzaControlloSegno=1 and reaches the EC (V-21)', async () => {
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now(), tipoRevoca: '1' });
    expect((await revoca(k, rr)).esito).toBe('OK');
    expect((await risposta(k, rr)).esito).toBe('OK');
    const rpt0 = w.nodo.rpt(EC, k.iuv, k.ccp)!;
    const negative = rtOf(rpt0.rpt.doc, 'negative', w.clock.now());
    negative.identificativoMessaggioRicevuta = `${rt.identificativoMessaggioRicevuta.slice(0, 30)}-AT`;
    expect((await w.pspCall('nodoInviaRT', invioRt(negative))).fault?.faultCode).toBe('PPT_RT_DUPLICATA');
    const before = w.ec.seen.filter((s) => s.op === 'paaInviaRT').length;
    expect((await w.pspCall('nodoInviaRT', invioRt(negative, { forza: true }))).esito).toBe('OK');
    expect(w.ec.seen.filter((s) => s.op === 'paaInviaRT').length).toBe(before + 1);
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt).toMatchObject({ codiceEsito: '1', forced: true });
  });

  it('no RT delivered to the EC: PPT_OPER_NON_REVOCABILE; an ER with no RR: PPT_RR_SCONOSCIUTA', async () => {
    const k = keys();
    const rt = rtOf(rpt(k), 'positive', w.clock.now());
    expect((await revoca(k, rrFor(rt, { now: w.clock.now(), tipoRevoca: '2' }))).fault?.faultCode).toBe('PPT_OPER_NON_REVOCABILE');
    const { k: k2, rt: rt2 } = await paid();
    expect((await risposta(k2, rrFor(rt2, { now: w.clock.now(), tipoRevoca: '2' }))).fault?.faultCode).toBe('PPT_RR_SCONOSCIUTA');
  });

  it('an RR without tipoRevoca: PPT_SEMANTICA', async () => {
    const { k, rt } = await paid();
    expect((await revoca(k, rrFor(rt, { now: w.clock.now() }))).fault?.faultCode).toBe('PPT_SEMANTICA');
  });

  it('the EC refuses: PPT_ERRORE_EMESSO_DA_PAA (Revoca Rifiutata); the PSP refuses the ER: PPT_CANALE_ERRORE (Esito Revoca Rifiutata)', async () => {
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now(), tipoRevoca: '2' });
    w.ec.script.paaInviaRichiestaRevoca = () => ({ ko: { faultCode: 'PAA_OPER_NON_REVOCABILE', id: EC } });
    try {
      const a = await revoca(k, rr);
      expect(a.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', originalFaultCode: 'PAA_OPER_NON_REVOCABILE' });
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.revoca?.state).toBe('Revoca Rifiutata');
    } finally {
      delete w.ec.script.paaInviaRichiestaRevoca;
    }
    expect((await revoca(k, rr)).esito).toBe('OK');
    w.psp.script.pspInviaRispostaRevoca = () => ({ ko: { faultCode: 'CANALE_ER_DUPLICATA', id: PSP.idPSP } });
    try {
      const a = await risposta(k, rr);
      expect(a.fault).toMatchObject({ faultCode: 'PPT_CANALE_ERRORE', id: PSP.idPSP, originalFaultCode: 'CANALE_ER_DUPLICATA' });
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.revoca?.state).toBe('Esito Revoca Rifiutata');
    } finally {
      delete w.psp.script.pspInviaRispostaRevoca;
    }
  });
});

describe('storno (EC-initiated)', () => {
  it('RR to the PSP, ER to the EC: RT Stornata; again: PPT_RR_DUPLICATA / PPT_ER_DUPLICATA', async () => {
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now() });
    expect((await storno(k, rr)).esito).toBe('OK');
    expect(w.psp.seen.at(-1)?.op).toBe('pspInviaRichiestaStorno');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.storno?.state).toBe('Richiesta Storno Inviata');
    expect((await storno(k, rr)).fault?.faultCode).toBe('PPT_RR_DUPLICATA');
    expect((await esitoStorno(k, rr)).esito).toBe('OK');
    expect(w.ec.seen.at(-1)?.op).toBe('paaInviaEsitoStorno');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.storno?.state).toBe('RT Stornata');
    expect((await esitoStorno(k, rr)).fault?.faultCode).toBe('PPT_ER_DUPLICATA');
  });

  it('no positive RT: PPT_RT_SCONOSCIUTA; a PSP without storno: PPT_OPER_NON_STORNABILE; an ER with no storno: PPT_RR_SCONOSCIUTA', async () => {
    const k = keys();
    const rt = rtOf(rpt(k), 'positive', w.clock.now());
    expect((await storno(k, rrFor(rt, { now: w.clock.now() }))).fault?.faultCode).toBe('PPT_RT_SCONOSCIUTA');
    const { k: k2, rt: rt2 } = await paid();
    w.reg.channels[0]!.storno = false;
    try {
      expect((await storno(k2, rrFor(rt2, { now: w.clock.now() }))).fault?.faultCode).toBe('PPT_OPER_NON_STORNABILE');
    } finally {
      w.reg.channels[0]!.storno = true;
    }
    expect((await esitoStorno(k2, rrFor(rt2, { now: w.clock.now() }))).fault?.faultCode).toBe('PPT_RR_SCONOSCIUTA');
  });

  it('the PSP refuses the RR: PPT_CANALE_ERRORE (Storno Rifiutato); the EC times out on the ER: PPT_STAZIONE_INT_PA_TIMEOUT, the storno stays Richiesta Storno Inviata', async () => {
    const { k, rt } = await paid();
    const rr = rrFor(rt, { now: w.clock.now() });
    w.psp.script.pspInviaRichiestaStorno = () => ({ ko: { faultCode: 'CANALE_OPER_NON_STORNABILE', id: PSP.idPSP } });
    try {
      expect((await storno(k, rr)).fault).toMatchObject({ faultCode: 'PPT_CANALE_ERRORE', originalFaultCode: 'CANALE_OPER_NON_STORNABILE' });
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.storno?.state).toBe('Storno Rifiutato');
    } finally {
      delete w.psp.script.pspInviaRichiestaStorno;
    }
    expect((await storno(k, rr)).esito).toBe('OK');
    w.ec.script.paaInviaEsitoStorno = () => ({ lateMs: w.nodo.timeouts.paaRevocaStorno + 1, then: { paaInviaEsitoStornoRisposta: { esito: 'OK' } } });
    try {
      expect((await esitoStorno(k, rr)).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.storno?.state).toBe('Richiesta Storno Inviata');
    } finally {
      delete w.ec.script.paaInviaEsitoStorno;
    }
  });
});
