// The old-model reference EC against the real old-model reference Nodo (actors/nodo/old), both on
// real sockets and one VirtualClock: the portal's cart accepted by the Nodo with the WISP URL, a
// PSP-started payment (nodoAttivaRPT → paaAttivaRPT → the EC's RPT in time, then the RT delivered
// with paaInviaRT and a duplicate refused), the recovery queries the Nodo answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OldNodo } from '../actors/nodo/old/index.js';
import { OldPsp } from '../actors/psp/old/index.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { type Registry, harnessPspEntries } from '../domain/registry.js';
import { codiceIdRpt, codiceIdRptXml, erFor, erXml, readRpt, readRr, rrFor, rrXml, rtFor, rtXml, toBase64 } from '../domain/old/index.js';
import type { NodeObj } from '../src/wire/xml.js';
import { nodoPerPsp } from '../interfaces/index.js';
import { encodeEnvelope, outcomeOf, readFault, decodeEnvelope } from '../src/wire/soap.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { BROKER, FC, PASSWORD, STATION, clock, position, startEc, trigger, triggerRequest } from './ec-old-support.js';
import { BANK, BANK2, POSTAL } from './support/ec-reference.js';

let ec: ReferenceEc;
let nodo: OldNodo;
let psp: OldPsp;

function registry(e: ReferenceEc): Registry {
  return {
    ecs: [{ fiscalCode: FC, companyName: 'Comune di Collaudo', enabled: true, ibans: [BANK, BANK2, POSTAL], stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] }],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
    stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: e.url, version: 1, password: PASSWORD, old: { paPerNodo: e.oldUrls.paPerNodo, paPerNodoPagamentoPsp: e.oldUrls.paPerNodoPagamentoPsp, returnUrl: e.oldReturnUrl } }],
    ...harnessPspEntries(),
  };
}

beforeAll(async () => {
  ec = await startEc();
  const reg = registry(ec);
  nodo = new OldNodo({ clock, registry: reg, host: '127.0.0.1', port: 0 });
  await nodo.start();
  ec.useNodo({ url: nodo.urls.nodoPerPa, password: PASSWORD });
  // the harness's emulated PSP on the WISP channel: its PspPerNodo and its payment page
  psp = new OldPsp({ clock, nodoUrl: nodo.urls.nodoPerPsp, returnUrl: nodo.urls.wispReturn });
  const urls = await psp.start();
  Object.assign(reg.channels[0]!, { pspPerNodoUrl: urls.pspPerNodoUrl, redirectUrl: urls.paymentPageUrl, storno: true });
});
afterAll(async () => {
  await ec.old.idle();
  await psp.stop();
  await ec.stop();
  await nodo.stop();
});

/** A browser without JavaScript: POST a form, do not follow the redirect. */
const postForm = (url: string, form: [string, string][]) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(), redirect: 'manual' });

describe('the portal, WISP, the PSP\'s page and back (OLD-EC-PAY-01)', () => {
  for (const [azione, esito, words, state] of [['paga', 'OK', 'Pagamento eseguito', 'paid'], ['annulla', 'ERROR', 'Pagamento non eseguito', 'payable']] as const) {
    it(`${azione}: RTs booked by the EC (${state}), the payer back on the return page with esito ${esito} ("${words}")`, async () => {
      const ps = [position(ec, 'payable', 1800), position(ec, 'payable', 2700)];
      const toWisp = await postForm(`${ec.baseUrl}/old/paga`, ps.map((p) => ['posizione', `${FC}/${p.iuv}`]));
      expect(toWisp.status).toBe(303);
      const wispUrl = toWisp.headers.get('location')!;
      const idSession = new URL(wispUrl).searchParams.get('idSession')!;
      const choice = /name="psp" value="([^"]+)"/.exec(await (await fetch(wispUrl)).text())![1]!;
      const toPsp = await postForm(`${nodo.urls.base}/wisp/scelta`, [['idSession', idSession], ['psp', choice], ['azione', 'paga']]);
      expect(toPsp.status).toBe(303);
      const pspPage = new URL(toPsp.headers.get('location')!);
      expect((await fetch(pspPage)).status).toBe(200);
      const back = await postForm(new URL('/pagamento/esito', pspPage).href, [['identificativoCarrello', pspPage.searchParams.get('identificativoCarrello')!], ['azione', azione]]);
      const atNodo = await fetch(back.headers.get('location')!, { redirect: 'manual' });
      const toEc = new URL(atNodo.headers.get('location')!);
      expect(`${toEc.origin}${toEc.pathname}`).toBe(ec.oldReturnUrl);
      for (const p of ps) {
        const a = ec.old.apa.attemptsOf(FC, p.iuv)[0]!;
        expect((await nodo.waitDelivery(FC, p.iuv, a.ccp)).state).toBe('delivered');
      }
      const page = await fetch(toEc);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain(`<h1>${words}</h1>`);
      for (const p of ps) {
        expect(html).toContain(p.iuv);
        expect(ec.old.apa.position(FC, p.iuv)?.state).toBe(state);
      }
    });
  }
});

