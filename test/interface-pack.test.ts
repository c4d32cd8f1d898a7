// A new SOAP interface needs only a folder (test/fixtures/interfaces/echo: data, schema, document
// schema, caller rule) and one line in a list: mounted on a server with the shared endpoint pipeline
// and a handler, it is dispatched by path then element, its header and its base64 document are
// validated, its KOs are esito-style with the part's faultBean, and its journal entries are
// correlated by its own keys. Everything goes over a real socket with soapCall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { type InterfacePack, defineInterface } from '../src/wire/contract.js';
import { type RunningServer, soapCall, startSoapServer } from '../src/wire/http.js';
import { encodeEnvelope, readFault } from '../src/wire/soap.js';
import { type RequestMessage, serveSoap, withHeader } from '../src/wire/soap-endpoint.js';
import { child, textOf } from '../src/wire/xml.js';
import { INTERFACES } from '../interfaces/index.js';
import { ECHO, echo } from './fixtures/interfaces/echo/index.js';

const LISTED = [...INTERFACES, echo];

// the same elements in the same namespace, mounted at another path: only the path tells them apart
const mirror = defineInterface({ ...ECHO, name: 'echoMirror', path: '/mirror/echo', schema: echo.schema });

const clock = new RealClock();
const journal = new Journal(clock);
const seen: RequestMessage[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startSoapServer({
    name: 'example',
    clock,
    interfaces: [...LISTED, mirror],
    journal: () => journal,
    handle: (req) =>
      serveSoap(
        {
          interfaces: [echo, mirror],
          codes: { syntax: 'ECHO_SINTASSI', soapAction: 'ECHO_SOAPACTION', internal: 'ECHO_ERRORE_INTERNO' },
          fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id: 'ECHO-SERVER', description: r.description }),
          soapAction: 'required',
          callers: ['ADA01', 'BOB02'],
          handle: (m) => {
            seen.push(m);
            const caller = textOf(m.header, 'idCaller') ?? '';
            return withHeader({ esito: 'OK', echoId: textOf(m.body, 'echoId'), text: `${m.op.pack.name}:${textOf(m.body, 'text')}` }, { idCaller: caller });
          },
        },
        req,
      ),
  });
});
afterAll(async () => {
  await server?.close();
});

const note = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const GOOD_NOTE = note('<note xmlns="urn:collaudo:example:note"><to>Ada</to><body>hello</body></note>');

async function call(pack: InterfacePack, o: { echoId: string; text?: string; attachment?: string; caller?: string | null; soapAction?: string }) {
  const op = pack.operations[0]!;
  const header = o.caller === null ? undefined : { idCaller: o.caller ?? 'ADA01' };
  const envelope = encodeEnvelope(op, 'request', { echoId: o.echoId, text: o.text ?? 'hi', attachment: o.attachment ?? GOOD_NOTE }, header);
  const before = seen.length;
  const r = await soapCall({ url: `${server.url}${pack.path}`, op, envelope, soapAction: o.soapAction, from: 'client', to: 'example', timeoutMs: 5000, clock, journal });
  expect(r.transport).toBe('ok');
  const d = r.decoded!;
  if (!d.ok) throw new Error(`${d.rule}: ${d.message}`);
  return { status: r.status, msg: d.msg, body: d.msg.body, fault: readFault(d.msg.body), handled: seen.slice(before) };
}

