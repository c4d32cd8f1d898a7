// The old model's wire contracts (SANP 2.2.6): every pack loads with its schema and WSDL; every
// operation's sample request and answer, built with our encoder, decode to that operation and
// validate against our schema; KO answers are shaped as each operation's schema wants them
// (faultBean first, original* fields, esitoComplessivoOperazione, listaErroriRPT, result
// elements); headers round-trip in the ppthead namespace. When the official pagoPA WSDLs are
// present, the same messages validate against the schemas they embed, and our operations match
// theirs one by one (name, body elements, SOAPAction, SOAP header).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { ALL_OPERATIONS, INTERFACES, NS, OLD_INTERFACES, OPERATIONS, decodeEnvelope as decodeAny, sharesOldElement } from '../interfaces/index.js';
import { nodoPerPa, nodoPerPsp, nodoPerPspRichiestaAvvisi, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, pspPerNodo } from '../interfaces/old/index.js';
import { officialMissing } from '../src/core/paths.js';
import { type Operation, correlateMessage, servedSchema } from '../src/wire/contract.js';
import { type Decoded, type FaultBean, SOAPENV_NS, decodeEnvelope, encodeEnvelope, koFor, outcomeOf, readErrorList, readFault } from '../src/wire/soap.js';
import { parseDocument, textOf } from '../src/wire/xml.js';
import { validateElement, validatorFor } from '../src/wire/xsd.js';
import { CCP, EC, IUV, SAMPLES } from './support/old-samples.js';
import { hasOfficialWsdl, readOfficialWsdl } from './support/official-old.js';

const ops = (name: string): Operation[] => OLD_INTERFACES.find((k) => k.name === name)!.operations as Operation[];

function decoded(raw: string, op: Operation): Decoded {
  const d = decodeEnvelope(raw, { ops: op.pack.operations });
  if (!d.ok) throw new Error(`${d.rule}: ${d.message}`);
  return d.msg;
}
const request = (op: Operation) => encodeEnvelope(op, 'request', SAMPLES[op.name]!.request, SAMPLES[op.name]!.header);
const answer = (op: Operation) => encodeEnvelope(op, 'response', SAMPLES[op.name]!.response);

const BEAN: FaultBean = {
  faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
  faultString: 'Errore restituito dalla PAA',
  id: 'NodoDeiPagamentiSPC',
  description: 'the EC refused the RT',
  serial: 2,
  originalFaultCode: 'PAA_RT_DUPLICATA',
  originalFaultString: 'RT duplicata',
  originalDescription: 'RT already received',
};
/** The RichiestaAvvisi faultBean has no original* fields. */
const beanFor = (op: Operation): FaultBean =>
  op.pack === paPerNodoRichiestaAvvisi || op.pack === nodoPerPspRichiestaAvvisi ? { faultCode: 'PAA_SEMANTICA', faultString: 'Errore semantico', id: '77777777777', description: 'no such service', serial: 1 } : BEAN;