/** A NodoPerPsp call as the harness's PSP makes it (its channel and password first); `raw` replaces placeholders by XML. */
async function asPsp(to: OldNodo, opName: string, content: NodeObj, raw: Record<string, string> = {}) {
  const op = nodoPerPsp.operations.find((o) => o.name === opName)!;
  let envelope = encodeEnvelope(op, 'request', {
    identificativoPSP: HARNESS_PSP.idPSP, identificativoIntermediarioPSP: HARNESS_PSP.idBrokerPSP, identificativoCanale: HARNESS_PSP.idChannel, password: HARNESS_PSP.password, ...content,
  });
  for (const [k, v] of Object.entries(raw)) envelope = envelope.replace(k, v);
  const r = await fetch(to.urls.nodoPerPsp, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: `"${op.soapAction}"` }, body: envelope });
  const d = decodeEnvelope(await r.text(), { ops: nodoPerPsp.operations });
  if (!d.ok) throw new Error(d.message);
  return { esito: outcomeOf(d.msg.body, op), fault: readFault(d.msg.body, op) };
}

/** nodoAttivaRPT as a PSP sends it (codiceIdRPT in its QrCode form). */
function nodoAttivaRPT(to: OldNodo, noticeNumber: string, ccp: string, amount: string) {
  return asPsp(
    to, 'nodoAttivaRPT',
    { codiceContestoPagamento: ccp, identificativoIntermediarioPSPPagamento: HARNESS_PSP.idBrokerPSP, identificativoCanalePagamento: HARNESS_PSP.idChannel, codificaInfrastrutturaPSP: 'QR-CODE', codiceIdRPT: 'CODICE', datiPagamentoPSP: { importoSingoloVersamento: amount } },
    { '<codiceIdRPT>CODICE</codiceIdRPT>': `<codiceIdRPT>${codiceIdRptXml(codiceIdRpt(FC, noticeNumber), 'qrc')}</codiceIdRPT>` },
  );
}

/** A PSP-started payment made by the emulated PSP: nodoAttivaRPT, the EC's RPT, the PSP's positive RT (nodoInviaRT) delivered to the EC. */
async function paidThroughNodo(ccp: string): Promise<{ iuv: string; rt: ReturnType<typeof rtFor> }> {
  const p = position(ec, 'payable', 3100);
  expect((await psp.activate({ fiscalCode: FC, noticeNumber: p.noticeNumber }, 3100, ccp)).outcome).toBe('OK');
  const kept = await psp.waitRpt(p.iuv, ccp, 5000);
  const rt = psp.rtFor(kept.rpt, true);
  expect((await psp.sendRt(kept, rt)).outcome).toBe('OK');
  expect((await nodo.waitDelivery(FC, p.iuv, ccp)).state).toBe('delivered');
  expect(ec.old.apa.position(FC, p.iuv)?.state).toBe('paid');
  return { iuv: p.iuv, rt };
}

describe('revoca and storno through the Nodo and the emulated PSP', () => {
  it('annullo tecnico: the PSP\'s RR reaches the EC, the EC\'s ER goes back through the Nodo to the PSP (OLD-REV-AT-01)', async () => {
    const { iuv, rt } = await paidThroughNodo('CCPREVN1');
    const rr = rrFor(rt, { now: clock.now(), tipoRevoca: '1' });
    const r = await asPsp(nodo, 'nodoInviaRichiestaRevoca', { identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: 'CCPREVN1', rr: toBase64(rrXml(rr)) });
    expect(r.fault, JSON.stringify(r.fault)).toBeUndefined();
    await ec.old.idle();
    const revoca = ec.old.apa.attempt(FC, iuv, 'CCPREVN1')!.revoche[0]!;
    expect([revoca.accepted, revoca.nodoEsito]).toEqual([true, 'OK']);
    expect(psp.store.documents.some((d) => d.primitive === 'pspInviaRispostaRevoca' && d.iuv === iuv)).toBe(true);
    expect(ec.old.apa.position(FC, iuv)?.state).toBe('payable');
  });
  it('storno: the EC\'s RR reaches the PSP; the PSP\'s ER comes back with paaInviaEsitoStorno and reopens the position (OLD-STO-01)', async () => {
    const { iuv } = await paidThroughNodo('CCPSTON1');
    expect((await trigger(ec, triggerRequest('old-storno', { iuv, ccp: 'CCPSTON1' }))).status).toBe(202);
    await ec.old.idle();
    expect(ec.old.triggers.log.at(-1)?.result).toEqual({ esito: 'OK' });
    const kept = psp.store.documents.find((d) => d.primitive === 'pspInviaRichiestaStorno' && d.iuv === iuv)!;
    const er = erFor(readRr(kept.xml), { now: clock.now(), outcome: 'accepted' });
    const r = await asPsp(nodo, 'nodoInviaEsitoStorno', { identificativoDominio: FC, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: 'CCPSTON1', er: toBase64(erXml(er)) });
    expect(r.fault, JSON.stringify(r.fault)).toBeUndefined();
    expect(ec.old.apa.position(FC, iuv)?.state).toBe('payable');
  });
});

