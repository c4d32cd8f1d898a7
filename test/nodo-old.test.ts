// The reference Nodo, old model, as an EC's counterpart (issue 10 item 2): nodoInviaCarrelloRPT and
// its cart checks, the caller rules (OLD-X-AUTH-01), the RPT state machine through
// nodoChiediStatoRPT, nodoInviaRT → paaInviaRT with the EC's answer relayed, and the RT delivery
// schedule (TR-08) on the virtual clock. Real sockets; an EC stub and a PSP stub scripted per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WISP_PSP } from '../domain/registry.js';
import { OLD_RT_RETRY_WAITS_MS } from '../domain/timeouts.js';
import { rtXml } from '../domain/old/index.js';
import { EC, IBAN_1, PASSWORD, STATION, type World, cart, invioRt, keys, paIds, rpt, rtOf, world } from './support/old-nodo.js';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

/** A cart of one RPT accepted by the Nodo, and the payer's choice made (RPT at the PSP). */
async function acceptedAtPsp() {
  const k = keys();
  const r = rpt(k);
  const c = cart(`C${k.iuv}`, [r]);
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  expect(a.esito).toBe('OK');
  const idSession = new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
  const page = await fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione: 'paga', psp: `CLLDITMM001|99999000001_01` }), redirect: 'manual' });
  expect(page.status).toBe(303);
  return { k, r };
}

describe('nodoInviaCarrelloRPT', () => {
  it('accepts a cart: esitoComplessivoOperazione OK and the WISP URL with idSession; the RPT is RPT_ACCETTATA_NODO (RPT Inviata)', async () => {
    const k = keys();
    const c = cart(`C${k.iuv}`, [rpt(k)]);
    const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
    expect(a.esito).toBe('OK');
    const url = new URL(a.result.children.find((x) => x.name === 'url')!.text);
    expect(url.pathname).toBe('/wisp');
    expect(w.nodo.session(url.searchParams.get('idSession')!)?.idCarrello).toBe(`C${k.iuv}`);
    expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RPT_ACCETTATA_NODO');
  });

  it('refuses an identificativoCarrello already used: PPT_ID_CARRELLO_DUPLICATO', async () => {
    const k1 = keys();
    const k2 = keys();
    const first = cart(`D${k1.iuv}`, [rpt(k1)]);
    expect((await w.pa('nodoInviaCarrelloRPT', first.content, first.header)).esito).toBe('OK');
    const again = cart(`D${k1.iuv}`, [rpt(k2)]);
    const a = await w.pa('nodoInviaCarrelloRPT', again.content, again.header);
    expect(a.esito).toBe('KO');
    expect(a.fault?.faultCode).toBe('PPT_ID_CARRELLO_DUPLICATO');
    expect(a.fault?.id).toBe('NodoDeiPagamentiSPC');
  });

  it('lists per-RPT errors with serial = position and rejects the whole cart (A-32): PPT_RPT_DUPLICATA, PPT_SEMANTICA, PPT_IBAN_NON_CENSITO', async () => {
    const [k1, k2, k3, k4] = [keys(), keys(), keys(), keys()];
    const done = cart(`E${k1.iuv}`, [rpt(k1)]);
    expect((await w.pa('nodoInviaCarrelloRPT', done.content, done.header)).esito).toBe('OK');
    const bad = cart(`F${k2.iuv}`, [
      rpt(k2),
      rpt(k1), // already received
      rpt(k3, (r) => (r.datiVersamento.importoTotaleDaVersare += 1)), // sum rule
      rpt(k4, (r) => (r.datiVersamento.datiSingoloVersamento[0]!.ibanAccredito = 'IT60X0542811101000000123456')), // valid, not registered
    ]);
    const a = await w.pa('nodoInviaCarrelloRPT', bad.content, bad.header);
    expect(a.esito).toBe('KO');
    const bySerial = new Map(a.errors.map((e) => [e.serial, e.faultCode]));
    expect(bySerial.get(2)).toBe('PPT_RPT_DUPLICATA');
    expect(bySerial.get(3)).toBe('PPT_SEMANTICA');
    expect(bySerial.get(4)).toBe('PPT_IBAN_NON_CENSITO');
    expect(bySerial.has(1)).toBe(false);
    expect(w.nodo.rpt(EC, k2.iuv, k2.ccp)?.stato).toBe('RPT_RIFIUTATA_NODO');
  });

  it('refuses an RPT whose keys differ from its cart element: PPT_SEMANTICA', async () => {
    const k = keys();
    const c = cart(`G${k.iuv}`, [rpt(k)]);
    const el = (c.content.listaRPT as { elementoListaRPT: { codiceContestoPagamento: string }[] }).elementoListaRPT[0]!;
    el.codiceContestoPagamento = 'ALTRO-CCP';
    const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
    expect(a.errors[0]?.faultCode).toBe('PPT_SEMANTICA');
    expect(a.errors[0]?.serial).toBe(1);
  });

  it('refuses an RPT that breaks its schema inside a valid envelope: PPT_SINTASSI_XSD', async () => {
    const k = keys();
    const c = cart(`H${k.iuv}`, [rpt(k)]);
    const el = (c.content.listaRPT as { elementoListaRPT: { rpt: string }[] }).elementoListaRPT[0]!;
    el.rpt = Buffer.from(rtXml(rtOf(rpt(k), 'positive', w.clock.now())).replace('<versioneOggetto>', '<versioneOggetto>x')).toString('base64');
    const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
    expect(a.fault?.faultCode).toBe('PPT_SINTASSI_XSD');
  });
});

