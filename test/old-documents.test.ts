/**
 * The old model's business documents (domain/old, interfaces/old/documents):
 * 1. our schemas compile;
 * 2. every sample in fixtures/xsd-samples/old gets the expected verdict from OUR schema; an invalid one
 *    names the field its comment `<!-- invalid: field ... -->` lists;
 * 3. the same verdict from the OFFICIAL schemas when a pagopa/pagopa-api snapshot is present (else the
 *    cross-check is skipped with the reason printed, see src/core/paths.ts), and the same facts: our
 *    schemas, written by us, declare the official namespaces, elements, types, sequences,
 *    occurrences and facets (layout and comments aside);
 * 4. the readers accept every valid sample and refuse every invalid one with a DocumentError naming
 *    one of the listed fields; the builders round-trip what the readers read, and what they build
 *    validates against our schema and the official one;
 * 5. base64 transport, safe parsing, IUV/CCP and the codiceIdRPT forms.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_API_DIR, PACKAGE_ROOT, officialMissing } from '../src/core/paths.js';
import { XmlDocument, XmlElement } from 'libxml2-wasm';
import { parseDocument } from '../src/wire/xml.js';
import { type XsdVerdict, validateElement, validatorFor } from '../src/wire/xsd.js';
import { noticeCheckDigitOk } from '../domain/common.js';
import * as old from '../domain/old/index.js';

const SAMPLES = path.join(PACKAGE_ROOT, 'fixtures', 'xsd-samples', 'old');
const OURS = path.join(PACKAGE_ROOT, 'interfaces', 'old', 'documents');
/** Where each official schema lives in the pagopa-api snapshot. */
const OFFICIAL_FOLDER: Record<string, string> = { 'RR_ER_1_0_0.xsd': 'general' };
const official = (file: string) => path.join(OFFICIAL_API_DIR, OFFICIAL_FOLDER[file] ?? 'gad/xsd', file);
const SCHEMA_FILES = [...new Set(Object.values(old.OLD_DOCUMENT_SCHEMAS)), 'sac-common-types-1.0.xsd'];
const officialAvailable = SCHEMA_FILES.every((f) => existsSync(official(f)));
const SKIP_REASON = officialMissing('old-model document cross-check against the official schemas');

function verdict(xml: string | Buffer, schema: string): XsdVerdict {
  const doc = parseDocument(xml);
  try {
    return validateElement(doc.root, schema);
  } finally {
    doc.dispose();
  }
}

interface Sample {
  file: string;
  /** RPT, RT, RR, ER, ACK, QrCode, BarCode, aim128 */
  kind: old.OldDocumentName;
  valid: boolean;
  /** the fields an invalid sample's verdicts must name (at least one of them) */
  fields: string[];
  text: string;
}
const samples: Sample[] = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((file) => {
    const text = readFileSync(path.join(SAMPLES, file), 'utf8');
    const fields = /<!-- invalid: ([^>]*?) -->/.exec(text)?.[1]?.split(/\s+/) ?? [];
    return { file, kind: file.slice(0, file.indexOf('.')) as old.OldDocumentName, valid: file.includes('.valid'), fields, text };
  });
const names = (message: string, fields: string[]) => fields.some((f) => new RegExp(`(^|[^A-Za-z-])${f.replace(/-/g, '\\-')}([^A-Za-z-]|$)`).test(message));

const READERS: Record<old.OldDocumentName, (xml: string) => unknown> = {
  RPT: old.readRpt,
  RT: old.readRt,
  RR: old.readRr,
  ER: old.readEr,
  ACK: old.readAck,
  QrCode: old.readCodiceIdRpt,
  BarCode: old.readCodiceIdRpt,
  aim128: old.readCodiceIdRpt,
};
const sample = (file: string) => samples.find((s) => s.file === file)!.text;

describe('our old-model document schemas', () => {
  it.each(SCHEMA_FILES)('%s compiles', (file) => {
    expect(() => validatorFor(path.join(OURS, file))).not.toThrow();
  });
  it('qualify every element in the documents namespace (elementFormDefault="qualified")', () => {
    for (const f of SCHEMA_FILES) expect(readFileSync(path.join(OURS, f), 'utf8'), f).toMatch(/elementFormDefault="qualified"/);
  });
});