describe('the reference EC with the reference Nodo (old model)', () => {
  it('the portal\'s cart is accepted: 303 to the Nodo\'s WISP page, the Nodo holds the RPTs of the session', async () => {
    const a = position(ec, 'payable', 1200);
    const b = position(ec, 'payable', 3400);
    const form = new URLSearchParams([['posizione', `${FC}/${a.iuv}`], ['posizione', `${FC}/${b.iuv}`]]);
    const r = await fetch(`${ec.baseUrl}/old/paga`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    const text = await r.text();
    expect(r.status, text).toBe(303);
    const location = r.headers.get('location')!;
    expect(location.startsWith(nodo.urls.wisp)).toBe(true);
    const cart = nodo.session(new URL(location).searchParams.get('idSession')!);
    expect(cart).toBeDefined();
    expect(nodo.rpts().filter((x) => x.iuv === a.iuv || x.iuv === b.iuv)).toHaveLength(2);
  });

  it('a PSP-started payment: paaAttivaRPT OK, the EC\'s RPT reaches the Nodo in time (TR-13), the RT is delivered and a second delivery is PAA_RT_DUPLICATA', async () => {
    const p = position(ec, 'payable', 2550);
    const act = await nodoAttivaRPT(nodo, p.noticeNumber, 'CCPE2E1', '25.50');
    expect(act.fault, JSON.stringify(act.fault)).toBeUndefined();
    expect(act.esito).toBe('OK');
    const { rpt, inTime } = await nodo.waitRptAfterActivation(FC, p.iuv, 'CCPE2E1');
    expect(inTime).toBe(true);
    expect(rpt.ccp).toBe('CCPE2E1');
    await ec.old.idle();
    const sent = ec.old.apa.attempt(FC, p.iuv, 'CCPE2E1')!;
    expect(sent.rptEsito).toBe('OK');
    const rt = rtFor(readRpt(sent.rpt!.xml), 'positive', { now: clock.now() });
    nodo.sendRt(FC, p.iuv, 'CCPE2E1', { rtXml: rtXml(rt), maxAttempts: 1 });
    const d = await nodo.waitDelivery(FC, p.iuv, 'CCPE2E1');
    expect(d.attempts.map((x) => x.result)).toEqual(['ok']);
    expect(ec.old.apa.position(FC, p.iuv)?.state).toBe('paid');
    nodo.sendRt(FC, p.iuv, 'CCPE2E1', { maxAttempts: 1 });
    const again = await nodo.waitDelivery(FC, p.iuv, 'CCPE2E1');
    expect(again.attempts.at(-1)?.result).toBe('duplicate');
    expect(again.attempts.at(-1)?.faultCode).toBe('PAA_RT_DUPLICATA');
  });

  it('old-pending and old-informativa are answered by the Nodo without a fault', async () => {
    for (const action of ['old-pending', 'old-informativa']) expect((await trigger(ec, triggerRequest(action, {}))).status).toBe(202);
    await ec.old.idle();
    const results = ec.old.triggers.log.slice(-2).map((l) => l.result);
    expect(results).toEqual([{ usable: true }, { usable: true }]);
  });
});

describe('recovery of an RT the station never got (OLD-REC-EC-05, OLD-REC-EC-01)', () => {
  it('the Nodo cannot deliver the RT; old-recover-rt asks nodoChiediStatoRPT then nodoChiediCopiaRT and books the copy', async () => {
    const e = await startEc();
    const reg = registry(e);
    // the Nodo reaches the station's PaPerNodoPagamentoPsp, but its PaPerNodo (paaInviaRT) is down
    reg.stations[0]!.old = { ...reg.stations[0]!.old!, paPerNodo: 'http://127.0.0.1:9/PaPerNodo' };
    const n = new OldNodo({ clock, registry: reg, host: '127.0.0.1', port: 0 });
    await n.start();
    e.useNodo({ url: n.urls.nodoPerPa, password: PASSWORD });
    try {
      const p = position(e, 'payable', 4400);
      expect((await nodoAttivaRPT(n, p.noticeNumber, 'CCPREC1', '44.00')).esito).toBe('OK');
      await n.waitRptAfterActivation(FC, p.iuv, 'CCPREC1');
      await e.old.idle();
      const rt = rtFor(readRpt(e.old.apa.attempt(FC, p.iuv, 'CCPREC1')!.rpt!.xml), 'positive', { now: clock.now() });
      n.sendRt(FC, p.iuv, 'CCPREC1', { rtXml: rtXml(rt), maxAttempts: 1 });
      const failed = await n.waitDelivery(FC, p.iuv, 'CCPREC1');
      expect(failed.attempts.at(-1)?.result).not.toBe('ok');
      expect(e.old.apa.position(FC, p.iuv)?.state).toBe('in-progress');
      expect((await trigger(e, triggerRequest('old-recover-rt', { iuv: p.iuv, ccp: 'CCPREC1' }))).status).toBe(202);
      await e.old.idle();
      expect(e.old.triggers.log.at(-1)?.result).toMatchObject({ booked: true });
      expect(e.old.apa.position(FC, p.iuv)?.state).toBe('paid');
    } finally {
      await e.stop();
      await n.stop();
    }
  });
});