describe('old-model interface packs', () => {
  it('are seven, in the old model, esito style, at their endpoint paths, in the shared body namespace', () => {
    expect(OLD_INTERFACES.map((k) => [k.name, k.path, k.model])).toEqual([
      ['NodoPerPa', '/NodoPerPa', 'old'],
      ['PaPerNodo', '/PaPerNodo', 'old'],
      ['PaPerNodoPagamentoPsp', '/PaPerNodoPagamentoPsp', 'old'],
      ['PaPerNodoRichiestaAvvisi', '/PaPerNodoRichiestaAvvisi', 'old'],
      ['NodoPerPsp', '/NodoPerPsp', 'old'],
      ['NodoPerPspRichiestaAvvisi', '/NodoPerPspRichiestaAvvisi', 'old'],
      ['PspPerNodo', '/PspPerNodo', 'old'],
    ]);
    for (const k of OLD_INTERFACES) {
      expect(k.ns).toBe(NS.ppt);
      expect(k.operations.every((o) => o.style === 'esito' && o.pack === k)).toBe(true);
      expect(INTERFACES).toContain(k);
    }
    expect(OLD_INTERFACES.map((k) => k.operations.length)).toEqual([14, 3, 2, 1, 12, 2, 10]);
  });

  it('compile their schemas and describe the same operations in their WSDLs', () => {
    for (const k of OLD_INTERFACES) {
      expect(() => validatorFor(k.schema)).not.toThrow();
      expect(existsSync(k.wsdl!)).toBe(true);
      const wsdl = readFileSync(k.wsdl!, 'utf8');
      expect(() => parseDocument(wsdl).dispose()).not.toThrow();
      for (const [, loc] of wsdl.matchAll(/schemaLocation="([^"]+)"/g)) expect(existsSync(path.resolve(path.dirname(k.wsdl!), loc!)), loc).toBe(true);
      for (const o of k.operations) {
        expect(wsdl).toContain(`<wsdl:operation name="${o.name}">`);
        expect(wsdl).toContain(`<soap:operation soapAction="${o.soapAction}"/>`);
        expect(wsdl).toContain(`element="ppt:${o.request}"`);
        expect(wsdl).toContain(`element="ppt:${o.response}"`);
        if (o.header) expect(wsdl).toContain(`<soap:header message="tns:${o.name}Input" part="header" use="literal"/>`);
      }
    }
  });

  it('keep operation names unique across every interface listed, and body elements unique per namespace, but for the legacy-named ones the new model shares', () => {
    // the reporting flow's primitives in nodeForPsp / nodeForPa: the old model's elements, told apart by the endpoint path only
    const shared = ALL_OPERATIONS.filter(sharesOldElement);
    expect(shared.map((o) => `${o.iface}.${o.name}`).sort()).toEqual(['nodeForPa.nodoChiediElencoFlussiRendicontazione', 'nodeForPa.nodoChiediFlussoRendicontazione', 'nodeForPsp.nodoChiediStatoElaborazioneFlussoRendicontazione', 'nodeForPsp.nodoChiediStatoFlussoRendicontazione', 'nodeForPsp.nodoInviaFlussoRendicontazione']);
    const own = ALL_OPERATIONS.filter((o) => !shared.includes(o));
    expect(Object.keys(OPERATIONS)).toHaveLength(own.length);
    const elements = own.flatMap((o) => [`{${o.ns}}${o.request}`, `{${o.ns}}${o.response}`]);
    expect(new Set(elements).size).toBe(elements.length);
    for (const o of OLD_INTERFACES.flatMap((k) => k.operations)) expect(OPERATIONS[o.name]).toBe(o);
    for (const o of shared) {
      const old = OPERATIONS[o.name]!;
      expect([old.pack.model, old.request, old.response, old.ns]).toEqual(['old', o.request, o.response, o.ns]);
      const d = decodeAny(encodeEnvelope(o, 'request', {}), { validate: false });
      expect(d.ok && d.msg.op).toBe(old);
    }
  });

  it('put intestazionePPT / intestazioneCarrelloPPT on the operations the catalogue names (§1.5), in the ppthead namespace', () => {
    const withHeader = OLD_INTERFACES.flatMap((k) => k.operations.filter((o) => o.header).map((o) => `${o.name}:${o.header}`));
    expect(withHeader).toEqual([
      'nodoInviaRPT:intestazionePPT',
      'nodoInviaCarrelloRPT:intestazioneCarrelloPPT',
      'paaInviaRT:intestazionePPT',
      'paaVerificaRPT:intestazionePPT',
      'paaAttivaRPT:intestazionePPT',
      'paaChiediNumeroAvviso:intestazionePPT',
    ]);
    for (const k of OLD_INTERFACES) for (const o of k.operations) expect([o.headerNs, o.headerPrefix]).toEqual(o.header ? [NS.ppthead, 'ppthead'] : [o.headerNs, o.headerPrefix]);
    expect(nodoPerPsp.operations.find((o) => o.name === 'nodoInviaRichiestaRevoca')!.soapAction).toBe('nodoRichiestaRevoca');
  });

  it('serve their WSDL and every schema it reaches (?wsdl), with locations flattened to basenames', () => {
    const wsdl = servedSchema(nodoPerPa, 'NodoPerPa.wsdl')!;
    expect(wsdl).toContain('schemaLocation="ppthead.xsd"');
    for (const f of ['NodoPerPa.xsd', 'ppthead.xsd', 'ppthead-types.xsd', 'ppt-types.xsd', 'sac-common-types-1.0.xsd']) expect(servedSchema(nodoPerPa, f), f).toMatch(/<xs:schema/);
    expect(servedSchema(nodoPerPsp, 'IdRPT_QR_Code_v04.xsd')).toContain('QrCode');
    expect(servedSchema(paPerNodoRichiestaAvvisi, 'ppthead-avvisi.xsd')).toContain('intestazionePPT');
    expect(servedSchema(paPerNodo, 'NodoPerPsp.xsd')).toBeUndefined();
  });

  it('has a sample for every operation (the samples below cover the whole contract)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(OLD_INTERFACES.flatMap((k) => k.operations.map((o) => o.name)).sort());
  });
});

