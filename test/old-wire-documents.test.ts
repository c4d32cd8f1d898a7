// Base64 documents through the one SOAP endpoint pipeline, over real sockets (issue 10, item 1):
// each RPT/RT/RR/ER is decoded and validated like any message, refused with the part's document
// code (the old Nodo: PPT_SINTASSI_XSD for the document, PPT_SINTASSI_EXTRAXSD for the envelope,
// catalogue §6 V-01 and L2796-2797), unsafe XML inside it is refused as on the envelope, and each
// gets its own journal entry beside its message, on the server's side and on the caller's, both
// directions. Dispatch goes by endpoint path, then element, in the body namespace the old-model
// interfaces share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { Journal, type JournalEntry } from '../src/core/journal.js';
import { INTERFACES, OPERATIONS } from '../interfaces/index.js';
import { nodoPerPa, paPerNodo } from '../interfaces/old/index.js';
import type { InterfacePack, Operation } from '../src/wire/contract.js';
import { type RunningServer, documentPrimitive, soapCall, startSoapServer } from '../src/wire/http.js';
import { type EndpointPolicy, type RequestMessage, serveSoap } from '../src/wire/soap-endpoint.js';
import { encodeEnvelope, outcomeOf, readFault } from '../src/wire/soap.js';
import { CCP, EC, IUV, RPT, RT, SAMPLES, b64, rptXml, rtXml } from './support/old-samples.js';

const clock = new RealClock();
const journal = new Journal(clock);
const seen: RequestMessage[] = [];
let server: RunningServer;

/** A part's endpoint policy for one interface: its fault table, an OK sample answer from the handler. */
function policy(pack: InterfacePack, prefix: 'PPT' | 'PAA', id: string): EndpointPolicy {
  return {
    interfaces: [pack],
    codes: { syntax: `${prefix}_SINTASSI_EXTRAXSD`, document: `${prefix}_SINTASSI_XSD`, internal: `${prefix}_SYSTEM_ERROR` },
    fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id, description: r.description }),
    soapAction: 'tolerate-missing',
    // the caller rules of NodoPerPa/NodoPerPsp are the Nodo's business, not this test's
    skip: { caller: true },
    handle: (m) => {
      seen.push(m);
      return SAMPLES[m.op.name]!.response;
    },
  };
}
const POLICIES = new Map([
  ['/NodoPerPa', policy(nodoPerPa, 'PPT', 'NodoDeiPagamentiSPC')],
  ['/PaPerNodo', policy(paPerNodo, 'PAA', EC)],
]);

beforeAll(async () => {
  server = await startSoapServer({
    name: 'old-parts',
    clock,
    interfaces: INTERFACES,
    journal: () => journal,
    handle: (req) => serveSoap(POLICIES.get(req.path)!, req),
  });
});
afterAll(async () => {
  await server?.close();
});

const callerJournal = new Journal(clock);

async function call(path: string, op: Operation, envelope: string) {
  const before = seen.length;
  const r = await soapCall({ url: `${server.url}${path}`, op, envelope, from: 'caller', to: 'old-parts', timeoutMs: 5000, clock, journal: callerJournal });
  expect(r.transport).toBe('ok');
  const d = r.decoded!;
  if (!d.ok) throw new Error(`${d.rule}: ${d.message}`);
  return { status: r.status, msg: d.msg, fault: d.msg.op ? readFault(d.msg.body, d.msg.op) : undefined, handled: seen.slice(before), raw: r.raw ?? '' };
}

const inviaRPT = OPERATIONS.nodoInviaRPT!;
const rptEnvelope = (rpt: string, header = SAMPLES.nodoInviaRPT!.header) => encodeEnvelope(inviaRPT, 'request', { ...SAMPLES.nodoInviaRPT!.request, rpt }, header);
const lastExchange = (j: Journal, primitive: string): JournalEntry[] => {
  const msg = j.filter((e) => e.primitive === primitive && e.direction === 'request').at(-1)!;
  return j.filter((e) => e.exchange === msg.exchange);
};

