// The SOAP codec (src/wire/soap.ts, xml.ts) and the HTTP layer (src/wire/http.ts):
// decoding every envelope shape a peer may send, encoding, faultBeans, escaping; the server's
// limits and methods; the client's deadline on a VirtualClock; every transport fault on both sides;
// the journal entries of both legs with their correlation keys.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { INTERFACES } from '../interfaces/index.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { Faults, type TransportFault } from '../src/core/faults.js';
import { type CallResult, DEFAULT_MAX_BODY, type IncomingSoap, type OutgoingSoap, type RunningServer, soapActionOf, soapCall, startSoapServer } from '../src/wire/http.js';
import { NS, OPERATIONS, type Operation } from '../interfaces/index.js';
import { type DecodeResult, encodeEnvelope, encodeSoapFault, ko, outcomeOf, readFault } from '../src/wire/soap.js';
import { type NodeObj, escapeXml, serialize, toPlain } from '../src/wire/xml.js';
import { validatorFor } from '../src/wire/xsd.js';
import { judgeEcAnswer } from '../actors/nodo/judge.js';
import { correlationOf, decodeEnvelope } from '../interfaces/index.js';

const op = (name: string): Operation => {
  const o = OPERATIONS[name];
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};
const PA_VERIFY = op('paVerifyPaymentNotice');
const ACTIVATE = op('activatePaymentNotice');
const OUTCOME = op('sendPaymentOutcome');

const FC = '77777777777';
const NOTICE = '301000000000000042';
const FIELDS =
  `<idPA>${FC}</idPA><idBrokerPA>15376371009</idBrokerPA><idStation>15376371009_01</idStation>` +
  `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${NOTICE}</noticeNumber></qrCode>`;

function expectOk(d: DecodeResult) {
  if (!d.ok) throw new Error(`expected a decoded message, got ${d.rule}: ${d.message}`);
  return d.msg;
}
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

const verifyRequest: NodeObj = { idPA: FC, idBrokerPA: '15376371009', idStation: '15376371009_01', qrCode: { fiscalCode: FC, noticeNumber: NOTICE } };
const verifyResponse: NodeObj = {
  outcome: 'OK',
  paymentList: { paymentOptionDescription: { amount: '30.00', options: 'EQ', dueDate: '2026-12-31', detailDescription: 'Tassa rifiuti', allCCP: 'false' } },
  paymentDescription: 'TARI 2026',
  fiscalCodePA: FC,
  companyName: 'Comune di Prova',
  officeName: 'Ufficio Tributi',
};
const activateRequest: NodeObj = {
  idPSP: 'CLLDITMM001',
  idBrokerPSP: '99999000001',
  idChannel: '99999000001_01',
  password: 'collaudo_01',
  idempotencyKey: 'CLLDITMM001_abcdeABCDE',
  qrCode: { fiscalCode: FC, noticeNumber: NOTICE },
  expirationTime: 1_800_000,
  amount: '30.00',
};
const activateResponse: NodeObj = {
  outcome: 'OK',
  totalAmount: '30.00',
  paymentDescription: 'TARI 2026',
  fiscalCodePA: FC,
  companyName: 'Comune di Prova',
  paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
  transferList: {
    transfer: [
      { idTransfer: 1, transferAmount: '20.00', fiscalCodePA: FC, IBAN: 'IT15V0306901783100000300001', remittanceInformation: 'quota comunale' },
      { idTransfer: 2, transferAmount: '10.00', fiscalCodePA: '88888888888', IBAN: 'IT30N0103076271000001823603', remittanceInformation: 'quota provinciale' },
    ],
  },
  creditorReferenceId: '01000000000000042',
};
const outcomeRequest: NodeObj = {
  idPSP: 'CLLDITMM001',
  idBrokerPSP: '99999000001',
  idChannel: '99999000001_01',
  password: 'collaudo_01',
  idempotencyKey: 'CLLDITMM001_abcdeABCDF',
  paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
  outcome: 'OK',
  details: { paymentMethod: 'creditCard', paymentChannel: 'onLine', fee: '1.00', applicationDate: '2026-11-23', transferDate: '2026-11-24' },
};

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

// =====================================================================================
// HTTP layer
// =====================================================================================

const clock = new VirtualClock();
let serverJournal = new Journal(clock);
let clientJournal = new Journal(clock);
let serverFaults = new Faults();
let clientFaults = new Faults();