describe('caller rules (OLD-X-AUTH-01)', () => {
  const cases: [string, Parameters<typeof cart>[2], string][] = [
    ['unknown intermediary', { broker: '00000000000' }, 'PPT_INTERMEDIARIO_PA_SCONOSCIUTO'],
    ['unknown station', { station: '77777777777_99' }, 'PPT_STAZIONE_INT_PA_SCONOSCIUTA'],
    ['wrong password', { password: 'sbagliata_1' }, 'PPT_AUTENTICAZIONE'],
    ['unknown PSP', { psp: { idPSP: 'NESSUNO', idBrokerPSP: WISP_PSP.idBrokerPSP, idChannel: WISP_PSP.idChannel } }, 'PPT_PSP_SCONOSCIUTO'],
    ['unknown channel', { psp: { idPSP: 'CLLDITMM001', idBrokerPSP: '99999000001', idChannel: 'NESSUNO' } }, 'PPT_CANALE_SCONOSCIUTO'],
  ];
  for (const [what, o, code] of cases) {
    it(`${what}: ${code}`, async () => {
      const k = keys();
      const c = cart(`A${k.iuv}`, [rpt(k)], o);
      const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
      expect(a.esito).toBe('KO');
      expect(a.fault?.faultCode).toBe(code);
    });
  }

  it('unknown domain: PPT_DOMINIO_SCONOSCIUTO; disabled station: PPT_STAZIONE_INT_PA_DISABILITATA', async () => {
    const a = await w.pa('nodoChiediStatoRPT', { ...paIds(), identificativoDominio: '12345678901', identificativoUnivocoVersamento: '01000000000000001', codiceContestoPagamento: 'x' });
    expect(a.fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
    w.reg.stations[0]!.enabled = false;
    try {
      const b = await w.pa('nodoChiediStatoRPT', { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: '01000000000000001', codiceContestoPagamento: 'x' });
      expect(b.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_DISABILITATA');
    } finally {
      w.reg.stations[0]!.enabled = true;
    }
  });

  it('a station of another intermediary: PPT_AUTORIZZAZIONE', async () => {
    w.reg.brokersPa.push({ idBrokerPA: '11111111111', enabled: true });
    const a = await w.pa('nodoChiediCopiaRT', { identificativoIntermediarioPA: '11111111111', identificativoStazioneIntermediarioPA: STATION, password: PASSWORD, identificativoDominio: EC, identificativoUnivocoVersamento: '01000000000000001', codiceContestoPagamento: 'x' });
    expect(a.fault?.faultCode).toBe('PPT_AUTORIZZAZIONE');
  });
});

describe('nodoInviaRT → paaInviaRT', () => {
  it('delivers the RT, relays the EC OK; nodoChiediStatoRPT reports RT_ACCETTATA_PA with the history; nodoChiediCopiaRT returns it', async () => {
    const { k, r } = await acceptedAtPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    const a = await w.pspCall('nodoInviaRT', invioRt(rt));
    expect(a.esito).toBe('OK');
    const sent = w.ec.seen.filter((s) => s.op === 'paaInviaRT').at(-1)!;
    expect(sent.header?.children.find((c) => c.name === 'identificativoUnivocoVersamento')?.text).toBe(k.iuv);
    const stato = await w.pa('nodoChiediStatoRPT', { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
    const esito = stato.result.children.find((c) => c.name === 'esito')!;
    expect(esito.children.find((c) => c.name === 'stato')?.text).toBe('RT_ACCETTATA_PA');
    const states = esito.children.filter((c) => c.name === 'elementoStoricoRPT').map((h) => h.children.find((c) => c.name === 'stato')?.text);
    expect(states).toEqual(['RPT_ACCETTATA_NODO', 'RPT_INVIATA_A_PSP', 'RPT_ACCETTATA_PSP', 'RT_ACCETTATA_NODO', 'RT_INVIATA_PA', 'RT_ACCETTATA_PA']);
    const copia = await w.pa('nodoChiediCopiaRT', { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
    expect(Buffer.from(copia.result.children.find((c) => c.name === 'rt')!.text, 'base64').toString()).toBe(rtXml(rt));
  });

  it('a second RT for a delivered RPT: PPT_RT_DUPLICATA, and the EC is not called again', async () => {
    const { r } = await acceptedAtPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    expect((await w.pspCall('nodoInviaRT', invioRt(rt))).esito).toBe('OK');
    const calls = w.ec.seen.length;
    const a = await w.pspCall('nodoInviaRT', invioRt(rt));
    expect(a.fault?.faultCode).toBe('PPT_RT_DUPLICATA');
    expect(w.ec.seen.length).toBe(calls);
  });

  it('an RT for an RPT the Nodo never routed: PPT_RPT_SCONOSCIUTA', async () => {
    const k = keys();
    const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(rpt(k), 'positive', w.clock.now())));
    expect(a.fault?.faultCode).toBe('PPT_RPT_SCONOSCIUTA');
  });

  it('an RT that contradicts its RPT: PPT_SEMANTICA', async () => {
    const { r } = await acceptedAtPsp();
    const rt = rtOf(r, 'positive', w.clock.now());
    rt.riferimentoMessaggioRichiesta = 'ALTRO';
    const a = await w.pspCall('nodoInviaRT', invioRt(rt));
    expect(a.fault?.faultCode).toBe('PPT_SEMANTICA');
  });

  for (const code of ['PAA_RT_DUPLICATA', 'PAA_RPT_SCONOSCIUTA', 'PAA_SEMANTICA']) {
    it(`the EC's ${code} is relayed as PPT_ERRORE_EMESSO_DA_PAA with the original fields`, async () => {
      const { k, r } = await acceptedAtPsp();
      w.ec.script.paaInviaRT = () => ({ ko: { faultCode: code, id: EC, description: `detail of ${code}` } });
      try {
        const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())));
        expect(a.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', id: EC, originalFaultCode: code, originalDescription: `detail of ${code}` });
        // OLD-PSP-ERR-14: the EC already has it (delivered); -15: refused, no automatic retry
        const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
        expect(d.state).toBe(code === 'PAA_RT_DUPLICATA' ? 'delivered' : 'rejected');
        expect(d.attempts).toHaveLength(1);
      } finally {
        delete w.ec.script.paaInviaRT;
      }
    });
  }

  it('a station that answers after the paaInviaRT timeout: PPT_STAZIONE_INT_PA_TIMEOUT, then redelivery', async () => {
    const { k, r } = await acceptedAtPsp();
    let n = 0;
    w.ec.script.paaInviaRT = () => (++n === 1 ? { lateMs: w.nodo.timeouts.paaInviaRT + 1, then: { paaInviaRTRisposta: { esito: 'OK' } } } : { paaInviaRTRisposta: { esito: 'OK' } });
    try {
      const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())));
      expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
      const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect(d.state).toBe('delivered');
      expect(d.attempts.map((x) => x.result)).toEqual(['timeout', 'ok']);
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RT_ACCETTATA_PA');
    } finally {
      delete w.ec.script.paaInviaRT;
    }
  });
});

