// The reference Nodo's SOAP side of reconciliation, new model (NM-FDR-PAY-01/02, NM-X-AUTH-01): the
// legacy-named upload and state query on nodeForPsp, the list and download on nodeForPa, served by the
// new-model Nodo on the same flow store as the old one (one per run): an EC reads through either model
// what a PSP uploaded through either, and a flow published through FdR 3. Then hostile input to every
// flow primitive of both Nodos: each gets an answer, none crashes a Nodo or touches the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowXml } from '../domain/fdr/document.js';
import { nodeForPa, nodeForPsp, nodoPerPa, nodoPerPsp } from '../interfaces/index.js';
import { soapCall } from '../src/wire/http.js';
import { SOAPENV_NS, decodeEnvelope, readFault } from '../src/wire/soap.js';
import { textOf } from '../src/wire/xml.js';
import { EC, EC_2, PSP, type FdrWorld, b64, downloaded, fdrWorld, flow, listed, stateOf, station, upload } from './support/fdr-soap.js';

let w: FdrWorld;
beforeAll(async () => {
  w = await fdrWorld();
});
afterAll(() => w.close());

const stato = async (flowId: string) => textOf((await w.newCall('nodoChiediStatoFlussoRendicontazione', stateOf(flowId))).body, 'stato');

describe('nodeForPsp: nodoInviaFlussoRendicontazione and nodoChiediStatoFlussoRendicontazione (legacy namespace)', () => {
  it('a valid flow is taken at /nodeForPsp in the old model\'s namespace, stored as soap-new, ELABORATO', async () => {
    const f = flow();
    const a = await w.newCall('nodoInviaFlussoRendicontazione', upload(f));
    expect([a.esito, a.fault]).toEqual(['OK', undefined]);
    expect([a.r.decoded!.ok && a.r.decoded!.msg.op?.iface, a.body.ns]).toEqual(['nodeForPsp', 'http://ws.pagamenti.telematici.gov/']);
    expect(w.nodoNew.flows).toBe(w.nodo.flows);
    expect([w.nodoNew.flows.get(PSP.idPSP, f.flowId)?.transport, w.nodoNew.flows.get(PSP.idPSP, f.flowId)?.document]).toEqual(['soap-new', flowXml(f)]);
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
  });

  it('a document invalid against FlussoRiversamento: PPT_SINTASSI_XSD (the new model\'s fault table); an identifier mismatch: PPT_FLUSSO_SCONOSCIUTO', async () => {
    const f = flow();
    const bad = await w.newCall('nodoInviaFlussoRendicontazione', upload(f, { xml: flowXml(f).replace(/<dataRegolamento>[^<]*</, '<dataRegolamento>ieri<') }));
    expect([bad.esito, bad.fault?.faultCode]).toEqual(['KO', 'PPT_SINTASSI_XSD']);
    expect(bad.fault?.description).toContain('dataRegolamento');
    const other = await w.newCall('nodoInviaFlussoRendicontazione', upload(f, { flowId: `${f.flowId}Z` }));
    expect(other.fault?.faultCode).toBe('PPT_FLUSSO_SCONOSCIUTO');
    expect(w.nodoNew.flows.revisions(PSP.idPSP, f.flowId)).toEqual([]);
  });

  it('the caller faults of nodeForPsp (NM-X-AUTH-01) and an unknown domain: nothing stored', async () => {
    const f = flow();
    expect((await w.newCall('nodoInviaFlussoRendicontazione', { ...upload(f), identificativoCanale: '99999000001_99' })).fault?.faultCode).toBe('PPT_CANALE_SCONOSCIUTO');
    expect((await w.newCall('nodoInviaFlussoRendicontazione', upload(f, { password: 'sbagliata_01' }))).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.newCall('nodoInviaFlussoRendicontazione', upload(f, { ec: '55555555555' }))).fault?.faultCode).toBe('PPT_DOMINIO_SCONOSCIUTO');
    expect((await w.newCall('nodoChiediStatoFlussoRendicontazione', { ...stateOf(f.flowId), identificativoPSP: 'NOPSP000001' })).fault?.faultCode).toBe('PPT_PSP_SCONOSCIUTO');
    expect(w.nodoNew.flows.revisions(PSP.idPSP, f.flowId)).toEqual([]);
  });

  it('a flow uploaded through the old model and again through the new one is the same flow: FLUSSO_DUPLICATO', async () => {
    const f = flow();
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    const again = await w.newCall('nodoInviaFlussoRendicontazione', upload(f));
    expect(again.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(await stato(f.flowId)).toBe('FLUSSO_DUPLICATO');
    expect(w.nodo.flows.revisions(PSP.idPSP, f.flowId).map((s) => s.transport)).toEqual(['soap-old']);
  });

  it('upload timeout on the new Nodo: no answer, the flow taken; the state query says IN_ELABORAZIONE, then ELABORATO on the clock', async () => {
    const f = flow();
    w.nodoNew.flowUploads.script({ idPSP: PSP.idPSP, flowId: f.flowId }, [{ kind: 'no-answer', process: true, processingMs: 90_000 }]);
    await expect(w.newCall('nodoInviaFlussoRendicontazione', upload(f))).rejects.toThrow(/no SOAP answer/);
    expect(await stato(f.flowId)).toBe('FLUSSO_IN_ELABORAZIONE');
    w.clock.advance(90_000);
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
    expect(textOf((await w.newCall('nodoChiediStatoElaborazioneFlussoRendicontazione', stateOf(f.flowId))).body, 'stato')).toBe('FLUSSO_ELABORATO');
    expect(w.nodoNew.flowUploads.attempts({ idPSP: PSP.idPSP, flowId: f.flowId }).map((a) => [a.n, a.answer.kind, a.ended])).toEqual([[1, 'none', true]]);
  });
});

