// The reference Nodo's PULL queue against a stub PSP (actors/nodo/old/pull.ts; OLD-RT-PULL-01/02,
// TR-09, TR-45): pspChiediListaRT, pspChiediRT, the nodoInviaRT checks, pspInviaAckRT with ACTC (the
// RT taken and delivered to the EC) or RJCT with codiceErrore; the retry-and-PULL path end to end on
// the virtual clock; and pspChiediAvanzamentoRPT (OLD-RT-ADV-01/02).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rt, rptXml, rtXml, toBase64 } from '../domain/old/index.js';
import { OLD_PULL_POLL_WAITS_MS, OLD_RT_RETRY_WAITS_MS } from '../domain/timeouts.js';
import { soapCall } from '../src/wire/http.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import type { El } from '../src/wire/xml.js';
import { OPERATIONS } from '../interfaces/index.js';
import { BROKER, EC, PASSWORD, PSP, STATION, type World, invioRt, keys, rpt, rtOf, world } from './support/old-nodo.js';

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
  return { r, keys: { idDominio: EC, iuv: k.iuv, ccp: k.ccp } };
}

/** The stub PSP's PULL queue: these RTs listed and served. */
function queue(rts: { keys: { idDominio: string; iuv: string; ccp: string }; xml: string }[]): void {
  w.psp.script.pspChiediListaRT = () => ({ pspChiediListaRTResponse: { elementoListaRTResponse: rts.map((x) => ({ identificativoDominio: x.keys.idDominio, identificativoUnivocoVersamento: x.keys.iuv, codiceContestoPagamento: x.keys.ccp })) } });
  w.psp.script.pspChiediRT = (body) => {
    const x = rts.find((y) => y.keys.iuv === body.children.find((c) => c.name === 'identificativoUnivocoVersamento')?.text);
    return x ? { pspChiediRTResponse: { tipoFirma: '0', rt: toBase64(x.xml) } } : { ko: { faultCode: 'CANALE_RT_SCONOSCIUTA', id: PSP.idPSP } };
  };
}
const path = (el: El | undefined, ...names: string[]): string | undefined => {
  let e = el;
  for (const n of names) e = e?.children.find((c) => c.name === n);
  return e?.text;
};
const lastAck = () => w.psp.seen.filter((s) => s.op === 'pspInviaAckRT').at(-1)!.body.children.find((c) => c.name === 'ackRT');