describe.each(OLD_INTERFACES.map((k) => [k.name, k] as const))('%s: every operation through our codec and schema', (_n, pack) => {
  it.each(pack.operations.map((o) => [o.name, o] as const))('%s: request and OK answer decode to the operation and validate', (_o, op) => {
    const req = decoded(request(op), op);
    expect([req.op, req.kind]).toEqual([op, 'request']);
    expect(req.xsd).toEqual({ valid: true, errors: [] });
    expect(req.documents?.every((d) => d.xsd.valid)).toBe(true);
    if (op.header) expect(req.header.map((h) => `{${h.ns}}${h.name}`)).toEqual([`{${op.headerNs}}${op.header}`]);
    const res = decoded(answer(op), op);
    expect([res.op, res.kind]).toEqual([op, 'response']);
    expect(res.xsd).toEqual({ valid: true, errors: [] });
    expect(outcomeOf(res.body, op)).toBe('OK');
    expect(readFault(res.body, op)).toBeUndefined();
  });

  it.each(pack.operations.map((o) => [o.name, o] as const))('%s: a KO built by koFor validates and reads back with its faultBean', (_o, op) => {
    const bean = beanFor(op);
    const res = decoded(encodeEnvelope(op, 'response', koFor(op, bean)), op);
    expect(res.xsd).toEqual({ valid: true, errors: [] });
    expect(outcomeOf(res.body, op)).toBe('KO');
    expect(readFault(res.body, op)).toEqual(bean);
  });
});