describe('a large flow', () => {
  it('30,000 payments (a base64 text node over libxml2\'s 10 MB limit, a body over src/wire\'s default 1 MiB) are taken and downloaded whole', async () => {
    const f = flow({ n: 30_000 });
    const xml = flowXml(f);
    expect(Buffer.from(xml).toString('base64').length).toBeGreaterThan(10_000_000);
    const a = await w.newCall('nodoInviaFlussoRendicontazione', upload(f, { xml }));
    expect([a.r.status, a.esito, a.fault]).toEqual([200, 'OK', undefined]);
    expect(w.nodo.flows.get(PSP.idPSP, f.flowId)!.flow.lines).toHaveLength(30_000);
    const d = await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }));
    expect(downloaded(d.body) === xml).toBe(true);
  }, 60_000);
});

describe('nodeForPa: an EC lists and downloads the flows a PSP uploaded, through either model', () => {
  it('a flow uploaded on NodoPerPsp is listed and downloaded on nodeForPa, and one uploaded on nodeForPsp on NodoPerPa', async () => {
    const viaOld = flow();
    const viaNew = flow();
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(viaOld))).esito).toBe('OK');
    expect((await w.newCall('nodoInviaFlussoRendicontazione', upload(viaNew))).esito).toBe('OK');
    const list = await w.newCall('nodoChiediElencoFlussiRendicontazione', station({ ec: EC }));
    // the old model's answer shape: no esito element, a fault only in a KO
    expect([list.fault, textOf(list.body, 'esito'), list.esito]).toEqual([undefined, undefined, 'OK']);
    expect(listed(list.body)).toMatchObject({ [viaOld.flowId]: viaOld.flowDate, [viaNew.flowId]: viaNew.flowDate });
    expect(downloaded((await w.newCall('nodoChiediFlussoRendicontazione', station({ flowId: viaOld.flowId }))).body)).toBe(flowXml(viaOld));
    expect(downloaded((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: viaNew.flowId }))).body)).toBe(flowXml(viaNew));
  });

  it('a flow published through FdR 3 (no document) is listed and downloaded as the codec writes it; its state is ELABORATO', async () => {
    const f = flow();
    w.nodo.flows.publish(f, 'rest');
    expect(Object.keys(listed((await w.newCall('nodoChiediElencoFlussiRendicontazione', station())).body))).toContain(f.flowId);
    const d = await w.newCall('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId, idPSP: PSP.idPSP }));
    expect(downloaded(d.body)).toBe(flowXml({ ...f, revision: 1 }));
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
  });

  it('the faults of nodeForPa: station caller faults, PPT_PSP_SCONOSCIUTO, PPT_ID_FLUSSO_SCONOSCIUTO, PPT_SOAPACTION_ERRATA', async () => {
    expect((await w.newCall('nodoChiediElencoFlussiRendicontazione', station({ broker: '11111111111' }))).fault?.faultCode).toBe('PPT_INTERMEDIARIO_PA_SCONOSCIUTO');
    expect((await w.newCall('nodoChiediElencoFlussiRendicontazione', station({ password: 'sbagliata_01' }))).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.newCall('nodoChiediElencoFlussiRendicontazione', station({ ec: EC_2 }))).fault?.faultCode).toBe('PPT_AUTORIZZAZIONE');
    expect((await w.newCall('nodoChiediElencoFlussiRendicontazione', station({ idPSP: 'NOPSP000001' }))).fault?.faultCode).toBe('PPT_PSP_SCONOSCIUTO');
    const unknown = await w.newCall('nodoChiediFlussoRendicontazione', station({ flowId: '2026-11-22CLLDITMM001-NONE' }));
    expect([unknown.fault?.faultCode, unknown.fault?.id, textOf(unknown.body, 'xmlRendicontazione')]).toEqual(['PPT_ID_FLUSSO_SCONOSCIUTO', 'NodoDeiPagamentiSPC', undefined]);
    expect((await w.newCall('nodoChiediFlussoRendicontazione', station({ flowId: 'F1' }), { soapAction: 'nodoChiediElencoFlussiRendicontazione' })).fault?.faultCode).toBe('PPT_SOAPACTION_ERRATA');
  });

  it('serves its WSDL at /nodeForPa?wsdl with its own address, and the schemas it imports', async () => {
    const res = await fetch(`${w.nodoNew.nodeForPaUrl}?wsdl`);
    const wsdl = await res.text();
    expect(res.status).toBe(200);
    expect(wsdl).toContain(`<soap:address location="${w.nodoNew.nodeForPaUrl}"/>`);
    expect(wsdl).toContain('soapAction="nodoChiediFlussoRendicontazione"');
    expect(await (await fetch(w.nodoNew.nodeForPaUrl.replace(/nodeForPa$/, 'nodeForPa.xsd'))).text()).toContain('name="tipoElencoFlussiRendicontazione"');
  });
});