describe('pullRts', () => {
  it('a valid RT: listed, fetched, ACTC naming the RT, taken and delivered to the EC; the RT journaled as its own entry', async () => {
    const { r, keys: k } = await atPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    queue([{ keys: k, xml: rtXml(rt) }]);
    const report = await w.nodo.rtPull.pullRts(PSP.idChannel);
    expect(report.list).toMatchObject({ outcome: 'ok', items: [k] });
    expect(report.rts).toHaveLength(1);
    expect(report.rts[0]).toMatchObject({ fetched: { outcome: 'ok', idMessaggioRicevuta: rt.identificativoMessaggioRicevuta }, ack: { stato: 'ACTC', answer: 'ok' }, taken: true });
    const ack = lastAck();
    expect(path(ack, 'informazioniStatoMessaggioReferenziato', 'statoMessaggioReferenziato')).toBe('ACTC');
    expect(path(ack, 'datiMessaggioReferenziato', 'identificativoMessaggioReferenziato')).toBe(rt.identificativoMessaggioRicevuta);
    expect(path(ack, 'mittenteACK')).toBe('NodoDeiPagamentiSPC');
    const list = w.psp.seen.filter((s) => s.op === 'pspChiediListaRT').at(-1)!;
    expect(path(list.body, 'identificativoRichiedente')).toBe(PSP.idPSP);
    const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
    expect(d.state).toBe('delivered');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RT_ACCETTATA_PA');
    expect(w.journal.entries.some((e) => e.primitive === 'pspChiediRT#RT' && e.correlation.iuv === k.iuv)).toBe(true);
    expect(w.nodo.rtPull.observations(k).at(-1)).toMatchObject({ listed: true });
  });

  it('an RT that contradicts its RPT, one that breaks its XSD, a second RT for a paid RPT: RJCT with the V-rule as codiceErrore, nothing taken', async () => {
    const a = await atPsp();
    const bad = rtOf(a.r, 'positive', w.clock.now());
    bad.riferimentoMessaggioRichiesta = 'ALTRO';
    const b = await atPsp();
    const broken = rtXml(rtOf(b.r, 'positive', w.clock.now())).replace(/<(\w+:)?codiceEsitoPagamento>0</, '<$1codiceEsitoPagamento>X<');
    const c = await atPsp();
    const dup = rtOf(c.r, 'positive', w.clock.now());
    const pushed = await soapCall({ url: w.nodo.urls.nodoPerPsp, op: OPERATIONS.nodoInviaRT!, envelope: encodeEnvelope(OPERATIONS.nodoInviaRT!, 'request', invioRt(dup)), from: 'psp', to: 'nodo', timeoutMs: 30_000, clock: w.clock });
    expect(pushed.status).toBe(200);
    const second = { ...dup, identificativoMessaggioRicevuta: `${dup.identificativoMessaggioRicevuta.slice(0, 30)}-BIS` };
    queue([{ keys: a.keys, xml: rtXml(bad) }, { keys: b.keys, xml: broken }, { keys: c.keys, xml: rtXml(second) }]);
    const report = await w.nodo.rtPull.pullRts(PSP.idChannel);
    expect(report.rts.map((x) => [x.ack?.stato, x.ack?.codiceErrore, x.ack?.faultCode, x.taken])).toEqual([
      ['RJCT', 'V-20', 'PPT_SEMANTICA', false],
      ['RJCT', 'V-01', 'PPT_SINTASSI_XSD', false],
      ['RJCT', 'V-19', 'PPT_RT_DUPLICATA', false],
    ]);
    const rjct = w.psp.seen.filter((s) => s.op === 'pspInviaAckRT').slice(-3).map((s) => s.body.children.find((x) => x.name === 'ackRT'));
    expect(rjct.map((x) => path(x, 'informazioniStatoMessaggioReferenziato', 'motivazioneStatoErrato', 'codiceErrore'))).toEqual(['V-20', 'V-01', 'V-19']);
    expect(path(rjct[0], 'informazioniStatoMessaggioReferenziato', 'motivazioneStatoErrato', 'InformazioniAggiuntive')).toBe('PPT_SEMANTICA');
    expect(w.nodo.rpt(EC, a.keys.iuv, a.keys.ccp)?.rt).toBeUndefined();
    expect(w.nodo.rpt(EC, b.keys.iuv, b.keys.ccp)?.stato).toBe('RPT_ACCETTATA_PSP');
  });

  it('the RT the Nodo already holds (its push answered PPT_STAZIONE_INT_PA_TIMEOUT, then queued by the PSP): ACTC, not taken twice; another RT for it: RJCT V-19', async () => {
    const { r, keys: k } = await atPsp();
    w.ec.script.paaInviaRT = () => ({ lateMs: w.nodo.timeouts.paaInviaRT + 1, then: { paaInviaRTRisposta: { esito: 'OK' } } });
    const rt = rtOf(r, 'positive', w.clock.now());
    try {
      expect((await w.pspCall('nodoInviaRT', invioRt(rt))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    } finally {
      delete w.ec.script.paaInviaRT;
    }
    const deliveries = w.nodo.deliveries((d) => d.iuv === k.iuv).length;
    queue([{ keys: k, xml: rtXml(rt) }]);
    const report = await w.nodo.rtPull.pullRts(PSP.idChannel);
    expect(report.rts[0]).toMatchObject({ ack: { stato: 'ACTC' }, held: true, taken: false });
    expect(w.nodo.deliveries((d) => d.iuv === k.iuv)).toHaveLength(deliveries);
    const other = rtOf(r, 'positive', w.clock.now());
    other.identificativoMessaggioRicevuta = `${rt.identificativoMessaggioRicevuta.slice(0, 30)}-BIS`;
    queue([{ keys: k, xml: rtXml(other) }]);
    expect((await w.nodo.rtPull.pullRts(PSP.idChannel)).rts[0]?.ack).toMatchObject({ stato: 'RJCT', codiceErrore: 'V-19', faultCode: 'PPT_RT_DUPLICATA' });
  });

  it('an empty queue (CANALE_RT_NON_DISPONIBILE or no element), a KO, a PSP that does not answer', async () => {
    w.psp.script.pspChiediListaRT = () => ({ ko: { faultCode: 'CANALE_RT_NON_DISPONIBILE', id: PSP.idPSP } });
    expect((await w.nodo.rtPull.pullRts(PSP.idChannel)).list.outcome).toBe('empty');
    w.psp.script.pspChiediListaRT = () => ({ pspChiediListaRTResponse: {} });
    expect((await w.nodo.rtPull.pullRts(PSP.idChannel)).list).toEqual({ outcome: 'empty', items: [] });
    w.psp.script.pspChiediListaRT = () => ({ ko: { faultCode: 'CANALE_RICHIEDENTE_ERRATO', id: PSP.idPSP } });
    expect((await w.nodo.rtPull.pullRts(PSP.idChannel)).list).toMatchObject({ outcome: 'ko', faultCode: 'CANALE_RICHIEDENTE_ERRATO' });
    w.psp.script.pspChiediListaRT = () => ({ lateMs: w.nodo.timeouts.psp + 1, then: { pspChiediListaRTResponse: {} } });
    const r = await w.nodo.rtPull.pullRts(PSP.idChannel);
    expect(r.list.outcome).toBe('failed');
    expect(r.list.reason).toContain('timeout');
    await expect(w.nodo.rtPull.pullRts('NO_SUCH_CHANNEL')).rejects.toThrow(/not registered/);
  });

  it('pullConfigured pulls the channels configured for PULL only', async () => {
    w.psp.script.pspChiediListaRT = () => ({ pspChiediListaRTResponse: {} });
    const ch = w.reg.channels.find((c) => c.idChannel === PSP.idChannel)!;
    expect(await w.nodo.rtPull.pullConfigured()).toEqual([]);
    ch.rtMode = 'pull';
    try {
      const reports = await w.nodo.rtPull.pullConfigured();
      expect(reports.map((r) => [r.idChannel, r.list.outcome])).toEqual([[PSP.idChannel, 'empty']]);
    } finally {
      delete ch.rtMode;
    }
  });

  it('retry and PULL on the virtual clock: six pushes unanswered on TR-08, the RT then in the PULL queue, taken with ACTC; every rule passes', async () => {
    const { r, keys: k } = await atPsp();
    const started = performance.now();
    w.nodo.rtPushes.script(k, Array.from({ length: 6 }, () => ({ kind: 'no-answer' as const })));
    const rt: Rt = rtOf(r, 'positive', w.clock.now());
    const op = OPERATIONS.nodoInviaRT!;
    for (const wait of [...OLD_RT_RETRY_WAITS_MS, undefined]) {
      const res = await soapCall({ url: w.nodo.urls.nodoPerPsp, op, envelope: encodeEnvelope(op, 'request', invioRt(rt)), from: 'psp', to: 'nodo', timeoutMs: 16_000, clock: w.clock });
      expect(res.transport).not.toBe('ok');
      if (wait !== undefined) await w.clock.sleep(wait);
    }
    queue([{ keys: k, xml: rtXml(rt) }]);
    const report = await w.nodo.rtPull.pullRts(PSP.idChannel);
    expect(report.rts[0]?.ack?.stato).toBe('ACTC');
    const j = w.nodo.rtPushes.judge(k, w.nodo.rtPull.observations(k), { callerWaitMs: 16_000 });
    expect(Object.fromEntries(j.rules.map((x) => [x.rule, x.verdict]))).toEqual({ 'retry-schedule': 'pass', 'retry-count': 'pass', 'stop-on-answer': 'not-exercised', 'same-rt': 'pass', 'pull-fallback': 'pass' });
    expect(j.readings).toEqual(['6 sends']);
    expect((await w.nodo.waitDelivery(EC, k.iuv, k.ccp)).state).toBe('delivered');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('pollFor: the Nodo polls a PULL channel for one RT on OLD_PULL_POLL_WAITS_MS', () => {
  it('at once, then after 5, 10, 20 s … until the RT is taken; an RT taken by an earlier round is not asked for again', async () => {
    const { r, keys: k } = await atPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    let lists = 0;
    // the PSP queues the RT only from its fourth list on
    w.psp.script.pspChiediListaRT = () => (++lists < 4 ? { pspChiediListaRTResponse: {} } : { pspChiediListaRTResponse: { elementoListaRTResponse: [{ identificativoDominio: k.idDominio, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp }] } });
    w.psp.script.pspChiediRT = () => ({ pspChiediRTResponse: { tipoFirma: '0', rt: toBase64(rtXml(rt)) } });
    const started = performance.now();
    const poll = await w.nodo.rtPull.pollFor(PSP.idChannel, (x) => x.iuv === k.iuv && x.ccp === k.ccp, { idPSP: PSP.idPSP });
    expect(poll.rounds.map((x) => x.at - poll.rounds[0]!.at)).toEqual([0, 5000, 15000, 35000]);
    expect(OLD_PULL_POLL_WAITS_MS).toEqual(OLD_RT_RETRY_WAITS_MS);
    expect(poll.rt).toMatchObject({ taken: true, ack: { stato: 'ACTC', answer: 'ok' } });
    expect(performance.now() - started).toBeLessThan(1000);
    const again = await w.nodo.rtPull.pollFor(PSP.idChannel, (x) => x.iuv === k.iuv, { idPSP: PSP.idPSP });
    expect(again).toMatchObject({ rounds: [], earlier: true, rt: { taken: true } });
    expect(lists).toBe(4);
  });

  it('an RT never queued: 1 + 5 rounds over 155 s of the schedule, then no RT (lost)', async () => {
    w.psp.script.pspChiediListaRT = () => ({ pspChiediListaRTResponse: {} });
    const poll = await w.nodo.rtPull.pollFor(PSP.idChannel, (x) => x.iuv === 'NEVER', { idPSP: PSP.idPSP });
    expect(poll.rounds).toHaveLength(1 + OLD_PULL_POLL_WAITS_MS.length);
    expect(poll.rounds.at(-1)!.at - poll.rounds[0]!.at).toBe(155_000);
    expect(poll.rt).toBeUndefined();
  });
});

describe('pspChiediAvanzamentoRPT', () => {
  it('an RPT at the PSP: OK with its state as asked; a KO CANALE_RPT_SCONOSCIUTA for it is a problem', async () => {
    const { keys: k } = await atPsp();
    w.psp.script.pspChiediAvanzamentoRPT = () => ({ pspChiediAvanzamentoRPTResponse: { value: 'RPT_IN_LAVORAZIONE' } });
    const a = await w.nodo.chiediAvanzamentoRPT(k);
    expect(a).toMatchObject({ outcome: 'ok', value: 'RPT_IN_LAVORAZIONE', expected: ['state'], problems: [], idChannel: PSP.idChannel });
    const seen = w.psp.seen.filter((s) => s.op === 'pspChiediAvanzamentoRPT').at(-1)!;
    expect(path(seen.body, 'identificativoUnivocoVersamento')).toBe(k.iuv);
    w.psp.script.pspChiediAvanzamentoRPT = () => ({ ko: { faultCode: 'CANALE_RPT_SCONOSCIUTA', id: PSP.idPSP } });
    const b = await w.nodo.chiediAvanzamentoRPT(k);
    expect(b.outcome).toBe('ko');
    expect(b.problems[0]).toContain('CANALE_RPT_SCONOSCIUTA');
    // the Italian view says the same problem: one for one, the same fault code
    expect(b.problemsIt).toHaveLength(b.problems.length);
    expect(b.problemsIt[0]).toMatch(/^KO CANALE_RPT_SCONOSCIUTA, ma atteso lo stato/);
    w.psp.script.pspChiediAvanzamentoRPT = () => ({ pspChiediAvanzamentoRPTResponse: {} });
    const c = await w.nodo.chiediAvanzamentoRPT(k);
    expect(c.problems[0]).toContain('without the state');
    expect(c.problemsIt).toEqual(['esito OK senza lo stato della RPT in <value> (L2405)']);
  });

  it('an RPT the Nodo never sent there: CANALE_RPT_SCONOSCIUTA is what the spec asks', async () => {
    const k = { idDominio: EC, ...keys() };
    w.psp.script.pspChiediAvanzamentoRPT = () => ({ ko: { faultCode: 'CANALE_RPT_SCONOSCIUTA', id: PSP.idPSP, description: 'mai vista' } });
    const a = await w.nodo.chiediAvanzamentoRPT(k, { idChannel: PSP.idChannel });
    expect(a).toMatchObject({ outcome: 'ko', faultCode: 'CANALE_RPT_SCONOSCIUTA', expected: ['CANALE_RPT_SCONOSCIUTA'], problems: [] });
    await expect(w.nodo.chiediAvanzamentoRPT({ idDominio: EC, ...keys() })).rejects.toThrow(/no such RPT/);
  });
});