interface Seen {
  raw: string;
  soapAction?: string;
  decoded: DecodeResult;
  path: string;
}
const seen: Seen[] = [];
/** per-notice behaviour of the test server: virtual lateness, or a real hang released at the end */
const lateness = new Map<string, number>();
const hangs = new Map<string, Promise<void>>();
const releases: (() => void)[] = [];

async function handle(req: IncomingSoap): Promise<OutgoingSoap> {
  seen.push({ raw: req.raw, soapAction: req.soapAction, decoded: req.decoded, path: req.path });
  const d = req.decoded;
  if (!d.ok || !d.msg.op || d.msg.kind !== 'request') return { status: 500, body: encodeSoapFault('soapenv:Client', d.ok ? 'not a request' : d.message) };
  const nn = correlationOf(d.msg.body).noticeNumber ?? '';
  const late = lateness.get(nn);
  if (late) await clock.spend(late);
  const hang = hangs.get(nn);
  if (hang) await hang;
  const o = d.msg.op;
  const content = o.name === 'activatePaymentNotice' ? activateResponse : o.name === 'paVerifyPaymentNotice' ? verifyResponse : { outcome: 'OK' };
  return { status: 200, body: encodeEnvelope(o, 'response', content) };
}

let server: RunningServer;
let url: string;
beforeAll(async () => {
  server = await startSoapServer({ interfaces: INTERFACES,
    name: 'test-ec',
    clock,
    journal: () => serverJournal,
    faults: () => serverFaults,
    get: (p) => (p === '/svc?wsdl' ? { status: 200, type: 'text/xml; charset=UTF-8', body: '<definitions/>' } : undefined),
    handle,
  });
  url = `${server.url}/svc`;
});
afterAll(async () => {
  for (const r of releases) r();
  await server.close();
});
beforeEach(() => {
  serverJournal = new Journal(clock);
  clientJournal = new Journal(clock);
  serverFaults = new Faults();
  clientFaults = new Faults();
  seen.length = 0;
});

let counter = 100;
/** a fresh notice number per call, so fault rules never touch another test's traffic */
const freshNotice = () => `3010000000000${String(counter++).padStart(5, '0')}`;

function call(o: { notice?: string; opName?: string; content?: NodeObj; timeoutMs?: number; realCapMs?: number; envelope?: string } = {}): Promise<CallResult> {
  const oper = op(o.opName ?? 'paVerifyPaymentNotice');
  const nn = o.notice ?? freshNotice();
  const content = o.content ?? { ...verifyRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } };
  return soapCall({
    url,
    op: oper,
    envelope: o.envelope ?? encodeEnvelope(oper, 'request', content),
    from: 'nodo',
    to: 'ec',
    timeoutMs: o.timeoutMs ?? 7000,
    realCapMs: o.realCapMs,
    clock,
    journal: clientJournal,
    faults: clientFaults,
  });
}

describe('startSoapServer', () => {
  it(`a 2 MB body (limit ${DEFAULT_MAX_BODY} bytes) gets 413 with a SOAP Fault; the handler never runs`, async () => {
    const filler = 'x'.repeat(2 * 1024 * 1024);
    const envelope = encodeEnvelope(PA_VERIFY, 'request', { ...verifyRequest, filler });
    expect(Buffer.byteLength(envelope)).toBeGreaterThan(DEFAULT_MAX_BODY);
    const r = await call({ envelope });
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(413);
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.soapFault?.faultcode).toBe('soapenv:Client');
    expect(m?.soapFault?.faultstring).toContain(String(DEFAULT_MAX_BODY));
    expect(seen).toHaveLength(0);
  });

  it('a body just under a custom limit is served; one byte over is 413', async () => {
    const envelope = encodeEnvelope(PA_VERIFY, 'request', verifyRequest);
    const size = Buffer.byteLength(envelope);
    for (const [limit, status] of [
      [size, 200],
      [size - 1, 413],
    ] as const) {
      const s = await startSoapServer({ interfaces: INTERFACES, name: 'small', clock, maxBodyBytes: limit, handle });
      try {
        const r = await fetch(`${s.url}/svc`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '"paVerifyPaymentNotice"' }, body: envelope });
        expect(r.status, `limit ${limit}`).toBe(status);
        await r.text();
      } finally {
        await s.close();
      }
    }
  });

  it('GET handler answers what it knows', async () => {
    const r = await fetch(`${server.url}/svc?wsdl`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/xml');
    expect(await r.text()).toBe('<definitions/>');
  });

  it('GET of something the handler does not know, PUT and DELETE: 405 with Allow: POST', async () => {
    for (const [method, p] of [
      ['GET', '/svc'],
      ['PUT', '/svc'],
      ['DELETE', '/svc?wsdl'],
    ] as const) {
      const r = await fetch(`${server.url}${p}`, { method });
      expect(r.status, `${method} ${p}`).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      await r.text();
    }
    expect(seen).toHaveLength(0);
  });

  it('a server without a GET handler refuses GET with 405', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES, name: 'noget', clock, handle });
    try {
      const r = await fetch(`${s.url}/svc?wsdl`);
      expect(r.status).toBe(405);
      await r.text();
    } finally {
      await s.close();
    }
  });

  it('a handler that throws gives HTTP 500 with a soapenv:Server Fault', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES,
      name: 'thrower',
      clock,
      handle: async () => {
        throw new Error('kaputt');
      },
    });
    try {
      const r = await soapCall({ url: s.url, op: PA_VERIFY, envelope: encodeEnvelope(PA_VERIFY, 'request', verifyRequest), from: 'nodo', to: 'ec', timeoutMs: 7000, clock });
      expect(r.status).toBe(500);
      expect(r.decoded && expectOk(r.decoded).soapFault).toEqual({ faultcode: 'soapenv:Server', faultstring: 'internal error: kaputt' });
    } finally {
      await s.close();
    }
  });
});

