// Issue 8 items 2 and 5 (XML part): the encoding of a message is decided once from its bytes (XML 1.0
// Appendix F, RFC 7303 for the charset), DTDs and processing instructions are refused on the parsed
// tree, malformed XML is refused with line and column. Unit cases on the decoder, then the same bytes
// over HTTP to the reference EC, which must process a valid UTF-16 request and answer its syntax
// fault to an encoding SANP does not allow.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soapCall } from '../src/wire/http.js';
import { judgeEcAnswer } from '../actors/nodo/judge.js';
import { VirtualClock } from '../src/core/clock.js';
import { NS, OPERATIONS } from '../interfaces/index.js';
import { type DecodeResult, encodeEnvelope, outcomeOf, readFault } from '../src/wire/soap.js';
import { readXml } from '../src/wire/xml.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { ReferenceNodo } from '../actors/nodo/index.js';
import { harnessPspEntries } from '../domain/registry.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { decodeEnvelope, decodeMessage } from '../interfaces/index.js';

const FC = '77777777777';
const BROKER = '99000000001';
const STATION = '77777777777_01';
const VERIFY = OPERATIONS.paVerifyPaymentNotice!;
const IBANS = ['IT60X0542811101000000123456'];

const verifyXml = (noticeNumber: string, decl = '<?xml version="1.0" encoding="UTF-8"?>', extra = '') =>
  `${decl}<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:pafn="${NS.paForNode}"><soapenv:Header/><soapenv:Body>` +
  `<pafn:paVerifyPaymentNoticeReq><idPA>${FC}</idPA><idBrokerPA>${BROKER}</idBrokerPA><idStation>${STATION}</idStation>` +
  `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${noticeNumber}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>${extra}</soapenv:Body></soapenv:Envelope>`;

const utf16le = (s: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string, bom = true) => {
  const b = Buffer.from(s, 'utf16le').swap16();
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), b]);
};

function refused(d: DecodeResult): { rule: string; message: string } {
  if (d.ok) throw new Error(`expected a refusal, got a decoded ${d.msg.body.name}`);
  return d;
}

// a Fault body carries its text back, so the decoder's characters can be compared exactly
const faultWith = (decl: string, text: string) =>
  `${decl}<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><S:Fault><faultcode>S:Client</faultcode><faultstring>${text}</faultstring></S:Fault></S:Body></S:Envelope>`;