describe('sample table', () => {
  it('covers every document with valid and invalid samples, each invalid one naming its fields', () => {
    expect(samples.length).toBeGreaterThanOrEqual(60);
    for (const kind of Object.keys(old.OLD_DOCUMENT_SCHEMAS) as old.OldDocumentName[]) {
      expect(samples.some((s) => s.kind === kind && s.valid), `${kind} valid`).toBe(true);
      expect(samples.some((s) => s.kind === kind && !s.valid), `${kind} invalid`).toBe(true);
    }
    expect(samples.filter((s) => !s.valid && s.fields.length === 0).map((s) => s.file)).toEqual([]);
    expect(samples.filter((s) => !s.valid && !s.file.includes('.invalid-')).map((s) => s.file)).toEqual([]);
  });
});

describe('samples against our schemas', () => {
  it.each(samples.map((s) => [s.file, s] as const))('%s', (_f, s) => {
    const v = verdict(s.text, path.join(OURS, old.OLD_DOCUMENT_SCHEMAS[s.kind]));
    expect(v.valid, v.errors.join('\n') || 'accepted').toBe(s.valid);
    if (!s.valid) expect(names(v.errors.join('\n'), s.fields), `${v.errors.join('\n')} should name ${s.fields.join(' or ')}`).toBe(true);
  });
});

describe('samples cross-checked against the official schemas', () => {
  if (!officialAvailable) {
    it('official schemas are available', (ctx) => {
      console.warn(SKIP_REASON);
      ctx.skip(SKIP_REASON);
    });
    return;
  }
  it.each(samples.map((s) => [s.file, s] as const))('%s gets the same verdict', (_f, s) => {
    const file = old.OLD_DOCUMENT_SCHEMAS[s.kind];
    const theirs = verdict(s.text, official(file));
    const mine = verdict(s.text, path.join(OURS, file));
    expect(theirs.valid, theirs.errors.join('\n') || 'accepted').toBe(s.valid);
    expect(mine.valid).toBe(theirs.valid);
  });
});

/**
 * The facts of a schema, without layout or comments: target namespace, global elements, and per named
 * type its sequence (name, type, occurrences) or its base and facets (enumerations as a set).
 */
function facts(file: string): unknown {
  const doc = XmlDocument.fromBuffer(readFileSync(file));
  try {
    const XS = 'http://www.w3.org/2001/XMLSchema';
    const a = (e: XmlElement, n: string) => e.attr(n)?.value;
    const local = (q: string | undefined) => q?.replace(/^.*:/, '');
    const kids = (e: XmlElement) => {
      const out: XmlElement[] = [];
      for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement && c.namespaceUri === XS && c.name !== 'annotation') out.push(c);
      return out;
    };
    const sequence = (holder: XmlElement): unknown => {
      const seq = kids(holder).find((c) => c.name === 'sequence' || c.name === 'choice');
      if (!seq) return undefined;
      return { [seq.name]: kids(seq).map((x) => ({ name: a(x, 'name'), ref: local(a(x, 'ref')), type: local(a(x, 'type')), min: a(x, 'minOccurs') ?? '1', max: a(x, 'maxOccurs') ?? '1', inline: inline(x) })) };
    };
    const inline = (el: XmlElement) => {
      const ct = kids(el).find((c) => c.name === 'complexType');
      return ct ? sequence(ct) : undefined;
    };
    const simple = (e: XmlElement) => {
      const r = kids(e).find((c) => c.name === 'restriction')!;
      const facets = kids(r).filter((f) => f.name !== 'enumeration').map((f) => `${f.name}=${a(f, 'value')}`).sort();
      const enums = kids(r).filter((f) => f.name === 'enumeration').map((f) => a(f, 'value')).sort();
      return { base: local(a(r, 'base')), facets, enums };
    };
    const root = doc.root;
    const out: Record<string, unknown> = { targetNamespace: a(root, 'targetNamespace'), elementFormDefault: a(root, 'elementFormDefault') };
    for (const c of kids(root)) {
      const name = a(c, 'name');
      if (c.name === 'element') out[`element ${name}`] = { type: local(a(c, 'type')), inline: inline(c) };
      else if (c.name === 'complexType') out[`complexType ${name}`] = sequence(c);
      else if (c.name === 'simpleType') out[`simpleType ${name}`] = simple(c);
      else out[`${c.name} ${a(c, 'namespace') ?? ''}`] = true;
    }
    return out;
  } finally {
    doc.dispose();
  }
}

describe('our schemas state the official facts', () => {
  if (!officialAvailable) {
    it('official schemas are available', (ctx) => {
      console.warn(SKIP_REASON);
      ctx.skip(SKIP_REASON);
    });
    return;
  }
  it.each(SCHEMA_FILES)('%s: same namespace, elements, types, sequences, occurrences and facets', (file) => {
    expect(facts(path.join(OURS, file))).toEqual(facts(official(file)));
  });
});

