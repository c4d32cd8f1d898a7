// The SOAP codec (src/wire/soap.ts, xml.ts): decoding every envelope shape a peer may send,
// encoding, faultBeans, escaping. The HTTP layer is in soap-http.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soapActionOf } from '../src/wire/http.js';
import { NS, OPERATIONS } from '../interfaces/index.js';
import { type DecodeResult, encodeEnvelope, encodeSoapFault, ko, outcomeOf, readFault } from '../src/wire/soap.js';
import { type NodeObj, escapeXml, serialize, toPlain } from '../src/wire/xml.js';
import { validatorFor } from '../src/wire/xsd.js';
import { correlationOf, decodeEnvelope } from '../interfaces/index.js';
import { op, PA_VERIFY, ACTIVATE, FC, NOTICE, FIELDS, expectOk, verifyRequest, verifyResponse, activateRequest, activateResponse, outcomeRequest } from './support/soap-messages.js';

function expectRefused(d: DecodeResult, rule: string): string {
  if (d.ok) throw new Error(`expected refusal ${rule}, got a decoded ${d.msg.body.name}`);
  expect(d.rule).toBe(rule);
  return d.message;
}

// =====================================================================================
// decodeEnvelope
// =====================================================================================

describe('decodeEnvelope: namespace forms', () => {
  const cases: { name: string; xml: string }[] = [
    {
      name: 'standard prefixes soapenv:/pafn:',
      xml: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Header/><soapenv:Body><pafn:paVerifyPaymentNoticeReq>${FIELDS}</pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`,
    },
    {
      name: 'other prefixes S:/ns2: (JAX-WS style), namespace declared on the wrapper',
      xml: `<?xml version="1.0"?><S:Envelope xmlns:S="${NS.soapenv}"><S:Header/><S:Body><ns2:paVerifyPaymentNoticeReq xmlns:ns2="${NS.paForNode}">${FIELDS}</ns2:paVerifyPaymentNoticeReq></S:Body></S:Envelope>`,
    },
    {
      name: 'default namespaces, children undeclared with xmlns=""',
      xml:
        `<Envelope xmlns="${NS.soapenv}"><Body><paVerifyPaymentNoticeReq xmlns="${NS.paForNode}">` +
        `<idPA xmlns="">${FC}</idPA><idBrokerPA xmlns="">15376371009</idBrokerPA><idStation xmlns="">15376371009_01</idStation>` +
        `<qrCode xmlns=""><fiscalCode>${FC}</fiscalCode><noticeNumber>${NOTICE}</noticeNumber></qrCode></paVerifyPaymentNoticeReq></Body></Envelope>`,
    },
  ];
  it.each(cases)('$name: decoded, request of paVerifyPaymentNotice, XSD-valid', ({ xml }) => {
    const m = expectOk(decodeEnvelope(xml));
    expect(m.op?.name).toBe('paVerifyPaymentNotice');
    expect(m.kind).toBe('request');
    expect(m.body.ns).toBe(NS.paForNode);
    expect(m.body.name).toBe('paVerifyPaymentNoticeReq');
    expect(m.xsd).toEqual({ valid: true, errors: [] });
    expect(toPlain(m.body)).toEqual({
      idPA: FC,
      idBrokerPA: '15376371009',
      idStation: '15376371009_01',
      qrCode: { fiscalCode: FC, noticeNumber: NOTICE },
    });
    // children are unqualified whatever the prefixes
    expect(m.body.children.map((c) => c.ns)).toEqual([null, null, null, null]);
  });

  it('children wrongly qualified with the wrapper namespace (default xmlns inherited) are XSD-invalid (IF-X-05)', () => {
    const xml = `<Envelope xmlns="${NS.soapenv}"><Body><paVerifyPaymentNoticeReq xmlns="${NS.paForNode}">${FIELDS}</paVerifyPaymentNoticeReq></Body></Envelope>`;
    const m = expectOk(decodeEnvelope(xml));
    expect(m.op?.name).toBe('paVerifyPaymentNotice');
    expect(m.body.children[0]?.ns).toBe(NS.paForNode);
    expect(m.xsd.valid).toBe(false);
    expect(m.xsd.errors.join('\n')).toContain(`{${NS.paForNode}}idPA`);
  });

  it('children qualified with an explicit prefix are XSD-invalid too', () => {
    const qualified = FIELDS.replace(/<(\/?)(idPA|idBrokerPA|idStation|qrCode)>/g, '<$1pafn:$2>');
    const xml = `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Body><pafn:paVerifyPaymentNoticeReq>${qualified}</pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
    const m = expectOk(decodeEnvelope(xml));
    expect(m.xsd.valid).toBe(false);
  });

  it('validate:false skips the schema (the message is still decoded)', () => {
    const xml = `<Envelope xmlns="${NS.soapenv}"><Body><paVerifyPaymentNoticeReq xmlns="${NS.paForNode}">${FIELDS}</paVerifyPaymentNoticeReq></Body></Envelope>`;
    expect(expectOk(decodeEnvelope(xml, { validate: false })).xsd.valid).toBe(true);
    expect(expectOk(decodeEnvelope(xml)).xsd.valid).toBe(false);
  });

  it('a Buffer is decoded like the same string', () => {
    const xml = encodeEnvelope(PA_VERIFY, 'request', { idPA: FC, idBrokerPA: 'B', idStation: 'S', qrCode: { fiscalCode: FC, noticeNumber: NOTICE } });
    const a = expectOk(decodeEnvelope(Buffer.from(xml, 'utf8')));
    const b = expectOk(decodeEnvelope(xml));
    expect(toPlain(a.body)).toEqual(toPlain(b.body));
    expect(a.xsd.valid).toBe(true);
  });
});