describe('encoding decided once from the bytes (XML 1.0 Appendix F, RFC 7303)', () => {
  it('UTF-16 LE and BE with a byte-order mark: decoded, the request is a valid paVerifyPaymentNotice', () => {
    for (const bytes of [utf16le(verifyXml('302000000000000001', '<?xml version="1.0" encoding="UTF-16"?>')), utf16be(verifyXml('302000000000000001'))]) {
      const d = decodeEnvelope(bytes, { contentType: 'text/xml; charset=UTF-8' }); // the BOM wins over the charset
      if (!d.ok) throw new Error(`refused: ${d.message}`);
      expect(d.msg.op?.name).toBe('paVerifyPaymentNotice');
      expect(d.msg.xsd).toEqual({ valid: true, errors: [] });
      expect(d.msg.encoding).toMatch(/^UTF-16[LB]E$/);
    }
  });

  it('UTF-16 without a byte-order mark (<\\0?\\0 and \\0<\\0?): decoded by the first bytes', () => {
    const xml = faultWith('<?xml version="1.0" encoding="UTF-16"?>', 'città €');
    for (const bytes of [utf16le(xml, false), utf16be(xml, false)]) {
      const m = decodeMessage(bytes);
      if (!m.decoded.ok) throw new Error(m.decoded.message);
      expect(m.decoded.msg.soapFault?.faultstring).toBe('città €');
      expect(m.text).toBe(xml);
    }
  });

  it('UTF-16 without BOM carrying an ATTLIST-only DOCTYPE: refused no-dtd, and an entity DOCTYPE too', () => {
    for (const dtd of ['<!DOCTYPE S:Envelope [<!ATTLIST S:Envelope x CDATA "y">]>', '<!DOCTYPE x [<!ENTITY l "lol">]>']) {
      const xml = `<?xml version="1.0" encoding="UTF-16"?>${dtd}` + verifyXml('302000000000000001', '');
      for (const bytes of [utf16le(xml, false), utf16be(xml, false), utf16le(xml), Buffer.from(xml.replace('UTF-16', 'UTF-8'), 'utf8')]) {
        expect(refused(decodeEnvelope(bytes)).rule).toBe('no-dtd');
      }
    }
  });

  it('"<!DOCTYPE" inside a comment or CDATA is no DTD: the refusal reads the parsed tree, not the text', () => {
    const d = decodeEnvelope(faultWith('', '<!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE y>]]>'));
    if (!d.ok) throw new Error(d.message);
    expect(d.msg.soapFault?.faultstring).toBe('<!DOCTYPE y>');
  });

  it('ISO-8859-1 declared: decoded correctly (è, not U+FFFD), then refused as a syntax error naming IF-X-01', () => {
    const bytes = Buffer.from(verifyXml('302000000000000001', '<?xml version="1.0" encoding="ISO-8859-1"?>').replace('</soapenv:Body>', '</soapenv:Body><!-- è -->'), 'latin1');
    const m = decodeMessage(bytes);
    expect(m.text).toContain('<!-- è -->');
    expect(m.text).not.toContain('\uFFFD');
    if (!m.decoded.ok) throw new Error(m.decoded.message);
    expect(m.decoded.msg.op?.name).toBe('paVerifyPaymentNotice'); // the fault can name the operation
    expect(m.decoded.msg.xsd.valid).toBe(false);
    expect(m.decoded.msg.xsd.errors[0]).toMatch(/ISO-8859-1 \(XML declaration\) is not allowed.*IF-X-01/);
    // refused even when schema validation is not asked for
    const nv = decodeEnvelope(bytes, { validate: false });
    expect(nv.ok && nv.msg.xsd.valid).toBe(false);
  });

  it('the Content-Type charset overrides the declaration (RFC 7303): charset=ISO-8859-1 is refused, charset=UTF-8 reads UTF-8', () => {
    const bytes = Buffer.from(faultWith('<?xml version="1.0" encoding="UTF-8"?>', 'è'), 'utf8');
    const latin = decodeEnvelope(bytes, { contentType: 'text/xml; charset="iso-8859-1"' });
    expect(latin.ok && latin.msg.xsd.errors[0]).toMatch(/ISO-8859-1 \(Content-Type charset\) is not allowed/);
    const utf8 = decodeEnvelope(bytes, { contentType: 'text/xml;charset=utf-8' });
    expect(utf8.ok && utf8.msg.soapFault?.faultstring).toBe('è');
    expect(readXml(bytes, 'text/xml').by).toBe('declaration');
  });

  it('Latin-1 bytes in a message that says (or defaults to) UTF-8: not well-formed, never U+FFFD', () => {
    for (const decl of ['<?xml version="1.0" encoding="UTF-8"?>', '']) {
      const m = decodeMessage(Buffer.from(faultWith(decl, 'città'), 'latin1'), { contentType: 'text/xml; charset=UTF-8' });
      const r = refused(m.decoded);
      expect(r.rule).toBe('not-xml');
      expect(r.message).toMatch(/not valid UTF-8/);
      expect(m.text).not.toContain('\uFFFD');
      expect(m.text).toContain('città'); // the journal keeps the bytes readable
    }
  });

  it('an unknown encoding name is refused (rule encoding), a UTF-16 declaration on 8-bit bytes is not well-formed', () => {
    expect(refused(decodeEnvelope(Buffer.from(faultWith('<?xml version="1.0" encoding="X-COLLAUDO"?>', 'x')))).rule).toBe('encoding');
    expect(refused(decodeEnvelope(Buffer.from(faultWith('<?xml version="1.0" encoding="UTF-16"?>', 'x')))).rule).toBe('not-xml');
  });
});

