// The reference Nodo's scripted answers to a PSP's nodoInviaRT (issue 11 item 3; actors/nodo/old/
// push-script.ts): no answer, a late answer, PPT_STAZIONE_INT_PA_TIMEOUT, a transport fault, each
// push recorded (clock time, RT digest, answer) and judged against TR-08; the whole retry schedule on
// the virtual clock. Also the held answer of src/wire/http.ts on the real clock (the caller gives up).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { type CallResult, type HoldEnd, soapCall, startSoapServer } from '../src/wire/http.js';
import { encodeEnvelope, outcomeOf, readFault } from '../src/wire/soap.js';
import { type Rt, rptXml, toBase64 } from '../domain/old/index.js';
import { OPERATIONS } from '../interfaces/index.js';
import { BROKER, EC, PASSWORD, PSP, STATION, type World, invioRt, keys, rpt, rtOf, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

const PSP_WAIT = 16_000;
const op = OPERATIONS.nodoInviaRT!;

/** An RPT the Nodo forwarded to the harness PSP (model 0, the PSP named): its RT may be pushed. */
async function atPsp() {
  const k = keys();
  const r = rpt(k);
  const header = { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp };
  const a = await w.pa('nodoInviaRPT', { password: PASSWORD, identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, rpt: toBase64(rptXml(r)) }, header);
  expect(a.esito).toBe('OK');
  return { k, r, keys: { idDominio: EC, iuv: k.iuv, ccp: k.ccp } };
}

/** One push as a PSP makes it: its own wait, the raw result. */
function push(rt: Rt): Promise<CallResult> {
  return soapCall({ url: w.nodo.urls.nodoPerPsp, op, envelope: encodeEnvelope(op, 'request', invioRt(rt)), from: 'psp', to: 'nodo', timeoutMs: PSP_WAIT, clock: w.clock });
}
const answerOf = (r: CallResult) => (r.decoded?.ok ? { esito: outcomeOf(r.decoded.msg.body, op), fault: readFault(r.decoded.msg.body, op) } : undefined);
const deliveries = () => w.ec.seen.filter((s) => s.op === 'paaInviaRT').length;

describe('scripted answers to nodoInviaRT', () => {
  it('two pushes without answer, then the Nodo answers: the PSP retrying on TR-08 passes, the RT is delivered once; in well under a second', async () => {
    const { r, keys: k } = await atPsp();
    const started = performance.now();
    w.nodo.rtPushes.script(k, [{ kind: 'no-answer' }, { kind: 'no-answer' }]);
    const rt = rtOf(r, 'positive', w.clock.now());
    const before = deliveries();
    const results: CallResult[] = [];
    for (const waitMs of [5000, 10000, 0]) {
      const res = await push(rt);
      results.push(res);
      if (answerOf(res)) break;
      await w.clock.sleep(waitMs);
    }
    expect(results.map((x) => x.transport)).toEqual(['reset', 'reset', 'ok']);
    expect(answerOf(results[2]!)?.esito).toBe('OK');
    expect(deliveries()).toBe(before + 1);
    const attempts = w.nodo.rtPushes.attempts(k);
    expect(attempts.map((a) => [a.n, a.scripted.kind, a.answer.kind, a.endedAt - a.at])).toEqual([
      [1, 'no-answer', 'none', PSP_WAIT],
      [2, 'no-answer', 'none', PSP_WAIT],
      [3, 'process', 'answered', 0],
    ]);
    expect(new Set(attempts.map((a) => a.digest)).size).toBe(1);
    expect(attempts[0]!.idMessaggioRicevuta).toBe(rt.identificativoMessaggioRicevuta);
    expect(attempts[1]!.at - attempts[0]!.endedAt).toBe(5000);
    const j = w.nodo.rtPushes.judge(k, [], { callerWaitMs: PSP_WAIT });
    expect(j.rules.find((x) => x.rule === 'retry-schedule')?.verdict).toBe('pass');
    expect(j.rules.find((x) => x.rule === 'stop-on-answer')?.verdict).toBe('pass');
    // the Nodo's journal shows the withheld answers as such
    const lost = w.journal.entries.filter((e) => e.primitive === 'nodoInviaRT' && e.direction === 'response' && e.transport === 'no-answer');
    expect(lost.length).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a retry that comes too early is judged so, naming the wait kept and asked', async () => {
    const { r, keys: k } = await atPsp();
    w.nodo.rtPushes.script(k, [{ kind: 'no-answer' }]);
    const rt = rtOf(r, 'positive', w.clock.now());
    await push(rt);
    await w.clock.sleep(1000);
    expect(answerOf(await push(rt))?.esito).toBe('OK');
    const v = w.nodo.rtPushes.judge(k).rules.find((x) => x.rule === 'retry-schedule')!;
    expect(v.verdict).toBe('fail');
    expect(v.reasons[0]).toContain('TR-08 asks 5 s');
  });

  it('PPT_STAZIONE_INT_PA_TIMEOUT and _IRRAGGIUNGIBILE as scripted: a KO at once, the RT not taken', async () => {
    const { r, keys: k } = await atPsp();
    w.nodo.rtPushes.script(k, [{ kind: 'fault', faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT' }, { kind: 'fault', faultCode: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', description: 'station down' }]);
    const rt = rtOf(r, 'positive', w.clock.now());
    const before = deliveries();
    expect(answerOf(await push(rt))?.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', id: 'NodoDeiPagamentiSPC' });
    expect(answerOf(await push(rt))?.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', description: 'station down' });
    expect(deliveries()).toBe(before);
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt).toBeUndefined();
    expect(w.nodo.rtPushes.attempts(k).map((a) => a.faultCode)).toEqual(['PPT_STAZIONE_INT_PA_TIMEOUT', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE']);
    // past the script, the Nodo's own handling
    expect(answerOf(await push(rt))?.esito).toBe('OK');
  });

  it('a late answer after the PSP gave up: the Nodo took the RT, the PSP saw a timeout, its retry gets PPT_RT_DUPLICATA', async () => {
    const { r, keys: k } = await atPsp();
    w.nodo.rtPushes.script(k, [{ kind: 'late', delayMs: PSP_WAIT + 4000 }]);
    const rt = rtOf(r, 'positive', w.clock.now());
    const first = await push(rt);
    expect(first.transport).toBe('timeout');
    expect(first.late).toBe(true);
    await w.clock.sleep(5000);
    expect(answerOf(await push(rt))?.fault?.faultCode).toBe('PPT_RT_DUPLICATA');
    const [a1] = w.nodo.rtPushes.attempts(k);
    expect(a1!.answer).toEqual({ kind: 'answered', esito: 'OK' });
    expect(a1!.endedAt - a1!.at).toBe(PSP_WAIT + 4000);
    const j = w.nodo.rtPushes.judge(k, [], { callerWaitMs: PSP_WAIT });
    expect(j.attempts[0]!.answered).toBe(false);
    expect(j.rules.find((x) => x.rule === 'retry-schedule')?.verdict).toBe('pass');
  });

  it('no answer with the RT taken (the answer lost), and a transport fault: HTTP 500, recorded as unusable', async () => {
    const { r, keys: k } = await atPsp();
    w.nodo.rtPushes.script(k, [{ kind: 'transport', fault: { kind: 'http500', soapFault: true } }, { kind: 'no-answer', process: true, holdMs: 3000 }]);
    const rt = rtOf(r, 'positive', w.clock.now());
    const first = await push(rt);
    expect(first.status).toBe(500);
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt).toBeUndefined();
    const second = await push(rt);
    expect(second.transport).not.toBe('ok');
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.rt?.idMessaggio).toBe(rt.identificativoMessaggioRicevuta);
    const [a1, a2] = w.nodo.rtPushes.attempts(k);
    expect(a1!.answer).toEqual({ kind: 'unusable', what: 'http500' });
    expect([a2!.answer.kind, a2!.endedAt - a2!.at]).toEqual(['none', 3000]);
  });

  it('waitAttempts resolves on the pushes that ended, and rejects naming the count when they do not come', async () => {
    const { r, keys: k } = await atPsp();
    const waiting = w.nodo.rtPushes.waitAttempts(k, 1, 5000);
    await push(rtOf(r, 'positive', w.clock.now()));
    expect((await waiting).map((a) => a.n)).toEqual([1]);
    await expect(w.nodo.rtPushes.waitAttempts(k, 2, 20)).rejects.toThrow(/1 of 2 pushes/);
  });
});

describe('a held answer on the real clock', () => {
  it('ends when the caller closes the connection, and says so', async () => {
    const clock = new RealClock();
    const ended: HoldEnd[] = [];
    const server = await startSoapServer({ name: 'nodo', clock, handle: async () => ({ status: 200, body: '<x/>', hold: { ms: 5000, drop: 'close', ended: (e) => ended.push(e) } }) });
    try {
      const t0 = Date.now();
      const r = await soapCall({ url: server.url, op, envelope: encodeEnvelope(op, 'request', invioRt(rtOf(rpt(keys()), 'positive', Date.now()))), from: 'psp', to: 'nodo', timeoutMs: 150, clock });
      expect(r.transport).toBe('timeout');
      for (let i = 0; i < 100 && !ended.length; i++) await new Promise((res) => setImmediate(res));
      await new Promise((res) => setTimeout(res, 50));
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatchObject({ by: 'caller', answered: false });
      expect(ended[0]!.at - t0).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });
});