describe('decodeEnvelope: refusals', () => {
  let dir: string;
  const SECRET = `COLLAUDO-SECRET-${process.pid}-${Date.now()}`;
  beforeAll(() => {
    // the schema loader registers the file-system input provider: the XXE case must still read nothing
    validatorFor(OPERATIONS.paGetPayment!.schema);
    dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-xxe-'));
    writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('DOCTYPE with an entity bomb: rule no-dtd, nothing expanded', () => {
    const bomb =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
      `<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
      `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>&lol3;</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
    const d = decodeEnvelope(bomb);
    expectRefused(d, 'no-dtd');
    expect(JSON.stringify(d)).not.toContain('lollol');
  });

  it('DOCTYPE with an external entity (XXE): rule no-dtd, the file is never read', () => {
    const file = path.join(dir, 'secret.txt');
    const xxe =
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://${file}">]>` +
      `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>&e;</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
    const d = decodeEnvelope(xxe);
    expectRefused(d, 'no-dtd');
    expect(JSON.stringify(d)).not.toContain(SECRET);
    // a lower-case keyword is not a DOCTYPE in XML (keywords are case-sensitive): not well-formed, refused
    expect(expectRefused(decodeEnvelope(xxe.replace('<!DOCTYPE', '<!doctype')), 'not-xml')).not.toContain(SECRET);
    // an external DTD subset is refused the same way
    expectRefused(decodeEnvelope(`<?xml version="1.0"?><!DOCTYPE x SYSTEM "file://${file}"><x/>`), 'no-dtd');
  });

  it('a UTF-16 document with an external entity: whatever the DTD check says, the file is not read and no entity is expanded', () => {
    const file = path.join(dir, 'secret.txt');
    const xml =
      `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://${file}"><!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;">]>` +
      `<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><S:Fault><faultcode>S:Client</faultcode><faultstring>&e;&l2;</faultstring></S:Fault></S:Body></S:Envelope>`;
    const d = decodeEnvelope(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    expect(JSON.stringify(d)).not.toContain(SECRET);
    expect(JSON.stringify(d)).not.toContain('lollol');
  });

  // The no-dtd rule reads the bytes in their own encoding (UTF-16 by byte-order mark or layout).
  it('a UTF-16 Buffer with a DOCTYPE is refused with rule no-dtd', () => {
    const xml = `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY l "lol">]><S:Envelope xmlns:S="${NS.soapenv}"><S:Body><S:Fault><faultcode>S:Client</faultcode><faultstring>&l;</faultstring></S:Fault></S:Body></S:Envelope>`;
    const d = decodeEnvelope(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    expectRefused(d, 'no-dtd');
  });

  it.each([
    ['plain text', 'this is not XML'],
    ['HTML error page, not closed', '<html><body>Service temporarily unavailable</body></html'],
    ['truncated envelope', `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><x>`],
    ['undeclared entity', `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><x>&e;</x></soapenv:Body></soapenv:Envelope>`],
  ])('not XML (%s): rule not-xml', (_n, raw) => {
    expect(expectRefused(decodeEnvelope(raw), 'not-xml')).toMatch(/not well-formed XML/);
  });

  it.each([[''], ['   \n\t ']])('empty body %j: rule not-xml, says the body is empty', (raw) => {
    expect(expectRefused(decodeEnvelope(raw), 'not-xml')).toMatch(/empty body/);
  });

  it('two elements in Body: rule body-count', () => {
    const raw = `<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><a/><b/></S:Body></S:Envelope>`;
    expect(expectRefused(decodeEnvelope(raw), 'body-count')).toContain('found 2');
  });

  it('an empty Body: rule body-count (found 0)', () => {
    expect(expectRefused(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body> </S:Body></S:Envelope>`), 'body-count')).toContain('found 0');
  });

  it('no Body: rule envelope', () => {
    expect(expectRefused(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Header/></S:Envelope>`), 'envelope')).toContain('Body is missing');
  });

  it('a Body in another namespace does not count as the SOAP Body', () => {
    expectRefused(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><Body xmlns="urn:other"><a/></Body></S:Envelope>`), 'envelope');
  });

  it('SOAP 1.2 envelope namespace: refused (rule envelope), naming the namespace found', () => {
    const raw = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><pafn:paVerifyPaymentNoticeReq xmlns:pafn="${NS.paForNode}">${FIELDS}</pafn:paVerifyPaymentNoticeReq></env:Body></env:Envelope>`;
    expect(expectRefused(decodeEnvelope(raw), 'envelope')).toContain('http://www.w3.org/2003/05/soap-envelope');
  });

  it('a bare wrapper without envelope: rule envelope', () => {
    expectRefused(decodeEnvelope(`<pafn:paVerifyPaymentNoticeReq xmlns:pafn="${NS.paForNode}">${FIELDS}</pafn:paVerifyPaymentNoticeReq>`), 'envelope');
  });
});

describe('decodeEnvelope: Fault and unknown elements', () => {
  it('parses a SOAP Fault (any prefix), trimming faultcode/faultstring; no op', () => {
    const raw = `<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><S:Fault><faultcode> S:Server </faultcode><faultstring>\n boom &amp; co \n</faultstring><detail/></S:Fault></S:Body></S:Envelope>`;
    const m = expectOk(decodeEnvelope(raw));
    expect(m.soapFault).toEqual({ faultcode: 'S:Server', faultstring: 'boom & co' });
    expect(m.op).toBeUndefined();
    expect(m.body.name).toBe('Fault');
  });

  it('a Fault without faultstring gives empty strings, not a crash', () => {
    const m = expectOk(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><S:Fault/></S:Body></S:Envelope>`));
    expect(m.soapFault).toEqual({ faultcode: '', faultstring: '' });
  });

  it('encodeSoapFault round-trips and escapes its text', () => {
    const m = expectOk(decodeEnvelope(encodeSoapFault('soapenv:Client', 'a < b & c')));
    expect(m.soapFault).toEqual({ faultcode: 'soapenv:Client', faultstring: 'a < b & c' });
  });

  it('a Fault element outside the SOAP namespace is not a SOAP Fault', () => {
    const m = expectOk(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><Fault xmlns="urn:x"><faultcode>x</faultcode></Fault></S:Body></S:Envelope>`));
    expect(m.soapFault).toBeUndefined();
    expect(m.xsd.valid).toBe(false);
  });

  it('unknown body element: decoded, no op, XSD-invalid with a message naming it', () => {
    const m = expectOk(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><pafn:collaudoNoSuchOperation xmlns:pafn="${NS.paForNode}"/></S:Body></S:Envelope>`));
    expect(m.op).toBeUndefined();
    expect(m.kind).toBeUndefined();
    expect(m.xsd.valid).toBe(false);
    expect(m.xsd.errors[0]).toContain(`{${NS.paForNode}}collaudoNoSuchOperation`);
  });

  it('a known local name in the wrong namespace is unknown', () => {
    const m = expectOk(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.nodeForPsp}">${FIELDS}</x:paVerifyPaymentNoticeReq></S:Body></S:Envelope>`));
    expect(m.op).toBeUndefined();
    expect(m.xsd.valid).toBe(false);
  });
});

// =====================================================================================
// encodeEnvelope, faultBean, serialize
// =====================================================================================

/** NodeObj → the plain view decodeEnvelope gives (numbers as text, arrays kept). */
function plainOf(v: NodeObj): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' || typeof x === 'boolean' ? String(x) : x)));
}

describe('encodeEnvelope', () => {
  it.each([
    ['paVerifyPaymentNotice', 'request', verifyRequest],
    ['paVerifyPaymentNotice', 'response', verifyResponse],
    ['activatePaymentNotice', 'request', activateRequest],
    ['activatePaymentNotice', 'response', activateResponse],
    ['sendPaymentOutcome', 'request', outcomeRequest],
    ['sendPaymentOutcome', 'response', { outcome: 'OK' }],
  ] as const)('%s %s: encode → decode gives the same op, kind and fields, XSD-valid', (name, kind, content) => {
    const o = op(name);
    const raw = encodeEnvelope(o, kind, content);
    expect(raw.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(raw).toContain(`<${o.prefix}:${kind === 'request' ? o.request : o.response}>`);
    const m = expectOk(decodeEnvelope(raw));
    expect(m.op?.name).toBe(name);
    expect(m.kind).toBe(kind);
    expect(m.xsd.errors).toEqual([]);
    expect(m.xsd.valid).toBe(true);
    expect(toPlain(m.body)).toEqual(plainOf(content));
  });

  it('keeps the key order (the XSD sequence): a reordered object is XSD-invalid', () => {
    const { idBrokerPA, ...rest } = verifyRequest;
    const reordered: NodeObj = { ...rest, idBrokerPA };
    const m = expectOk(decodeEnvelope(encodeEnvelope(PA_VERIFY, 'request', reordered)));
    expect(m.xsd.valid).toBe(false);
  });

  it('omits undefined and null fields', () => {
    const raw = encodeEnvelope(PA_VERIFY, 'response', { ...verifyResponse, officeName: undefined, companyName: 'X', extra: null });
    expect(raw).not.toContain('officeName');
    expect(raw).not.toContain('extra');
    expect(expectOk(decodeEnvelope(raw)).xsd.valid).toBe(true);
  });
});

describe('ko / readFault', () => {
  it('ko() builds a KO that is XSD-valid and readFault reads back every field', () => {
    const bean = {
      faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
      faultString: 'Errore restituito dall’ente creditore',
      id: 'NodoDeiPagamentiSPC',
      description: 'the EC said no',
      serial: 2,
      originalFaultCode: 'PAA_PAGAMENTO_SCONOSCIUTO',
      originalFaultString: 'sconosciuto',
      originalDescription: 'never issued',
    };
    const m = expectOk(decodeEnvelope(encodeEnvelope(op('verifyPaymentNotice'), 'response', ko(bean))));
    expect(m.xsd.errors).toEqual([]);
    expect(outcomeOf(m.body)).toBe('KO');
    expect(readFault(m.body)).toEqual(bean);
  });

  it('optional fields absent → undefined (no empty elements written)', () => {
    const raw = encodeEnvelope(PA_VERIFY, 'response', ko({ faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO', faultString: 'x', id: FC }));
    expect(raw).not.toContain('serial');
    expect(raw).not.toContain('original');
    const m = expectOk(decodeEnvelope(raw));
    expect(m.xsd.valid).toBe(true);
    expect(readFault(m.body)).toEqual({
      faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO',
      faultString: 'x',
      id: FC,
      description: undefined,
      serial: undefined,
      originalFaultCode: undefined,
      originalFaultString: undefined,
      originalDescription: undefined,
    });
  });

  it('readFault of an OK body is undefined; outcomeOf reads OK', () => {
    const m = expectOk(decodeEnvelope(encodeEnvelope(PA_VERIFY, 'response', verifyResponse)));
    expect(readFault(m.body)).toBeUndefined();
    expect(outcomeOf(m.body)).toBe('OK');
  });
});

describe('serialize / escaping', () => {
  it('escapes < & > " in text', () => {
    expect(serialize('a', '<&>"')).toEqual(['<a>&lt;&amp;&gt;&quot;</a>']);
    expect(escapeXml(`x<y & "z" > w`)).toBe('x&lt;y &amp; &quot;z&quot; &gt; w');
  });

  it('numbers and booleans as text, arrays repeat, objects nest in key order, null/undefined omitted', () => {
    expect(serialize('r', { n: 5, b: false, l: ['x', 'y'], u: undefined, z: null, o: { p: 1 } }).join('')).toBe(
      '<r><n>5</n><b>false</b><l>x</l><l>y</l><o><p>1</p></o></r>',
    );
  });

  it('escaped text survives an encode → decode round trip (and stays XSD-valid)', () => {
    const tricky = `Tassa <rifiuti> & "acqua" ]]> fine`;
    const m = expectOk(decodeEnvelope(encodeEnvelope(PA_VERIFY, 'response', { ...verifyResponse, paymentDescription: tricky })));
    expect(m.xsd.valid).toBe(true);
    expect(m.body.children.find((c) => c.name === 'paymentDescription')?.text).toBe(tricky);
  });
});

describe('small helpers', () => {
  it('soapActionOf strips quotes and whitespace; undefined when absent', () => {
    expect(soapActionOf({ soapaction: ' "paGetPayment" ' })).toBe('paGetPayment');
    expect(soapActionOf({ soapaction: 'paGetPayment' })).toBe('paGetPayment');
    expect(soapActionOf({})).toBeUndefined();
  });

  it('correlationOf takes the first occurrence of each key anywhere in the body', () => {
    const m = expectOk(decodeEnvelope(encodeEnvelope(ACTIVATE, 'response', activateResponse)));
    expect(correlationOf(m.body)).toEqual({ fiscalCode: FC, paymentToken: 'c110729d258c4ab1b765fe902aae41d6', creditorReferenceId: '01000000000000042' });
    const r = expectOk(decodeEnvelope(encodeEnvelope(ACTIVATE, 'request', activateRequest)));
    expect(correlationOf(r.body)).toEqual({ idempotencyKey: 'CLLDITMM001_abcdeABCDE', fiscalCode: FC, noticeNumber: NOTICE });
  });
});