describe('scenario tools', () => {
  it('sendRt sends a delivered RT again through the same queue (duplicate-RT scenarios): the EC’s PAA_RT_DUPLICATA ends it delivered', async () => {
    const { k, r } = await acceptedAtPsp();
    expect((await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())))).esito).toBe('OK');
    w.ec.script.paaInviaRT = () => ({ ko: { faultCode: 'PAA_RT_DUPLICATA', id: EC } });
    try {
      const before = w.ec.seen.filter((s) => s.op === 'paaInviaRT').length;
      const d0 = w.nodo.sendRt(EC, k.iuv, k.ccp);
      expect(d0.role).toBe('crafted');
      const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect([d.state, d.attempts[0]?.result, d.attempts[0]?.faultCode]).toEqual(['delivered', 'duplicate', 'PAA_RT_DUPLICATA']);
      expect(w.ec.seen.filter((s) => s.op === 'paaInviaRT').length).toBe(before + 1);
    } finally {
      delete w.ec.script.paaInviaRT;
    }
  });

  it('callStation sends a hand-made request (here a raw envelope) to the station, journaled', async () => {
    const raw = '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ppt:paaInviaRT xmlns:ppt="http://ws.pagamenti.telematici.gov/"/></soapenv:Body></soapenv:Envelope>';
    const r = await w.nodo.callStation('paaInviaRT', { rawEnvelope: raw }, { note: 'malformed on purpose' });
    expect(r.transport).toBe('ok');
    expect(r.raw).toContain('PAA_SINTASSI_EXTRAXSD');
    expect(w.journal.entries.some((e) => e.from === 'nodo' && e.primitive === 'paaInviaRT' && e.note === 'malformed on purpose')).toBe(true);
  });
});