describe('esito answers', () => {
  const op = (name: string) => OPERATIONS[name]!;

  it('put the faultBean before esito, inside the result element when the answer wraps one', () => {
    const flat = koFor(op('nodoInviaRPT'), BEAN);
    expect(Object.keys(flat)).toEqual(['fault', 'esito']);
    const nested = koFor(op('paaInviaRT'), BEAN);
    expect(Object.keys(nested)).toEqual(['paaInviaRTRisposta']);
    expect(Object.keys(nested.paaInviaRTRisposta as object)).toEqual(['fault', 'esito']);
    const raw = encodeEnvelope(op('paaInviaRT'), 'response', nested);
    expect(raw).toMatch(/<ppt:paaInviaRTRisposta[^>]*><paaInviaRTRisposta><fault><faultCode>PPT_ERRORE_EMESSO_DA_PAA<\/faultCode>.*<originalDescription>RT already received<\/originalDescription><\/fault><esito>KO<\/esito><\/paaInviaRTRisposta>/);
  });

  it('read the original* fields the Nodo relays, also without the operation (any reader of a journal)', () => {
    const d = decodeAny(encodeEnvelope(op('paaVerificaRPT'), 'response', koFor(op('paaVerificaRPT'), BEAN)));
    if (!d.ok) throw new Error(d.message);
    expect(d.msg.op).toBe(op('paaVerificaRPT'));
    expect(readFault(d.msg.body)).toEqual(BEAN);
    expect(outcomeOf(d.msg.body)).toBe('KO');
  });

  it("nodoInviaCarrelloRPT: esitoComplessivoOperazione and the per-RPT faults of listaErroriRPT with their serial", () => {
    const cart = op('nodoInviaCarrelloRPT');
    const errors = [1, 3].map((serial) => ({ faultCode: 'PPT_SEMANTICA', faultString: 'Errore semantico', id: 'NodoDeiPagamentiSPC', description: `RPT ${serial}: bad IBAN`, serial }));
    const content = { ...koFor(cart, { ...errors[0]!, serial: undefined, description: 'cart refused' }), listaErroriRPT: { fault: errors } };
    const res = decoded(encodeEnvelope(cart, 'response', content), cart);
    expect(res.xsd).toEqual({ valid: true, errors: [] });
    expect(textOf(res.body, 'esitoComplessivoOperazione')).toBe('KO');
    expect(outcomeOf(res.body, cart)).toBe('KO');
    expect(readErrorList(res.body, cart).map((f) => [f.serial, f.description])).toEqual([
      [1, 'RPT 1: bad IBAN'],
      [3, 'RPT 3: bad IBAN'],
    ]);
  });

  it('pspInviaRPT has no fault of its own: its KO carries the fault in listaErroriRPT (A-28)', () => {
    const psp = op('pspInviaRPT');
    const content = koFor(psp, BEAN);
    expect(content).toEqual({ pspInviaRPTResponse: { esitoComplessivoOperazione: 'KO', listaErroriRPT: { fault: expect.objectContaining({ faultCode: BEAN.faultCode }) } } });
    const res = decoded(encodeEnvelope(psp, 'response', content), psp);
    expect(res.xsd.valid).toBe(true);
    expect(readFault(res.body, psp)).toEqual(BEAN);
  });

  it('nodoChiediStatoRPT: esito is a structure, so a fault says KO and its absence OK', () => {
    const st = op('nodoChiediStatoRPT');
    expect(outcomeOf(decoded(answer(st), st).body, st)).toBe('OK');
    const ko = decoded(encodeEnvelope(st, 'response', koFor(st, BEAN)), st);
    expect(ko.xsd.valid).toBe(true);
    expect(outcomeOf(ko.body, st)).toBe('KO');
  });

  it('a KO without the fault before esito is invalid against the schema (the order is the contract)', () => {
    const res = decoded(encodeEnvelope(op('nodoInviaRPT'), 'response', { esito: 'KO', fault: { faultCode: 'X', faultString: 'X', id: 'X' } }), op('nodoInviaRPT'));
    expect(res.xsd.valid).toBe(false);
    expect(res.xsd.errors.join()).toMatch(/fault/);
  });
});

describe('SOAP headers in the ppthead namespace', () => {
  const rt = OPERATIONS.paaInviaRT!;

  it('are encoded in their namespace, decoded, validated with the body, and correlate the message', () => {
    const raw = request(rt);
    expect(raw).toContain(`xmlns:ppthead="${NS.ppthead}"`);
    expect(raw).toMatch(/<soapenv:Header><ppthead:intestazionePPT><identificativoIntermediarioPA>77777777777<\/identificativoIntermediarioPA>/);
    const d = decoded(raw, rt);
    expect(textOf(d.header[0], 'codiceContestoPagamento')).toBe('ccp-0001');
    expect(d.xsd.valid).toBe(true);
  });

  it('an invalid header is a schema error naming the header and the field', () => {
    const raw = encodeEnvelope(rt, 'request', SAMPLES.paaInviaRT!.request, { ...SAMPLES.paaInviaRT!.header, codiceContestoPagamento: 'c'.repeat(36) });
    const d = decoded(raw, rt);
    expect(d.xsd.valid).toBe(false);
    expect(d.xsd.errors[0]).toMatch(/^intestazionePPT: .*codiceContestoPagamento.*maxLength/);
  });

  it('a header element in the wrong namespace is not the operation header', () => {
    const raw = request(rt).replace(/ppthead:intestazionePPT/g, 'ppt:intestazionePPT');
    const d = decoded(raw, rt);
    expect(d.xsd.errors).toContain('soapenv:Header must carry intestazionePPT');
  });

  it("paaChiediNumeroAvviso's header has three fields: the five-field one is refused there", () => {
    const avv = OPERATIONS.paaChiediNumeroAvviso!;
    expect(decoded(request(avv), avv).xsd.valid).toBe(true);
    const five = encodeEnvelope(avv, 'request', SAMPLES.paaChiediNumeroAvviso!.request, SAMPLES.paaInviaRT!.header);
    expect(decoded(five, avv).xsd.errors.join()).toMatch(/identificativoUnivocoVersamento.*not expected/);
  });

  it('soapenv:mustUnderstand on a header entry is accepted (SOAP 1.1 §4.2)', () => {
    const raw = request(rt).replace('<ppthead:intestazionePPT>', '<ppthead:intestazionePPT soapenv:mustUnderstand="1">');
    expect(decoded(raw, rt).xsd).toEqual({ valid: true, errors: [] });
  });
});