describe('hostile input to the flow primitives never crashes a Nodo', () => {
  const env = (ns: string, el: string, inner: string) => `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}" xmlns:p="${ns}"><soapenv:Body><p:${el}>${inner}</p:${el}></soapenv:Body></soapenv:Envelope>`;
  const pspIds = `<identificativoPSP>${PSP.idPSP}</identificativoPSP><identificativoIntermediarioPSP>${PSP.idBrokerPSP}</identificativoIntermediarioPSP><identificativoCanale>${PSP.idChannel}</identificativoCanale><password>${PSP.password}</password>`;
  const uploadOf = (flowId: string, doc: string) => `${pspIds}<identificativoDominio>${EC}</identificativoDominio><identificativoFlusso>${flowId}</identificativoFlusso><dataOraFlusso>2026-11-23T10:00:00</dataOraFlusso><xmlRendicontazione>${doc}</xmlRendicontazione>`;
  const docs = [
    b64('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">&e;</FlussoRiversamento>'),
    b64(`<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><x>&i;</x>`),
    b64(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`),
    b64('<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>1.0'),
    Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]).toString('base64'),
  ];
  const hostile = (pspNs: string, paNs: string): [string, string, string][] => [
    ...docs.map((d, i): [string, string, string] => ['nodoInviaFlussoRendicontazione', pspNs, uploadOf(`2026-11-22CLLDITMM001-H${i}`, d)]),
    ['nodoInviaFlussoRendicontazione', pspNs, uploadOf('x'.repeat(100_000), b64('<a/>'))],
    ['nodoInviaFlussoRendicontazione', pspNs, `${pspIds}<identificativoDominio>${EC}</identificativoDominio>`],
    ['nodoChiediStatoFlussoRendicontazione', pspNs, `${pspIds}<identificativoFlusso>${'&lt;'.repeat(20_000)}</identificativoFlusso>`],
    ['nodoChiediElencoFlussiRendicontazione', paNs, '<identificativoIntermediarioPA/><identificativoStazioneIntermediarioPA/><password/>'],
    ['nodoChiediFlussoRendicontazione', paNs, `<identificativoIntermediarioPA>77777777777</identificativoIntermediarioPA><identificativoStazioneIntermediarioPA>77777777777_01</identificativoStazioneIntermediarioPA><password>stazione_01</password><identificativoFlusso>../../etc/passwd</identificativoFlusso>`],
  ];

  it('every hostile request gets an answer (a KO or a SOAP Fault), the store is untouched, and the Nodos still take a valid flow', async () => {
    const before = w.nodo.flows.list().length;
    const targets = [
      { psp: { url: w.nodoNew.url, pack: nodeForPsp }, pa: { url: w.nodoNew.nodeForPaUrl, pack: nodeForPa } },
      { psp: { url: w.nodo.urls.nodoPerPsp, pack: nodoPerPsp }, pa: { url: w.nodo.urls.nodoPerPa, pack: nodoPerPa } },
    ];
    for (const t of targets) {
      for (const [opName, , inner] of hostile(t.psp.pack.operations[0]!.ns, t.pa.pack.ns)) {
        const side = t.pa.pack.operations.some((o) => o.name === opName) ? t.pa : t.psp;
        const op = side.pack.operations.find((o) => o.name === opName)!;
        const r = await soapCall({ url: side.url, op, envelope: env(op.ns, op.request, inner), from: 'test', to: 'nodo', timeoutMs: 30_000, clock: w.clock, soapAction: op.soapAction });
        expect(r.transport, `${side.pack.name} ${opName}`).toBe('ok');
        expect([200, 500], `${side.pack.name} ${opName}: HTTP ${r.status}`).toContain(r.status);
        const d = decodeEnvelope(r.raw ?? '', { ops: side.pack.operations, validate: false });
        expect(d.ok, `${side.pack.name} ${opName}: ${r.raw?.slice(0, 200)}`).toBe(true);
        if (d.ok && !d.msg.soapFault) expect(readFault(d.msg.body, op)?.faultCode, `${side.pack.name} ${opName}`).toMatch(/^PPT_/);
      }
    }
    expect(w.nodo.flows.list()).toHaveLength(before);
    const f = flow();
    expect((await w.newCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }))).fault).toBeUndefined();
  });
});
