// The reference PSP's channel of payment model 2 (authorisation managed by the PSP, OLD-EC-PAY-04,
// L1201, L1502, L1525-1529): a cart on it is taken without a redirect URL, paid when the payer
// authorises (trigger old-psp-authorise) — or at once under a manleva (ibanAddebito) — with one RT per RPT.
import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../src/wire/xml.js';
import type { Rpt } from '../domain/old/index.js';
import { AUTH_CHANNEL, EC, type Env, cartRequest, newRpt, nodoCallsPsp, startEnv, trigger } from './psp-old-reference-support.js';

const MANLEVA_IBAN = 'IT60X0542811101000000123456';
let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const authCart = (e: Env, rpts: Rpt[], over: Record<string, unknown> = {}) =>
  nodoCallsPsp(e.urls.pspPerNodoUrl, 'pspInviaCarrelloRPT', cartRequest(rpts, { identificativoCanale: AUTH_CHANNEL, modelloPagamento: 2, ...over }) as never, e.clock);

describe('reference PSP, old model: the channel of payment model 2', () => {
  it('takes the cart without parametriPagamentoImmediato and pushes no RT before the payer authorises', async () => {
    env = await startEnv();
    const a = await authCart(env, [newRpt(env), newRpt(env, 2500)]);
    expect(a.esito).toBe('OK');
    expect(textOf(a.inner, 'identificativoCarrello')).toBeTruthy();
    expect(textOf(a.inner, 'parametriPagamentoImmediato')).toBeUndefined();
    await env.psp.idle();
    expect(env.nodo.of('nodoInviaRT')).toHaveLength(0);
  });

  it('old-psp-authorise (by IUV) pushes a positive RT per RPT with the amounts of the RPTs', async () => {
    env = await startEnv();
    const rpts = [newRpt(env, 1500), newRpt(env, 2500)];
    await authCart(env, rpts);
    const r = await trigger(env, 'old-psp-authorise', { seat: 'psp', params: { iuv: rpts[1]!.datiVersamento.identificativoUnivocoVersamento, idDominio: EC } });
    expect(r.status).toBe(202);
    await env.psp.idle();
    const rts = env.nodo.rts();
    expect(rts.map((x) => [x.datiPagamento.identificativoUnivocoVersamento, x.datiPagamento.codiceEsitoPagamento, x.datiPagamento.importoTotalePagato])).toEqual(rpts.map((p) => [p.datiVersamento.identificativoUnivocoVersamento, '0', p.datiVersamento.importoTotaleDaVersare]));
    // the cart is over: a second authorisation is refused before the 202
    expect((await trigger(env, 'old-psp-authorise', { seat: 'psp', params: { iuv: rpts[0]!.datiVersamento.identificativoUnivocoVersamento } })).status).toBe(400);
  });

  it('old-psp-authorise with authorised false gives negative RTs; an unknown cart is a 400', async () => {
    env = await startEnv();
    const a = await authCart(env, [newRpt(env)]);
    expect((await trigger(env, 'old-psp-authorise', { seat: 'psp', params: { idCarrello: 'NOPE' } })).status).toBe(400);
    expect((await trigger(env, 'old-psp-authorise', { seat: 'psp', params: { idCarrello: textOf(a.inner, 'identificativoCarrello'), authorised: false } })).status).toBe(202);
    await env.psp.idle();
    expect(env.nodo.rts().map((x) => x.datiPagamento.codiceEsitoPagamento)).toEqual(['1']);
  });

  it('a manleva (ibanAddebito in every RPT) is debited at once: positive RTs with no trigger', async () => {
    env = await startEnv();
    const a = await authCart(env, [newRpt(env, 4000, (r) => void (r.datiVersamento.ibanAddebito = MANLEVA_IBAN))]);
    expect(textOf(a.inner, 'parametriPagamentoImmediato')).toBeUndefined();
    await env.psp.idle();
    expect(env.nodo.rts().map((x) => [x.datiPagamento.codiceEsitoPagamento, x.datiPagamento.importoTotalePagato])).toEqual([['0', 4000]]);
  });

  it('refuses a cart on the model-2 channel that does not say modelloPagamento 2, and a channel not its own', async () => {
    env = await startEnv();
    const wrongModel = await authCart(env, [newRpt(env)], { modelloPagamento: 1 });
    expect([wrongModel.esito, wrongModel.fault?.faultCode]).toEqual(['KO', 'CANALE_SEMANTICA']);
    const otherChannel = await authCart(env, [newRpt(env)], { identificativoCanale: '99999000001_99' });
    expect([otherChannel.esito, otherChannel.fault?.faultCode]).toEqual(['KO', 'CANALE_SEMANTICA']);
    // the redirect channel still answers with its page
    const page = await nodoCallsPsp(env.urls.pspPerNodoUrl, 'pspInviaCarrelloRPT', cartRequest([newRpt(env)]) as never, env.clock);
    expect(textOf(page.inner, 'parametriPagamentoImmediato')).toMatch(/^identificativoCarrello=/);
  });
});