describe('correlation keys of the old model', () => {
  const keys = (raw: string, op: Operation) => {
    const m = decoded(raw, op);
    return correlateMessage(m, op.pack.correlation, op.pack.deriveCorrelation);
  };

  it('take EC, IUV and CCP from the SOAP header when only the header has them', () => {
    expect(keys(request(OPERATIONS.paaInviaRT!), OPERATIONS.paaInviaRT!)).toEqual({ idDominio: EC, iuv: IUV, ccp: CCP });
  });

  it('take the cart from intestazioneCarrelloPPT, and the WISP session from the answer\'s url', () => {
    const cart = OPERATIONS.nodoInviaCarrelloRPT!;
    expect(keys(request(cart), cart)).toMatchObject({ idCarrello: `${EC}${IUV}-00001`, idDominio: EC, iuv: IUV, ccp: CCP });
    expect(keys(answer(cart), cart)).toEqual({ idSession: 's1' });
  });

  it("compose the notice number from codiceIdRPT's parts, and the EC's fiscal code from its CF", () => {
    const verify = OPERATIONS.nodoVerificaRPT!;
    expect(keys(request(verify), verify)).toEqual({ fiscalCode: EC, iuv: IUV, ccp: CCP, noticeNumber: `3${IUV}` });
    const avv = OPERATIONS.paaChiediNumeroAvviso!;
    expect(keys(answer(avv), avv)).toEqual({ iuv: IUV, noticeNumber: `3${IUV}` });
  });

  it('take the reporting flow by its identifier', () => {
    const fdr = OPERATIONS.nodoChiediFlussoRendicontazione!;
    expect(keys(request(fdr), fdr)).toMatchObject({ idDominio: EC, idFlusso: expect.stringContaining('-F1') });
  });
});

// ---------- independent cross-check against the official WSDLs ----------

const OFFICIAL = OLD_INTERFACES.filter((k) => hasOfficialWsdl(k.name));
/** operations no published WSDL describes (the seed's alone, A-07): nothing official to compare them with */
const SEED_ONLY = new Set(['nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione']);
const published = (pack: { operations: readonly Operation[] }) => pack.operations.filter((o) => !SEED_ONLY.has(o.name));
if (OFFICIAL.length < OLD_INTERFACES.length) console.warn(officialMissing('the old-model cross-check against the official WSDLs (gad/wsdl)'));

/** The wrapper and header elements of an envelope, validated against the official WSDL's embedded schemas. */
function officialVerdict(raw: string, schemas: Map<string, string>): string[] {
  const doc = parseDocument(raw);
  try {
    const errors: string[] = [];
    const find = (parent: string) => {
      const out: XmlElement[] = [];
      for (let c = doc.root.firstChild; c; c = c.next) {
        if (c instanceof XmlElement && c.namespaceUri === SOAPENV_NS && c.name === parent) for (let e = c.firstChild; e; e = e.next) if (e instanceof XmlElement) out.push(e);
      }
      return out;
    };
    for (const el of [...find('Header'), ...find('Body')]) {
      const schema = schemas.get(el.namespaceUri);
      if (!schema) errors.push(`no official schema for {${el.namespaceUri}}${el.name}`);
      else errors.push(...validateElement(el, schema).errors.map((e) => `${el.name}: ${e}`));
    }
    return errors;
  } finally {
    doc.dispose();
  }
}