describe('dispatch by endpoint path, then element, in the shared namespace', () => {
  it('each element reaches the interface mounted at its path', async () => {
    const a = await call('/NodoPerPa', inviaRPT, rptEnvelope(RPT));
    expect(a.handled.map((m) => `${m.op.pack.name}.${m.op.name}`)).toEqual(['NodoPerPa.nodoInviaRPT']);
    expect(outcomeOf(a.msg.body, a.msg.op)).toBe('OK');
    const rt = OPERATIONS.paaInviaRT!;
    const b = await call('/PaPerNodo', rt, encodeEnvelope(rt, 'request', SAMPLES.paaInviaRT!.request, SAMPLES.paaInviaRT!.header));
    expect(b.handled.map((m) => `${m.op.pack.name}.${m.op.name}`)).toEqual(['PaPerNodo.paaInviaRT']);
    expect(b.msg.body.children.map((c) => c.name)).toEqual(['paaInviaRTRisposta']);
  });

  it('an element of another interface in the same namespace is not a request of this endpoint', async () => {
    const rt = OPERATIONS.paaInviaRT!;
    const r = await call('/NodoPerPa', rt, encodeEnvelope(rt, 'request', SAMPLES.paaInviaRT!.request, SAMPLES.paaInviaRT!.header));
    expect(r.handled).toEqual([]);
    expect(r.status).toBe(500);
    expect(r.msg.soapFault?.faultstring).toBe('{http://ws.pagamenti.telematici.gov/}paaInviaRT is not a NodoPerPa request');
  });

  it("the handler sees the operation's SOAP header", async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(RPT));
    expect(r.handled[0]!.header?.name).toBe('intestazionePPT');
    expect(r.handled[0]!.header?.children.map((c) => c.name)).toEqual(['identificativoIntermediarioPA', 'identificativoStazioneIntermediarioPA', 'identificativoDominio', 'identificativoUnivocoVersamento', 'codiceContestoPagamento']);
  });
});

describe('a document carried base64 is decoded and validated like any message', () => {
  it('a valid RPT is accepted and journaled as its own entry beside its message', async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(RPT));
    expect(r.handled).toHaveLength(1);
    const entries = lastExchange(journal, 'nodoInviaRPT');
    expect(entries.map((e) => `${e.direction}:${e.primitive}`)).toEqual(['request:nodoInviaRPT', 'request:nodoInviaRPT#RPT', 'response:nodoInviaRPT']);
    const doc = entries[1]!;
    expect(doc.raw).toBe(rptXml());
    expect(doc.xsd).toEqual({ valid: true, errors: [] });
    expect(doc.note).toBe('RPT carried base64 in <rpt> of nodoInviaRPT');
    expect(doc.correlation).toMatchObject({ idDominio: EC, iuv: IUV, ccp: CCP });
    expect(documentPrimitive('nodoInviaRPT', 'RPT')).toBe(doc.primitive);
  });

  it('a schema-invalid RPT is refused with the document code, naming the document and the field', async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(b64(rptXml({ importo: '10' }))));
    expect(r.handled).toEqual([]);
    expect(r.fault).toMatchObject({ faultCode: 'PPT_SINTASSI_XSD', id: 'NodoDeiPagamentiSPC' });
    expect(r.fault?.description).toMatch(/^RPT: line 1: Element '\{http:\/\/www\.digitpa\.gov\.it\/schemas\/2011\/Pagamenti\/\}importoTotaleDaVersare': .*'10'/);
    const doc = lastExchange(journal, 'nodoInviaRPT').find((e) => e.primitive === 'nodoInviaRPT#RPT')!;
    expect(doc.xsd?.valid).toBe(false);
    expect(doc.xsd?.errors.join()).toMatch(/importoTotaleDaVersare/);
  });

  it('base64 that does not decode to XML is refused with the document code', async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(b64('these bytes are not an RPT')));
    expect(r.handled).toEqual([]);
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_XSD');
    expect(r.fault?.description).toMatch(/^RPT: rpt: not-xml: not well-formed XML/);
  });

  it('text that is not base64 at all breaks the envelope schema: the envelope code', async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope('%%% not base64 %%%'));
    expect(r.handled).toEqual([]);
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD');
    expect(r.fault?.description).toMatch(/rpt.*base64Binary/);
  });

  it('a DOCTYPE (and so any entity) inside the RPT is refused as on the envelope', async () => {
    const bomb = '<!DOCTYPE RPT [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(b64(rptXml({ prolog: bomb }))));
    expect(r.handled).toEqual([]);
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_XSD');
    expect(r.fault?.description).toContain('document type declarations are not allowed');
    const doc = lastExchange(journal, 'nodoInviaRPT').find((e) => e.primitive === 'nodoInviaRPT#RPT')!;
    expect(doc.raw).toContain('<!DOCTYPE RPT');
    expect(doc.xsd?.valid).toBe(false);
  });

  it('an RT where an RPT is expected is refused (the schema declares both: the root decides)', async () => {
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(RT));
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_XSD');
    expect(r.fault?.description).toBe('RPT: rpt must hold a RPT document, found {http://www.digitpa.gov.it/schemas/2011/Pagamenti/}RT');
  });

  it('an envelope error wins over a document error: the envelope code', async () => {
    const header = { ...SAMPLES.nodoInviaRPT!.header, codiceContestoPagamento: 'c'.repeat(36) };
    const r = await call('/NodoPerPa', inviaRPT, rptEnvelope(b64('not xml'), header));
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD');
    expect(r.fault?.description).toMatch(/^intestazionePPT: /);
  });

  it("a cart's RPTs are each validated and journaled, named by position", async () => {
    const cart = OPERATIONS.nodoInviaCarrelloRPT!;
    const s = SAMPLES.nodoInviaCarrelloRPT!;
    const items = [
      { identificativoDominio: EC, identificativoUnivocoVersamento: IUV, codiceContestoPagamento: 'ccp-a', rpt: b64(rptXml({ ccp: 'ccp-a' })) },
      { identificativoDominio: EC, identificativoUnivocoVersamento: IUV, codiceContestoPagamento: 'ccp-b', rpt: b64(rptXml({ ccp: 'ccp-b', importo: '0.00' })) },
    ];
    const r = await call('/NodoPerPa', cart, encodeEnvelope(cart, 'request', { ...s.request, listaRPT: { elementoListaRPT: items } }, s.header));
    expect(r.fault?.faultCode).toBe('PPT_SINTASSI_XSD');
    expect(r.fault?.description).toMatch(/^RPT 2: /);
    expect(r.msg.body.children.map((c) => c.name)).toEqual(['fault', 'esitoComplessivoOperazione']);
    const docs = lastExchange(journal, 'nodoInviaCarrelloRPT').filter((e) => e.primitive === 'nodoInviaCarrelloRPT#RPT');
    expect(docs.map((d) => [d.note, d.xsd?.valid, d.correlation.ccp])).toEqual([
      ['RPT 1 carried base64 in <rpt> of nodoInviaCarrelloRPT', true, 'ccp-a'],
      ['RPT 2 carried base64 in <rpt> of nodoInviaCarrelloRPT', false, 'ccp-b'],
    ]);
  });
});