describe('processing instructions and malformed XML (issue 8 item 5)', () => {
  // SOAP 1.1 §3: "A SOAP message MUST NOT contain Processing Instructions" — wherever they stand.
  it.each([
    ['before the body element', verifyXml('302000000000000001').replace('<soapenv:Body>', '<?collaudo x?><soapenv:Body>')],
    ['inside Body, before the wrapper', verifyXml('302000000000000001').replace('<soapenv:Body>', '<soapenv:Body><?collaudo x?>')],
    ['inside Body, after the wrapper', verifyXml('302000000000000001', undefined, '<?collaudo x?>')],
    ['after the Envelope', `${verifyXml('302000000000000001')}<?collaudo x?>`],
    ['before the Envelope', verifyXml('302000000000000001', '<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?>')],
    ['inside a field', verifyXml('302000000000000001').replace('<idPA>', '<idPA><?collaudo x?>')],
  ])('a PI %s: refused with rule no-pi and a message that says so', (_where, xml) => {
    const r = refused(decodeEnvelope(xml));
    expect(r.rule).toBe('no-pi');
    expect(r.message).toMatch(/processing instructions are not allowed in SOAP messages/);
  });

  it('the XML declaration is not a PI: accepted', () => {
    expect(decodeEnvelope(verifyXml('302000000000000001')).ok).toBe(true);
  });

  it('malformed XML: the message names line and column', () => {
    const xml = `<?xml version="1.0"?>\n<S:Envelope xmlns:S="${NS.soapenv}">\n  <S:Body>\n    <x a=1/>\n  </S:Body>\n</S:Envelope>`;
    expect(refused(decodeEnvelope(xml)).message).toMatch(/^not well-formed XML: .+ \(line 4, column \d+\)$/);
    const truncated = refused(decodeEnvelope(`<S:Envelope xmlns:S="${NS.soapenv}"><S:Body>`));
    expect(truncated.message).toMatch(/\(line 1, column \d+\)/);
  });
});