describe('soapCall', () => {
  it('a normal exchange: ok, status 200, decoded and XSD-valid answer, SOAPAction quoted on the wire', async () => {
    const r = await call();
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(200);
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.kind).toBe('response');
    expect(m?.xsd.valid).toBe(true);
    expect(r.late).toBeUndefined();
    expect(seen[0]?.soapAction).toBe('paVerifyPaymentNotice');
    expect(serverJournal.entries[0]?.headers?.soapaction).toBe('"paVerifyPaymentNotice"');
  });

  it('answer within the deadline on the VirtualClock: ok, latency = the time the server spent', async () => {
    const nn = freshNotice();
    lateness.set(nn, 3000);
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('ok');
    expect(r.latencyMs).toBeGreaterThanOrEqual(3000);
    expect(r.latencyMs).toBeLessThan(7000);
  });

  it('server answers late via clock.spend: timeout, late, latency ≥ deadline, the late answer kept as evidence', async () => {
    const nn = freshNotice();
    lateness.set(nn, 8000);
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(Date.now() - before).toBeLessThan(5000); // virtual lateness costs no real time
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(7000);
    expect(r.latencyMs).toBeGreaterThanOrEqual(8000);
    expect(r.status).toBe(200);
    expect(r.raw).toContain('paVerifyPaymentNoticeRes');
    const resp = clientJournal.filter((e) => e.direction === 'response')[0];
    expect(resp?.transport).toBe('timeout');
    expect(resp?.note).toContain('after the 7000 ms deadline');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('a server that hangs in real time: on a VirtualClock the caller gives up after realCapMs and reports the full deadline', async () => {
    const nn = freshNotice();
    hangs.set(nn, new Promise<void>((r) => releases.push(r)));
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000, realCapMs: 150 });
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
    expect(r.transport).toBe('timeout');
    expect(r.latencyMs).toBeGreaterThanOrEqual(7000);
    expect(r.raw).toBeUndefined();
  });

  it('connection refused (closed port): transport refused, with the error code', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES, name: 'gone', clock, handle });
    const closedUrl = `${s.url}/svc`;
    await s.close();
    const r = await soapCall({ url: closedUrl, op: PA_VERIFY, envelope: encodeEnvelope(PA_VERIFY, 'request', verifyRequest), from: 'nodo', to: 'ec', timeoutMs: 7000, clock, journal: clientJournal });
    expect(r.transport).toBe('refused');
    expect(r.error).toContain('ECONNREFUSED');
    expect(r.status).toBeUndefined();
    expect(clientJournal.entries.map((e) => [e.direction, e.transport])).toEqual([
      ['request', undefined],
      ['response', 'refused'],
    ]);
  });
});