describe("the caller's side journals and validates the documents it sends and receives", () => {
  it('an outgoing paaInviaRT journals its RT (request); an answer carrying an RT journals it (response), on both sides', async () => {
    const rt = OPERATIONS.paaInviaRT!;
    await call('/PaPerNodo', rt, encodeEnvelope(rt, 'request', SAMPLES.paaInviaRT!.request, SAMPLES.paaInviaRT!.header));
    const sent = lastExchange(callerJournal, 'paaInviaRT');
    expect(sent.map((e) => `${e.from}>${e.to}:${e.direction}:${e.primitive}`)).toEqual([
      'caller>old-parts:request:paaInviaRT',
      'caller>old-parts:request:paaInviaRT#RT',
      'old-parts>caller:response:paaInviaRT',
    ]);
    expect(sent[1]!.xsd).toEqual({ valid: true, errors: [] });
    expect(sent[1]!.raw).toBe(rtXml());

    const copy = OPERATIONS.nodoChiediCopiaRT!;
    await call('/NodoPerPa', copy, encodeEnvelope(copy, 'request', SAMPLES.nodoChiediCopiaRT!.request));
    for (const j of [journal, callerJournal]) {
      const got = lastExchange(j, 'nodoChiediCopiaRT');
      expect(got.map((e) => `${e.direction}:${e.primitive}`)).toEqual(['request:nodoChiediCopiaRT', 'response:nodoChiediCopiaRT', 'response:nodoChiediCopiaRT#RT']);
      expect(got[2]!.xsd?.valid).toBe(true);
    }
  });

  it('a schema-invalid RT sent by the harness is evidence too: its entry carries the verdict', async () => {
    const rt = OPERATIONS.paaInviaRT!;
    const bad = b64(rtXml().replace('<codiceEsitoPagamento>0<', '<codiceEsitoPagamento>7<'));
    const r = await call('/PaPerNodo', rt, encodeEnvelope(rt, 'request', { tipoFirma: '0', rt: bad }, SAMPLES.paaInviaRT!.header));
    expect(r.fault).toMatchObject({ faultCode: 'PAA_SINTASSI_XSD', id: EC });
    expect(r.msg.body.children[0]!.children.map((c) => c.name)).toEqual(['fault', 'esito']);
    const doc = lastExchange(callerJournal, 'paaInviaRT').find((e) => e.primitive === 'paaInviaRT#RT')!;
    expect(doc.xsd?.valid).toBe(false);
    expect(doc.xsd?.errors.join()).toMatch(/codiceEsitoPagamento/);
  });
});