describe.runIf(OFFICIAL.length > 0).each(OFFICIAL.map((k) => [k.name, k] as const))('%s against the official WSDL', (name, pack) => {
  const official = readOfficialWsdl(name);

  it('has the same operations: name, request and response elements, SOAPAction, SOAP header', () => {
    const ours = published(pack).map((o) => ({ name: o.name, soapAction: o.soapAction, request: o.request, response: o.response, header: o.header }));
    expect(ours).toEqual(expect.arrayContaining(official.operations.map((o) => ({ ...o }))));
    expect(ours).toHaveLength(official.operations.length);
  });

  it.each(published(pack).map((o) => [o.name, o] as const))('%s: our sample request, OK answer and KO answer validate against the official schemas', (_o, op) => {
    expect(officialVerdict(request(op), official.schemas)).toEqual([]);
    expect(officialVerdict(answer(op), official.schemas)).toEqual([]);
    expect(officialVerdict(encodeEnvelope(op, 'response', koFor(op, beanFor(op))), official.schemas)).toEqual([]);
  });
});

/**
 * Variants of a message, one change each to a leaf of its header or body: dropped, emptied, made 41
 * characters long, given a letter where a number goes. Our schema and the official one must agree
 * on each (both valid or both invalid): occurrences, lengths, patterns and enumerations alike.
 */
function variants(raw: string): { what: string; raw: string }[] {
  const out: { what: string; raw: string }[] = [];
  const leaf = /<([A-Za-z][\w-]*(?::[\w-]+)?)>([^<]*)<\/\1>/g;
  for (const m of raw.matchAll(leaf)) {
    const [all, name, text] = m;
    const at = m.index!;
    const swap = (to: string, what: string) => out.push({ what: `${name} ${what}`, raw: raw.slice(0, at) + to + raw.slice(at + all!.length) });
    swap('', 'dropped');
    swap(`<${name}></${name}>`, 'empty');
    swap(`<${name}>${'7'.repeat(41)}</${name}>`, '41 digits');
    if (/^\d/.test(text!)) swap(`<${name}>x${text}</${name}>`, `"x${text}"`);
  }
  return out;
}

describe.runIf(OFFICIAL.length > 0).each(OFFICIAL.map((k) => [k.name, k] as const))('%s: our schema and the official one agree on every variant of the samples', (name, pack) => {
  const official = readOfficialWsdl(name);
  it.each(published(pack).map((o) => [o.name, o] as const))('%s', (_o, op) => {
    const disagreements: string[] = [];
    for (const [kind, raw] of [['request', request(op)], ['answer', answer(op)]] as const) {
      for (const v of variants(raw)) {
        const d = decodeEnvelope(v.raw, { ops: op.pack.operations });
        if (!d.ok) continue;
        // our verdict on the envelope only: the official schemas do not look inside base64 documents
        const ours = (d.msg.envelopeXsd ?? d.msg.xsd).valid;
        const theirs = officialVerdict(v.raw, official.schemas).length === 0;
        if (ours !== theirs) disagreements.push(`${kind}: ${v.what}: ours ${ours ? 'valid' : 'invalid'}, official ${theirs ? 'valid' : 'invalid'}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

it.runIf(OFFICIAL.length > 0)('the cross-check covers every old-model interface when the official WSDLs are present', () => {
  expect(OFFICIAL.map((k) => k.name)).toEqual([nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, nodoPerPsp, nodoPerPspRichiestaAvvisi, pspPerNodo].map((k) => k.name));
  expect(ops('NodoPerPa')).toHaveLength(14);
});