describe('transport faults, outbound (applied by the caller)', () => {
  const outbound = (nn: string, fault: TransportFault) => clientFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: nn }, fault, times: 1 });

  it('refused: nothing is delivered, latency 0, journal notes the injected fault', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'refused' });
    const r = await call({ notice: nn });
    expect(r.transport).toBe('refused');
    expect(r.latencyMs).toBe(0);
    expect(seen).toHaveLength(0);
    expect(serverJournal.entries).toHaveLength(0);
    expect(clientJournal.entries[0]?.note).toContain('injected fault: refused');
    expect(clientJournal.entries[1]?.transport).toBe('refused');
  });

  it('the rule fires `times` times only: the next call goes through', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'refused' });
    expect((await call({ notice: nn })).transport).toBe('refused');
    expect((await call({ notice: nn })).transport).toBe('ok');
    expect(seen).toHaveLength(1);
  });

  it('a rule for another notice does not fire', async () => {
    outbound(freshNotice(), { kind: 'refused' });
    expect((await call()).transport).toBe('ok');
  });

  it('no-answer: the peer processed the request, the answer is lost; timeout at the deadline', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'no-answer' });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(seen).toHaveLength(1);
    expect(r.transport).toBe('timeout');
    expect(r.latencyMs).toBe(7000);
    expect(r.error).toContain('answer lost');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('delay below the deadline: ok, latency ≥ the delay', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'delay', ms: 2500 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('ok');
    expect(r.latencyMs).toBeGreaterThanOrEqual(2500);
    expect(r.latencyMs).toBeLessThan(7000);
  });

  it('delay beyond the deadline: a late answer, timeout', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'delay', ms: 9000 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(9000);
  });

  it('wrong-soapaction: the peer sees another SOAPAction, the journal records it', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'wrong-soapaction' });
    await call({ notice: nn });
    expect(seen[0]?.soapAction).toBe('collaudoWrongOperation');
    expect(clientJournal.entries[0]?.soapAction).toBe('collaudoWrongOperation');
    expect(seen[0]?.decoded.ok).toBe(true);
  });

  it('non-xml: the peer receives text that is not XML', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'non-xml' });
    await call({ notice: nn });
    expect(seen[0]?.raw).toBe('this is not XML');
    expect(seen[0]?.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
    expect(clientJournal.entries[0]?.raw).toBe('this is not XML');
  });

  it('truncated: the peer receives the first half of the envelope', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'truncated' });
    const full = encodeEnvelope(PA_VERIFY, 'request', { ...verifyRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } });
    await call({ notice: nn });
    expect(seen[0]?.raw).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(seen[0]?.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('schema-invalid: the peer receives a well-formed request that breaks the XSD', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'schema-invalid' });
    await call({ notice: nn });
    const m = seen[0] && expectOk(seen[0].decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.xsd.valid).toBe(false);
    expect(m?.xsd.errors.join(' ')).toContain('collaudoBogus');
    // the server journals its XSD verdict on the request leg
    expect(serverJournal.entries[0]?.xsd?.valid).toBe(false);
  });
});

describe('transport faults, inbound (applied by the server to its answer)', () => {
  const inbound = (nn: string, fault: TransportFault) => serverFaults.add({ side: 'inbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: nn }, fault });

  it('http500 with a SOAP Fault', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'http500', soapFault: true });
    const r = await call({ notice: nn });
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(500);
    expect(r.decoded && expectOk(r.decoded).soapFault?.faultcode).toBe('soapenv:Server');
    expect(seen).toHaveLength(1); // the request was processed
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('invalid');
  });

  it('http500 without a SOAP Fault: a plain-text body', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'http500', soapFault: false });
    const r = await call({ notice: nn });
    expect(r.status).toBe(500);
    expect(r.raw).toBe('Internal Server Error');
    expect(r.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('non-xml: HTTP 200 with an HTML page that is not well-formed', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'non-xml' });
    const r = await call({ notice: nn });
    expect(r.status).toBe(200);
    expect(r.raw).toContain('<html>');
    expect(r.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('truncated: HTTP 200 with half of the real answer', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'truncated' });
    const r = await call({ notice: nn });
    const full = encodeEnvelope(PA_VERIFY, 'response', verifyResponse);
    expect(r.status).toBe(200);
    expect(r.raw).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(r.decoded?.ok).toBe(false);
  });

  it('schema-invalid: HTTP 200, well-formed, the right response element, XSD-invalid', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'schema-invalid' });
    const r = await call({ notice: nn });
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.kind).toBe('response');
    expect(m?.xsd.valid).toBe(false);
    expect(clientJournal.entries[1]?.xsd?.valid).toBe(false);
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('invalid');
  });

  it('reset: the connection is reset after the request was read', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'reset' });
    const r = await call({ notice: nn });
    expect(seen).toHaveLength(1);
    expect(r.transport).toBe('reset');
    expect(r.raw).toBeUndefined();
    expect(serverJournal.entries[1]?.transport).toBe('reset');
    expect(clientJournal.entries[1]?.transport).toBe('reset');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('unreachable');
  });

  it('no-answer: the request is processed, no answer comes; latency ≥ deadline and the Nodo judges it a timeout', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'no-answer' });
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(Date.now() - before).toBeLessThan(5000);
    expect(seen).toHaveLength(1);
    expect(r.transport).not.toBe('ok');
    expect(r.raw).toBeUndefined();
    expect(r.latencyMs).toBeGreaterThan(7000);
    expect(serverJournal.entries[1]?.transport).toBe('no-answer');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('delay (inbound): the server spends the time on the clock before answering', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'delay', ms: 7500 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(serverJournal.entries[1]?.latencyMs).toBeGreaterThanOrEqual(7500);
  });
});