describe('readers', () => {
  it.each(samples.map((s) => [s.file, s] as const))('%s', (_f, s) => {
    const read = () => READERS[s.kind](s.text);
    if (s.valid) {
      expect(read).not.toThrow();
      return;
    }
    let err: unknown;
    try {
      read();
    } catch (e) {
      err = e;
    }
    expect(err, 'the reader accepted an invalid document').toBeInstanceOf(old.DocumentError);
    const de = err as old.DocumentError;
    expect(names(`${de.field} ${de.detail}`, s.fields), `${de.message} should name ${s.fields.join(' or ')}`).toBe(true);
  });

  it('refuse a DOCTYPE and entities (safe parser), naming the rule', () => {
    const xml = sample('RPT.valid.xml').replace('<RPT ', '<!DOCTYPE RPT [<!ENTITY x "boom">]>\n<RPT ');
    expect(() => old.readRpt(xml)).toThrow(old.DocumentError);
    expect(() => old.readRpt(xml)).toThrow(/no-dtd/);
  });
  it('refuse a processing instruction and what is not XML', () => {
    expect(() => old.readRpt(sample('RPT.valid.xml').replace('<versioneOggetto>', '<?evil x?><versioneOggetto>'))).toThrow(/no-pi/);
    expect(() => old.readRt('RT')).toThrow(old.DocumentError);
    expect(() => old.readRt('')).toThrow(/not-xml/);
  });
  it('read the bytes in the encoding they carry (UTF-16 with BOM, declared ISO-8859-1), like the wire decoder', () => {
    const rpt = old.readRpt(sample('RPT.valid.xml'));
    rpt.soggettoPagatore.anagraficaPagatore = 'Niccolò Società';
    const xml = old.rptXml(rpt);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(old.readRpt(utf16).soggettoPagatore.anagraficaPagatore).toBe('Niccolò Società');
    const latin1 = Buffer.from(xml.replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(old.readRpt(latin1).soggettoPagatore.anagraficaPagatore).toBe('Niccolò Società');
    expect(old.readRpt(Buffer.from(xml, 'utf8'))).toEqual(rpt);
  });
  it('refuse a document of another kind at the root', () => {
    expect(() => old.readRt(sample('RPT.valid.xml'))).toThrow(/root element is RPT, expected RT/);
    expect(() => old.readRr(sample('RPT.valid.xml'))).toThrow(old.DocumentError);
  });
  it('name the position of a repeated element', () => {
    const xml = sample('RPT.valid.xml').replace('<ibanAccredito>IT34', '<ibanAccredito>I34');
    expect(() => old.readRpt(xml)).toThrow(/datiVersamento\/datiSingoloVersamento\[2\]\/ibanAccredito/);
  });
  it('read amounts as integer cents and dates as the XSD strings', () => {
    const rpt = old.readRpt(sample('RPT.valid.xml'));
    expect(rpt.datiVersamento.importoTotaleDaVersare).toBe(15050);
    expect(rpt.datiVersamento.datiSingoloVersamento.map((s) => s.importoSingoloVersamento)).toEqual([10000, 5050]);
    expect(rpt.dataOraMessaggioRichiesta).toBe('2026-12-04T10:15:00');
    expect(rpt.datiVersamento.dataEsecuzionePagamento).toBe('2026-12-04');
  });
});

describe('builders', () => {
  const valid = samples.filter((s) => s.valid && !['QrCode', 'BarCode', 'aim128'].includes(s.kind));
  const BUILD: Record<string, (d: never) => string> = { RPT: old.rptXml, RT: old.rtXml, RR: old.rrXml, ER: old.erXml, ACK: old.ackXml };
  it.each(valid.map((s) => [s.file, s] as const))('%s: read → build → read is the identity, and the build validates', (_f, s) => {
    const doc = READERS[s.kind](s.text);
    const xml = BUILD[s.kind]!(doc as never);
    expect(READERS[s.kind](xml)).toEqual(doc);
    const mine = verdict(xml, path.join(OURS, old.OLD_DOCUMENT_SCHEMAS[s.kind]));
    expect(mine.errors).toEqual([]);
    if (officialAvailable) expect(verdict(xml, official(old.OLD_DOCUMENT_SCHEMAS[s.kind])).errors).toEqual([]);
  });
  it('write fields in schema order whatever the object key order, in the document namespace', () => {
    const rpt = old.readRpt(sample('RPT.valid.xml'));
    const { datiVersamento, ...rest } = rpt;
    const shuffled = { datiVersamento, ...Object.fromEntries(Object.entries(rest).reverse()) } as old.Rpt;
    const xml = old.rptXml(shuffled);
    expect(xml).toBe(old.rptXml(rpt));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<RPT xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">')).toBe(true);
    expect(xml.indexOf('<versioneOggetto>')).toBeLessThan(xml.indexOf('<dominio>'));
  });
  it('escape text and refuse a missing required field, naming it', () => {
    const rpt = old.readRpt(sample('RPT.valid.xml'));
    rpt.soggettoPagatore.anagraficaPagatore = 'Rossi & <Figli>';
    expect(old.rptXml(rpt)).toContain('Rossi &amp; &lt;Figli&gt;');
    expect(old.readRpt(old.rptXml(rpt)).soggettoPagatore.anagraficaPagatore).toBe('Rossi & <Figli>');
    const broken = { ...rpt, dominio: {} } as unknown as old.Rpt;
    expect(() => old.rptXml(broken)).toThrow(/dominio\/identificativoDominio: is required/);
  });
});

describe('base64 transport', () => {
  it('round-trips a document through toBase64/fromBase64 and the reader', () => {
    const xml = sample('RT.valid-positive.xml');
    const b64 = old.toBase64(xml);
    expect(b64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(old.fromBase64(b64).toString('utf8')).toBe(xml);
    expect(old.readRt(old.fromBase64(b64))).toEqual(old.readRt(xml));
  });
  it('refuses what is not base64', () => {
    expect(() => old.fromBase64('not base64!')).toThrow(old.DocumentError);
    expect(() => old.fromBase64('abc')).toThrow(/not base64/);
  });
});

describe('IUV and CCP', () => {
  it.each([
    [{ auxDigit: 0, applicationCode: '05' } as old.IuvForm, 15],
    [{ auxDigit: 1 } as old.IuvForm, 17],
    [{ auxDigit: 2 } as old.IuvForm, 17],
    [{ auxDigit: 3, segregationCode: '01' } as old.IuvForm, 17],
  ])('%o gives a %i-digit IUV inside an 18-digit notice with the right check digits', (form, len) => {
    const { iuv, noticeNumber } = old.newIuv(form, 123456);
    expect(iuv).toMatch(new RegExp(`^\\d{${len}}$`));
    expect(noticeNumber).toMatch(/^\d{18}$/);
    expect(noticeNumber.endsWith(iuv)).toBe(true);
    expect(noticeCheckDigitOk(noticeNumber)).toBe(true);
    expect(old.iuvOfNotice(noticeNumber)).toBe(iuv);
    expect(old.newIuv(form, 123457).iuv).not.toBe(iuv);
  });
  it('refuses a sequence that does not fit and bad codes', () => {
    expect(() => old.newIuv({ auxDigit: 3, segregationCode: '01' }, 10 ** 13)).toThrow(RangeError);
    expect(() => old.newIuv({ auxDigit: 0, applicationCode: '5' }, 1)).toThrow(RangeError);
  });
  it('makes ISO 11649 IUVs (RF form, at most 25 characters) with the right check digits', () => {
    const iuv = old.newIuvRf(42);
    expect(iuv).toMatch(/^RF\d{2}0{13}42$/);
    expect(iuv.length).toBeLessThanOrEqual(25);
    expect(old.isRfIuv(iuv)).toBe(true);
    expect(old.isRfIuv('RF18539007547034')).toBe(true); // the ISO 11649 example
    expect(old.isRfIuv(iuv.replace(/^RF\d{2}/, 'RF00'))).toBe(false);
    expect(old.newIuvRf(43)).not.toBe(iuv);
  });
  it('writes the causale of Allegato A: /RFS/ for an RF IUV, /RFB/ otherwise, amount and text (TR-35)', () => {
    expect(old.causaleVersamento('01000000000004285', 10050, 'Tassa rifiuti')).toBe('/RFB/01000000000004285/100.50/TXT/Tassa rifiuti');
    const rf = old.newIuvRf(7);
    expect(old.causaleVersamento(rf, 500)).toBe(`/RFS/${rf}/5.00`);
    expect(old.causaleVersamento(rf, 500, 'x'.repeat(200))).toHaveLength(140);
  });
  it('makes a CCP of at most 35 characters from the injected time, distinct per sequence', () => {
    const now = Date.UTC(2026, 11, 4, 10, 0, 0);
    const a = old.newCcp(now, 1);
    expect(a).toBe('CCP20261204100000000001');
    expect(old.newCcp(now, 2)).not.toBe(a);
    expect(a.length).toBeLessThanOrEqual(35);
  });
});

describe('codiceIdRPT', () => {
  const cases: [string, old.IuvForm, old.CodiceIdRptForm, string][] = [
    ['QrCode aux 0', { auxDigit: 0, applicationCode: '05' }, 'QrCode', '77777777777'],
    ['QrCode aux 3', { auxDigit: 3, segregationCode: '01' }, 'QrCode', '77777777777'],
    ['BarCode aux 1', { auxDigit: 1 }, 'BarCode', '8012345678901'],
    ['aim128 aux 2', { auxDigit: 2 }, 'aim128', '001234567890'],
  ];
  it.each(cases)('%s: notice → codiceIdRPT → XML → codiceIdRPT → notice', (_n, form, kind, id) => {
    const { iuv, noticeNumber } = old.newIuv(form, 77);
    const c = old.codiceIdRpt(id, noticeNumber, kind);
    const doc = old.codiceIdRptDocument(c);
    expect(verdict(doc, path.join(OURS, old.OLD_DOCUMENT_SCHEMAS[kind])).errors).toEqual([]);
    if (officialAvailable) expect(verdict(doc, official(old.OLD_DOCUMENT_SCHEMAS[kind])).errors).toEqual([]);
    const back = old.readCodiceIdRpt(doc);
    expect(back).toEqual(c);
    const n = old.noticeOfCodiceIdRpt(back);
    expect(n).toMatchObject({ noticeNumber, iuv, id });
    expect(n.fiscalCode).toBe(kind === 'QrCode' ? id : undefined);
  });
  it('carries the application code (aux 0) or segregation code (aux 3) in CodStazPA (seed L1731)', () => {
    const a0 = old.codiceIdRpt('77777777777', old.newIuv({ auxDigit: 0, applicationCode: '05' }, 1).noticeNumber);
    expect(a0).toMatchObject({ AuxDigit: '0', CodStazPA: '05' });
    expect(a0.CodIUV).toHaveLength(15);
    const a3 = old.codiceIdRpt('77777777777', old.newIuv({ auxDigit: 3, segregationCode: '01' }, 1).noticeNumber);
    expect(a3).toMatchObject({ AuxDigit: '3', CodStazPA: '01' });
    expect(a3.CodIUV).toHaveLength(17);
  });
  it('reads aux 3 both ways the seed allows and refuses inconsistent forms', () => {
    const { iuv, noticeNumber } = old.newIuv({ auxDigit: 3, segregationCode: '01' }, 5);
    expect(old.noticeOfCodiceIdRpt({ form: 'QrCode', CF: '77777777777', AuxDigit: '3', CodIUV: iuv }).noticeNumber).toBe(noticeNumber);
    expect(old.noticeOfCodiceIdRpt({ form: 'QrCode', CF: '77777777777', AuxDigit: '3', CodStazPA: '01', CodIUV: iuv.slice(2) }).iuv).toBe(iuv);
    expect(() => old.noticeOfCodiceIdRpt({ form: 'QrCode', CF: '77777777777', AuxDigit: '3', CodStazPA: '02', CodIUV: iuv })).toThrow(/CodStazPA/);
    expect(() => old.noticeOfCodiceIdRpt({ form: 'QrCode', CF: '77777777777', AuxDigit: '0', CodIUV: '012345678901234' })).toThrow(/CodStazPA/);
    expect(() => old.noticeOfCodiceIdRpt({ form: 'QrCode', CF: '77777777777', AuxDigit: '1', CodIUV: '012345678901234' })).toThrow(/CodIUV/);
  });
  it('writes the element a SOAP body carries, with a prefix if asked, and reads it back from the request element', () => {
    const c = old.codiceIdRpt('77777777777', old.newIuv({ auxDigit: 3, segregationCode: '01' }, 9).noticeNumber);
    const inner = old.codiceIdRptXml(c, 'qrc');
    expect(inner.startsWith('<qrc:QrCode xmlns:qrc="http://PuntoAccessoPSP.spcoop.gov.it/QrCode"><qrc:CF>77777777777</qrc:CF>')).toBe(true);
    expect(old.readCodiceIdRpt(`<codiceIdRPT xmlns="http://ws.pagamenti.telematici.gov/">${inner}</codiceIdRPT>`)).toEqual(c);
    expect(old.CODIFICA_INFRASTRUTTURA.QrCode).toBe('QR-CODE');
  });
  it('refuses a codiceIdRPT with no form or two forms', () => {
    expect(() => old.readCodiceIdRpt('<codiceIdRPT/>')).toThrow(/exactly one of QrCode, BarCode, aim128/);
    const c = old.codiceIdRptXml(old.codiceIdRpt('77777777777', old.newIuv({ auxDigit: 1 }, 1).noticeNumber));
    expect(() => old.readCodiceIdRpt(`<codiceIdRPT>${c}${c}</codiceIdRPT>`)).toThrow(old.DocumentError);
  });
});