describe('over HTTP: the reference EC and the reference Nodo', () => {
  const clock = new VirtualClock();
  let ec: ReferenceEc;
  let nodo: ReferenceNodo;
  let nodoUrl = '';
  beforeAll(async () => {
    ec = new ReferenceEc({
      clock, idPA: FC, idBrokerPA: BROKER, idStation: STATION, companyName: 'Comune di Collaudo', officeName: 'Ufficio Tributi',
      segregationCode: '01', ibans: IBANS, defects: [], host: '127.0.0.1', port: 0,
    });
    const { url } = await ec.start();
    nodo = new ReferenceNodo({
      clock,
      registry: {
        ecs: [{ fiscalCode: FC, companyName: 'Comune di Collaudo', enabled: true, ibans: IBANS, stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] }],
        brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
        stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url, version: 1 }],
        ...harnessPspEntries(),
      },
      journal: () => undefined,
    });
    ({ url: nodoUrl } = await nodo.start());
  });
  afterAll(async () => {
    await nodo?.stop();
    await ec?.stop();
  });

  const post = async (body: Buffer, contentType: string, to = ec.url, action = 'paVerifyPaymentNotice') => {
    const r = await fetch(to, { method: 'POST', headers: { 'content-type': contentType, soapaction: `"${action}"` }, body: new Uint8Array(body) });
    const raw = await r.text();
    const d = decodeEnvelope(raw);
    return { status: r.status, raw, body: d.ok ? d.msg.body : undefined };
  };

  it('a valid UTF-16 request with a BOM is processed: HTTP 200, outcome OK (was: 500 not well-formed)', async () => {
    const p = ec.provision({ state: 'payable' });
    const a = await post(utf16le(verifyXml(p.noticeNumber, '<?xml version="1.0" encoding="UTF-16"?>')), 'text/xml; charset=UTF-16');
    expect(a.status).toBe(200);
    expect(a.body && outcomeOf(a.body)).toBe('OK');
  });

  it('UTF-16 without BOM with an ATTLIST-only DOCTYPE is refused (was: OK)', async () => {
    const p = ec.provision({ state: 'payable' });
    const xml = `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ATTLIST x y CDATA "z">]>` + verifyXml(p.noticeNumber, '');
    for (const ct of ['text/xml', 'text/xml; charset=UTF-16']) {
      const a = await post(utf16le(xml, false), ct);
      expect(a.status).toBe(500);
      expect(a.raw).toMatch(/no-dtd/);
    }
  });

  it('an ISO-8859-1 request gets the EC syntax fault PAA_SINTASSI_EXTRAXSD (was: OK with U+FFFD)', async () => {
    const p = ec.provision({ state: 'payable' });
    const bytes = Buffer.from(verifyXml(p.noticeNumber, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1');
    const a = await post(bytes, 'text/xml; charset=ISO-8859-1');
    expect(a.status).toBe(200);
    expect(a.body && readFault(a.body)?.faultCode).toBe('PAA_SINTASSI_EXTRAXSD');
    expect(a.body && readFault(a.body)?.description).toMatch(/ISO-8859-1/);
    // the same request in UTF-8 is answered OK: only the encoding was wrong
    const ok = await post(Buffer.from(encodeEnvelope(VERIFY, 'request', { idPA: FC, idBrokerPA: BROKER, idStation: STATION, qrCode: { fiscalCode: FC, noticeNumber: p.noticeNumber } })), 'text/xml; charset=UTF-8');
    expect(ok.body && outcomeOf(ok.body)).toBe('OK');
  });

  const pspVerify = (noticeNumber: string, decl: string) =>
    `${decl}<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:nfp="${NS.nodeForPsp}"><soapenv:Body><nfp:verifyPaymentNoticeReq>` +
    `<idPSP>${HARNESS_PSP.idPSP}</idPSP><idBrokerPSP>${HARNESS_PSP.idBrokerPSP}</idBrokerPSP><idChannel>${HARNESS_PSP.idChannel}</idChannel><password>${HARNESS_PSP.password}</password>` +
    `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${noticeNumber}</noticeNumber></qrCode></nfp:verifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;

  it('the Nodo: a UTF-16BE request with BOM is processed (OK), an ISO-8859-1 one gets PPT_SINTASSI_EXTRAXSD', async () => {
    const p = ec.provision({ state: 'payable' });
    const a = await post(utf16be(pspVerify(p.noticeNumber, '<?xml version="1.0" encoding="UTF-16"?>')), 'text/xml', nodoUrl, 'verifyPaymentNotice');
    expect(a.status).toBe(200);
    expect(a.body && outcomeOf(a.body)).toBe('OK');
    const l = await post(Buffer.from(pspVerify(p.noticeNumber, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1'), 'text/xml', nodoUrl, 'verifyPaymentNotice');
    expect(l.status).toBe(200);
    expect(l.body && readFault(l.body)?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD');
  });
});

describe('over HTTP: the client reads an answer in its own encoding', () => {
  let answer: { body: Buffer; type: string } = { body: Buffer.alloc(0), type: 'text/xml' };
  let server: http.Server;
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const response = encodeEnvelope(VERIFY, 'response', {
    outcome: 'OK',
    paymentList: { paymentOptionDescription: { amount: '10.00', options: 'EQ', allCCP: false } },
    paymentDescription: 'Tassa città',
    fiscalCodePA: FC,
    companyName: 'Comune di Collaudo',
  });
  const call = () =>
    soapCall({ url, op: VERIFY, envelope: verifyXml('302000000000000001'), from: 'nodo', to: 'ec', timeoutMs: 7000, clock: new VirtualClock() });

  it('a UTF-16 answer with a BOM is decoded and judged on its content (was: not well-formed)', async () => {
    answer = { body: utf16le(response.replace('encoding="UTF-8"', 'encoding="UTF-16"')), type: 'text/xml; charset=UTF-16' };
    const r = await call();
    expect(r.decoded?.ok && r.decoded.msg.xsd).toEqual({ valid: true, errors: [] });
    expect(r.raw).toContain('Tassa città');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('ok');
  });

  it('an ISO-8859-1 answer is read without U+FFFD and judged invalid for its encoding (IF-X-01)', async () => {
    answer = { body: Buffer.from(response.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1'), type: 'text/xml; charset=ISO-8859-1' };
    const r = await call();
    expect(r.raw).toContain('Tassa città');
    const v = judgeEcAnswer('paVerifyPaymentNotice', r, 7000);
    expect(v.kind).toBe('invalid');
    expect(v.kind === 'invalid' && v.reason).toMatch(/ISO-8859-1/);
  });
});