describe('journal: both legs, with correlation keys', () => {
  it('activatePaymentNotice: client and server journal request and response; keys noticeNumber, fiscalCode, paymentToken', async () => {
    const nn = freshNotice();
    const content = { ...activateRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } };
    const r = await soapCall({
      url,
      op: ACTIVATE,
      envelope: encodeEnvelope(ACTIVATE, 'request', content),
      from: 'psp',
      to: 'nodo',
      timeoutMs: 7000,
      clock,
      journal: clientJournal,
      headers: { 'x-collaudo-from': 'psp' },
      note: 'unit test',
    });
    expect(r.transport).toBe('ok');
    const [creq, cres] = clientJournal.entries;
    expect(clientJournal.entries).toHaveLength(2);
    expect(creq).toMatchObject({ direction: 'request', from: 'psp', to: 'nodo', primitive: 'activatePaymentNotice', soapAction: 'activatePaymentNotice', note: 'unit test' });
    expect(creq?.correlation).toEqual({ noticeNumber: nn, fiscalCode: FC, idempotencyKey: activateRequest.idempotencyKey });
    expect(cres).toMatchObject({ direction: 'response', from: 'nodo', to: 'psp', httpStatus: 200, exchange: creq?.exchange });
    expect(cres?.correlation).toMatchObject({ noticeNumber: nn, fiscalCode: FC, paymentToken: activateResponse.paymentToken });
    expect(cres?.xsd?.valid).toBe(true);
    expect(cres?.latencyMs).toBe(0);
    expect(cres?.raw).toContain('activatePaymentNoticeRes');

    const [sreq, sres] = serverJournal.entries;
    expect(serverJournal.entries).toHaveLength(2);
    expect(sreq).toMatchObject({ direction: 'request', from: 'psp', to: 'test-ec', primitive: 'activatePaymentNotice', url: '/svc' });
    expect(sreq?.correlation).toMatchObject({ noticeNumber: nn, fiscalCode: FC });
    expect(sreq?.xsd?.valid).toBe(true);
    expect(sres).toMatchObject({ direction: 'response', from: 'test-ec', httpStatus: 200, exchange: sreq?.exchange });
    expect(sres?.correlation).toMatchObject({ noticeNumber: nn });
    expect(sres?.raw).toBe(cres?.raw);
    // seq numbers are consecutive
    expect(clientJournal.entries.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('sendPaymentOutcome: the token is the correlation key of both legs', async () => {
    const r = await soapCall({ url, op: OUTCOME, envelope: encodeEnvelope(OUTCOME, 'request', outcomeRequest), from: 'psp', to: 'nodo', timeoutMs: 7000, clock, journal: clientJournal });
    expect(r.transport).toBe('ok');
    for (const e of [...clientJournal.entries, ...serverJournal.entries]) expect(e.correlation.paymentToken, `${e.direction} ${e.from}`).toBe(outcomeRequest.paymentToken);
  });

  it('journal.waitFor resolves on a future entry and rejects at its deadline', async () => {
    const j = new Journal(clock);
    const p = j.waitFor((e) => e.primitive === 'x', 2000, 'x');
    j.record({ exchange: 1, direction: 'request', from: 'a', to: 'b', primitive: 'x', raw: '', correlation: {} });
    expect((await p).primitive).toBe('x');
    await expect(j.waitFor((e) => e.primitive === 'never', 30, 'never')).rejects.toThrow(/never came/);
  });
});
