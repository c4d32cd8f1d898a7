// The reference PSP's old-model channel configured for PULL (OldPspOptions.rtMode 'pull'): every RT
// goes straight into its PULL queue (TR-09) for the Nodo's pspChiediListaRT / pspChiediRT /
// pspInviaAckRT and is never pushed; ACTC takes it out (L2381), RJCT is answered OK and the RT leaves
// the list, archived (A-12 reading); the replacing RT of an annullo tecnico is still pushed, since only
// nodoInviaRT carries forzaControlloSegno (L2520). Against the scripted stub Nodo, on a virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { ackFor, erFor, erXml, fromBase64, readRt, toBase64 } from '../domain/old/index.js';
import { textOf } from '../src/wire/xml.js';
import { type Env, ackContent, cartPaid, nodoCallsPsp, startEnv } from './psp-old-reference-support.js';

const call = (env: Env, primitive: string, content: Record<string, unknown>) => nodoCallsPsp(env.urls.pspPerNodoUrl, primitive, content as never, env.clock);
const keysOf = (env: Env, i = 0) => {
  const r = env.psp.old.archive.rts[i]!;
  return { identificativoDominio: r.idDominio, identificativoUnivocoVersamento: r.iuv, codiceContestoPagamento: r.ccp };
};
const listed = async (env: Env) => (await call(env, 'pspChiediListaRT', { identificativoRichiedente: 'NodoDeiPagamentiSPC' })).inner?.children.filter((c) => c.name === 'elementoListaRTResponse').map((c) => textOf(c, 'identificativoUnivocoVersamento')) ?? [];

async function fetchAndAck(env: Env, rejection?: { codiceErrore: string }) {
  const k = keysOf(env);
  const got = await call(env, 'pspChiediRT', k);
  const rt = readRt(fromBase64(textOf(got.inner, 'rt')!, 'RT'));
  const ack = await call(env, 'pspInviaAckRT', { ...k, ackRT: ackContent(ackFor(rt, { now: env.clock.now(), mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001', rejection })) });
  return { rt, ack };
}

describe('reference PSP, old-model channel configured for PULL', () => {
  let env: Env | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('puts the RT of a paid cart in its PULL queue and never pushes it', async () => {
    env = await startEnv({ rtMode: 'pull' });
    const { rpts } = await cartPaid(env);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(0);
    expect(env.psp.old.archive.rts.map((r) => r.state)).toEqual(['pull']);
    expect(await listed(env)).toEqual([rpts[0]!.datiVersamento.identificativoUnivocoVersamento]);
  });

  it('keeps the RT listed after pspChiediRT until ACTC, then takes it out (L2381)', async () => {
    env = await startEnv({ rtMode: 'pull' });
    await cartPaid(env);
    await call(env, 'pspChiediRT', keysOf(env));
    expect(await listed(env)).toHaveLength(1);
    const { rt, ack } = await fetchAndAck(env);
    expect(rt.datiPagamento.codiceEsitoPagamento).toBe('0');
    expect(ack.esito).toBe('OK');
    expect(await listed(env)).toEqual([]);
    expect(env.psp.old.archive.rts[0]!.state).toBe('acked');
  });

  it('answers RJCT with esito OK (L2387); the rejected RT leaves the list and stays archived (A-12)', async () => {
    env = await startEnv({ rtMode: 'pull' });
    await cartPaid(env);
    const { ack } = await fetchAndAck(env, { codiceErrore: 'V-20' });
    expect(ack.esito).toBe('OK');
    expect(await listed(env)).toEqual([]);
    expect(env.psp.old.archive.rts[0]).toMatchObject({ state: 'rejected', reason: 'V-20' });
  });

  it('a negative RT (the payer cancelled) is queued the same way', async () => {
    env = await startEnv({ rtMode: 'pull' });
    await cartPaid(env, 'annulla');
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(0);
    const { rt } = await fetchAndAck(env);
    expect(rt.datiPagamento.codiceEsitoPagamento).toBe('1');
  });

  it('pushes the replacing RT of an annullo tecnico (forzaControlloSegno only travels with nodoInviaRT)', async () => {
    env = await startEnv({ rtMode: 'pull' });
    await cartPaid(env);
    await fetchAndAck(env);
    const k = keysOf(env);
    await env.psp.old.revoca({ idDominio: k.identificativoDominio, iuv: k.identificativoUnivocoVersamento, ccp: k.codiceContestoPagamento }, '1');
    const rr = env.psp.old.archive.revoche[0]!.rr;
    await call(env, 'pspInviaRispostaRevoca', { ...k, er: toBase64(erXml(erFor(rr, { now: env.clock.now(), outcome: 'accepted' }))) });
    await env.psp.idle();
    const pushes = env.nodo.of('nodoInviaRT');
    expect(pushes).toHaveLength(1);
    expect(textOf(pushes[0]!.body, 'forzaControlloSegno')).toBe('1');
    expect(await listed(env)).toEqual([]);
  });

  it('a push channel (the default) still pushes', async () => {
    env = await startEnv();
    await cartPaid(env);
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(1);
    expect(await listed(env)).toEqual([]);
  });
});