describe('RT delivery schedule (TR-08, A-14)', () => {
  it('an unreachable station: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE, sends at 0, 5, 15, 35, 75, 155 s, then parked', async () => {
    const { k, r } = await acceptedAtPsp();
    const station = w.reg.stations[0]!;
    const before = station.old!.paPerNodo;
    station.old!.paPerNodo = 'http://127.0.0.1:9/PaPerNodo';
    try {
      const a = await w.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', w.clock.now())));
      expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
      const d = await w.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect(d.state).toBe('parked');
      const offsets = d.attempts.map((x) => x.offsetMs);
      let t = 0;
      expect(offsets).toEqual([0, ...OLD_RT_RETRY_WAITS_MS.map((x) => (t += x))]);
      expect(w.nodo.rpt(EC, k.iuv, k.ccp)?.stato).toBe('RT_ESITO_SCONOSCIUTO_PA');
      // the EC recovers it: nodoChiediListaPendentiRPT lists it, nodoChiediCopiaRT returns it
      const p = await w.pa('nodoChiediListaPendentiRPT', { ...paIds(), identificativoDominio: EC, dimensioneLista: 100 });
      const ids = p.result.children.find((c) => c.name === 'listaRPTPendenti')!.children.filter((c) => c.name === 'rptPendente').map((c) => c.children.find((x) => x.name === 'identificativoUnivocoVersamento')?.text);
      expect(ids).toContain(k.iuv);
    } finally {
      station.old!.paPerNodo = before;
    }
  });
});

describe('queries', () => {
  it('nodoChiediStatoRPT of an unknown RPT: PPT_RPT_SCONOSCIUTA; nodoChiediCopiaRT: PPT_RT_SCONOSCIUTA, and PPT_RT_NONDISPONIBILE before the RT', async () => {
    const k = keys();
    const q = { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp };
    expect((await w.pa('nodoChiediStatoRPT', q)).fault?.faultCode).toBe('PPT_RPT_SCONOSCIUTA');
    expect((await w.pa('nodoChiediCopiaRT', q)).fault?.faultCode).toBe('PPT_RT_SCONOSCIUTA');
    const c = cart(`Q${k.iuv}`, [rpt(k)]);
    expect((await w.pa('nodoInviaCarrelloRPT', c.content, c.header)).esito).toBe('OK');
    expect((await w.pa('nodoChiediCopiaRT', q)).fault?.faultCode).toBe('PPT_RT_NONDISPONIBILE');
  });

  it('waitDelivery for an RPT the Nodo never held fails at once, naming it', async () => {
    await expect(w.nodo.waitDelivery(EC, '01999999999999999', 'nessuno')).rejects.toThrow(/holds no such RPT/);
  });

  it('nodoChiediInformativaPSP: a base64 catalogue naming the harness PSP; an unknown PSP: PPT_PSP_SCONOSCIUTO', async () => {
    const a = await w.pa('nodoChiediInformativaPSP', { ...paIds(), identificativoDominio: EC });
    const xml = Buffer.from(a.result.children.find((c) => c.name === 'xmlInformativa')!.text, 'base64').toString();
    expect(xml).toContain('<identificativoPSP>CLLDITMM001</identificativoPSP>');
    const b = await w.pa('nodoChiediInformativaPSP', { ...paIds(), identificativoPSP: 'NESSUNO' });
    expect(b.fault?.faultCode).toBe('PPT_PSP_SCONOSCIUTO');
    const pa = await w.pa('nodoPAChiediInformativaPA', { ...paIds(), identificativoDominio: EC });
    expect(Buffer.from(pa.result.children.find((c) => c.name === 'xmlInformativa')!.text, 'base64').toString()).toContain(IBAN_1);
  });
});