describe('an interface added as a folder and one line in the list', () => {
  it('is listed with the interfaces of the harness, under its own model and namespace', () => {
    expect(LISTED.map((k) => k.name)).toEqual([...INTERFACES.map((k) => k.name), 'echo']);
    expect(echo).toMatchObject({ model: 'example', ns: 'urn:collaudo:example:echo' });
    expect(echo.operations[0]).toMatchObject({ style: 'esito', header: 'intestazioneEcho', pack: echo });
  });

  it('dispatches by path, then element: the same element at two paths reaches the pack mounted there', async () => {
    const a = await call(echo, { echoId: 'path-1' });
    const b = await call(mirror, { echoId: 'path-2' });
    expect(a.handled.map((m) => m.op.pack.name)).toEqual(['echo']);
    expect(b.handled.map((m) => m.op.pack.name)).toEqual(['echoMirror']);
    expect(textOf(a.body, 'text')).toBe('echo:hi');
    expect(textOf(b.body, 'text')).toBe('echoMirror:hi');
  });

  it('validates the SOAP header and hands it to the handler; the answer carries the header back', async () => {
    const ok = await call(echo, { echoId: 'hdr-1', caller: 'BOB02' });
    expect(textOf(ok.handled[0]!.header, 'idCaller')).toBe('BOB02');
    expect(ok.msg.header.map((h) => h.name)).toEqual(['intestazioneEcho']);
    expect(textOf(ok.msg.header[0], 'idCaller')).toBe('BOB02');
    expect(ok.msg.xsd).toEqual({ valid: true, errors: [] });

    const bad = await call(echo, { echoId: 'hdr-2', caller: 'bob' });
    expect(bad.handled).toEqual([]);
    expect(bad.fault).toMatchObject({ faultCode: 'ECHO_SINTASSI', id: 'ECHO-SERVER' });
    expect(bad.fault?.description).toMatch(/^intestazioneEcho: .*idCaller/);

    const none = await call(echo, { echoId: 'hdr-3', caller: null });
    expect(none.handled).toEqual([]);
    expect(none.fault?.description).toContain('soapenv:Header must carry intestazioneEcho');
  });

  it("runs the interface's caller rule over the header before the handler", async () => {
    const r = await call(echo, { echoId: 'auth-1', caller: 'EVE66' });
    expect(r.handled).toEqual([]);
    expect(r.fault).toMatchObject({ faultCode: 'ECHO_CHIAMANTE_SCONOSCIUTO', description: 'caller EVE66 is not known' });
  });

  it("refuses an invalid base64 document with the document's schema error", async () => {
    const r = await call(echo, { echoId: 'doc-1', attachment: note('<note xmlns="urn:collaudo:example:note"><body>no addressee</body></note>') });
    expect(r.handled).toEqual([]);
    expect(r.fault?.faultCode).toBe('ECHO_SINTASSI');
    expect(r.fault?.description).toMatch(/^NOTE: line 1: Element '\{urn:collaudo:example:note\}body': This element is not expected\. Expected is \( \{urn:collaudo:example:note\}to \)/);
  });

  it('answers a schema violation with an esito-style KO and the faultBean the part builds, valid against the schema', async () => {
    const r = await call(echo, { echoId: 'xsd-1', text: 'x'.repeat(36) });
    expect(r.status).toBe(200);
    expect(r.handled).toEqual([]);
    expect(textOf(r.body, 'esito')).toBe('KO');
    expect(child(r.body, 'outcome')).toBeUndefined();
    expect(r.fault).toMatchObject({ faultCode: 'ECHO_SINTASSI', faultString: 'ECHO_SINTASSI', id: 'ECHO-SERVER' });
    expect(r.fault?.description).toMatch(/Element 'text'.*maxLength/);
    expect(r.msg.xsd.valid).toBe(true);
  });

  it('applies the SOAPAction rule of the policy', async () => {
    const r = await call(echo, { echoId: 'act-1', soapAction: 'somethingElse' });
    expect(r.handled).toEqual([]);
    expect(r.fault?.faultCode).toBe('ECHO_SOAPACTION');
  });

  it("journals both sides of an exchange with the pack's correlation keys", async () => {
    await call(mirror, { echoId: 'corr-7' });
    const all = journal.filter((e) => e.correlation.echoId === 'corr-7');
    // the base64 note is evidence of its own, beside its message, on the caller's side and the server's
    expect(all.filter((e) => e.primitive === 'echo#NOTE').map((e) => `${e.from}>${e.to}:${e.direction}:${e.xsd?.valid}`)).toEqual(['client>example:request:true', 'client>example:request:true']);
    const entries = all.filter((e) => e.primitive !== 'echo#NOTE');
    expect(entries.map((e) => `${e.from}>${e.to}:${e.direction}`).sort()).toEqual(['client>example:request', 'client>example:request', 'example>client:response', 'example>client:response']);
    expect(entries.every((e) => e.primitive === 'echo')).toBe(true);
    // the key only the SOAP header carries, on both sides (the answer's header carries it back)
    expect(entries.map((e) => e.correlation.caller)).toEqual(['ADA01', 'ADA01', 'ADA01', 'ADA01']);
  });
});
