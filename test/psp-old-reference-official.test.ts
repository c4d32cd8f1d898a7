// Independent cross-check: every answer the reference PSP's PspPerNodo gives and every request it
// sends to NodoPerPsp (with the RTs, RRs and ERs they carry), validated against the official WSDLs'
// schemas (gad/wsdl) rather than ours.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ackFor, erFor, erXml, fromBase64, readRr, readRt, rrFor, rrXml, toBase64 } from '../domain/old/index.js';
import { officialMissing } from '../src/core/paths.js';
import { textOf } from '../src/wire/xml.js';
import { officialVerdict } from './psp-old-support.js';
import { hasOfficialWsdl, readOfficialWsdl } from './support/official-old.js';
import { NOTICE, ackContent, cartPaid, cartRequest, dati, type Env, ko, newRpt, nodoCallsPsp, rptAfterActivation, startEnv } from './psp-old-reference-support.js';

const OFFICIAL = hasOfficialWsdl('PspPerNodo') && hasOfficialWsdl('NodoPerPsp');
if (!OFFICIAL) console.warn(officialMissing('the reference PSP cross-check against the official WSDLs (gad/wsdl)'));

let env: Env;
const answers: { primitive: string; raw: string }[] = [];
const call = async (primitive: string, content: Record<string, unknown>) => {
  const r = await nodoCallsPsp(env.urls.pspPerNodoUrl, primitive, content as never, env.clock);
  answers.push({ primitive, raw: r.r.raw ?? '' });
  return r;
};
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => env.close());

it.runIf(OFFICIAL)('its answers (OK and KO) and its requests validate against the official schemas', async () => {
  // a cart paid, its RT pushed until the station is reported down, then fetched and acknowledged in PULL
  env.nodo.on('nodoInviaRT', ko('PPT_STAZIONE_INT_PA_TIMEOUT'), { esito: 'OK' });
  const rpt = newRpt(env);
  const sent = await call('pspInviaCarrelloRPT', cartRequest([rpt]));
  await call('pspInviaCarrelloRPT', cartRequest([rpt]));
  await fetch(`${env.urls.paymentPageUrl}/esito`, { method: 'POST', body: new URLSearchParams({ identificativoCarrello: textOf(sent.inner, 'identificativoCarrello')!, azione: 'paga' }), redirect: 'manual' });
  await env.psp.idle();
  const keys = { identificativoDominio: rpt.dominio.identificativoDominio, identificativoUnivocoVersamento: rpt.datiVersamento.identificativoUnivocoVersamento, codiceContestoPagamento: rpt.datiVersamento.codiceContestoPagamento };
  await call('pspChiediListaRT', { identificativoRichiedente: 'CLLDITMM001' });
  const rt = readRt(fromBase64(textOf((await call('pspChiediRT', keys)).inner, 'rt')!, 'RT'));
  await call('pspChiediRT', { ...keys, codiceContestoPagamento: 'NESSUNO' });
  await call('pspInviaAckRT', { ...keys, ackRT: ackContent(ackFor(rt, { now: env.clock.now(), mittenteACK: 'NodoDeiPagamentiSPC', mittenteMessaggioReferenziato: 'CLLDITMM001' })) });
  await call('pspChiediAvanzamentoRPT', keys);
  await call('pspChiediAvanzamentoRPT', { ...keys, codiceContestoPagamento: 'NESSUNO' });
  // storno and revoca
  const rr = rrFor(rt, { now: env.clock.now() });
  await call('pspInviaRichiestaStorno', { ...keys, rr: toBase64(rrXml(rr)) });
  await call('pspInviaRichiestaStorno', { ...keys, rr: toBase64(rrXml(rr)) });
  await env.psp.idle();
  const paid = await cartPaid(env);
  const k2 = { idDominio: paid.rpts[0]!.dominio.identificativoDominio, iuv: paid.rpts[0]!.datiVersamento.identificativoUnivocoVersamento, ccp: paid.rpts[0]!.datiVersamento.codiceContestoPagamento };
  await env.psp.old.revoca(k2, '1');
  const rrSent = readRr(fromBase64(textOf(env.nodo.of('nodoInviaRichiestaRevoca')[0]!.body, 'rr')!, 'RR'));
  const er = toBase64(erXml(erFor(rrSent, { now: env.clock.now(), outcome: 'accepted' })));
  const k2Body = { identificativoDominio: k2.idDominio, identificativoUnivocoVersamento: k2.iuv, codiceContestoPagamento: k2.ccp };
  await call('pspInviaRispostaRevoca', { ...k2Body, er });
  await call('pspInviaRispostaRevoca', { ...k2Body, er });
  await call('pspNotificaCancellazioneRPT', { ...k2Body, codiceContestoPagamento: 'NESSUNO' });
  await env.psp.idle();
  // a payment at the PSP: verify, activate, the RPT (pspInviaRPT), the RT
  env.nodo.on('nodoVerificaRPT', { esito: 'OK', ...dati('100.00') }).on('nodoAttivaRPT', { esito: 'OK', ...dati('100.00') });
  rptAfterActivation(env);
  await env.psp.old.payAtPsp(NOTICE, {});
  await env.psp.idle();
  const refused = newRpt(env, 5000);
  const { rptRequest } = await import('./psp-old-support.js');
  const r = await nodoCallsPsp(env.urls.pspPerNodoUrl, 'pspInviaRPT', rptRequest(refused, 4), env.clock);
  answers.push({ primitive: 'pspInviaRPT', raw: r.r.raw ?? '' });

  const requests = env.nodo.received.map((x) => ({ primitive: x.op, raw: x.raw }));
  expect(new Set(requests.map((x) => x.primitive))).toEqual(new Set(['nodoInviaRT', 'nodoInviaEsitoStorno', 'nodoInviaRichiestaRevoca', 'nodoVerificaRPT', 'nodoAttivaRPT']));
  // KOs too (the PULL and progress answers have no esito: their fault says it)
  expect(answers.filter((a) => a.raw.includes('faultCode>')).length).toBeGreaterThanOrEqual(7);
  const psp = readOfficialWsdl('PspPerNodo').schemas;
  const nodo = readOfficialWsdl('NodoPerPsp').schemas;
  const bad = [...answers.map((a) => [a.primitive, officialVerdict(a.raw, psp)] as const), ...requests.map((x) => [x.primitive, officialVerdict(x.raw, nodo)] as const)].filter(([, errs]) => errs.length);
  expect(bad).toEqual([]);
});