describe('bad input', () => {
  const post = (p: string, body: string, headers: Record<string, string> = {}) => fetch(`${w.nodo.urls.base}${p}`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8', ...headers }, body });
  it('never crashes: garbage, a DTD, a foreign element get a SOAP Fault; a schema-invalid request PPT_SINTASSI_EXTRAXSD; a wrong SOAPAction PPT_SINTASSI_EXTRAXSD', async () => {
    for (const body of ['', 'not xml', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x/></soapenv:Body></soapenv:Envelope>']) {
      const r = await post('/NodoPerPa', body);
      expect(r.status).toBe(500);
      expect(await r.text()).toContain('soapenv:Fault');
    }
    const env = (inner: string) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ppt="http://ws.pagamenti.telematici.gov/"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
    const invalid = await post('/NodoPerPa', env('<ppt:nodoChiediStatoRPT><x/></ppt:nodoChiediStatoRPT>'), { soapaction: '"nodoChiediStatoRPT"' });
    expect(await invalid.text()).toContain('<faultCode>PPT_SINTASSI_EXTRAXSD</faultCode>');
    const q = `<ppt:nodoChiediStatoRPT><identificativoIntermediarioPA>${STATION.slice(0, 11)}</identificativoIntermediarioPA><identificativoStazioneIntermediarioPA>${STATION}</identificativoStazioneIntermediarioPA><password>${PASSWORD}</password><identificativoDominio>${EC}</identificativoDominio><identificativoUnivocoVersamento>1</identificativoUnivocoVersamento><codiceContestoPagamento>1</codiceContestoPagamento></ppt:nodoChiediStatoRPT>`;
    const wrong = await post('/NodoPerPa', env(q), { soapaction: '"nodoChiediCopiaRT"' });
    expect(await wrong.text()).toContain('<faultCode>PPT_SINTASSI_EXTRAXSD</faultCode>');
    // and it still answers
    expect((await w.pa('nodoChiediStatoRPT', { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: '1', codiceContestoPagamento: '1' })).fault?.faultCode).toBe('PPT_RPT_SCONOSCIUTA');
  });
});

describe('unattributed exchanges', () => {
  it('with no scenario bound, the Nodo journals into its own unattributed journal', async () => {
    w.nodo.bind(undefined);
    try {
      const before = w.nodo.unattributed.entries.length;
      await w.pa('nodoChiediStatoRPT', { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: '01000000000000009', codiceContestoPagamento: 'x' });
      expect(w.nodo.unattributed.entries.length).toBeGreaterThan(before);
    } finally {
      w.nodo.bind({ journal: w.journal });
    }
  });
});


describe("rtWait: 'candidate' (EC seat)", () => {
  it('waitDelivery settles at the first send the station itself failed; the Nodo keeps its schedule', async () => {
    const v = await world({ rtWait: 'candidate' });
    try {
      const k = keys();
      const r = rpt(k);
      const c = cart(`K${k.iuv}`, [r]);
      const a = await v.pa('nodoInviaCarrelloRPT', c.content, c.header);
      const idSession = new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
      await fetch(`${v.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione: 'paga', psp: 'CLLDITMM001|99999000001_01' }), redirect: 'manual' });
      // the station cannot be reached: the wait settles at that first failure, the delivery goes on
      v.reg.stations[0]!.old!.paPerNodo = 'http://127.0.0.1:9/PaPerNodo';
      await v.pspCall('nodoInviaRT', invioRt(rtOf(r, 'positive', v.clock.now())));
      const d = await v.nodo.waitDelivery(EC, k.iuv, k.ccp);
      expect([d.state, d.attempts.length, d.attempts[0]?.result]).toEqual(['pending', 1, 'unreachable']);
    } finally {
      await v.close();
    }
  });
});
