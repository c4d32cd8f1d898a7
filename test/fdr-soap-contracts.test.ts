// The new model's SOAP contracts of reconciliation, written by us: nodeForPa (list, download) and the
// legacy-named flow primitives of nodeForPsp. Every operation's sample request, OK answer and KO
// answer, built with our encoder, decodes to that operation at its pack and validates against our
// schema; when the official pagopa-api snapshot is present (else skipped with the reason printed),
// the same messages validate against the official XSDs (wsdl/xsd/nodeForPa.xsd, nodoPerPsp.xsd), our
// schema and the official one agree on every one-leaf variant of the samples, and the official WSDLs
// name the same operations, elements and SOAPActions. nodoChiediStatoFlussoRendicontazione (and its alias
// nodoChiediStatoElaborazioneFlussoRendicontazione) is in no published WSDL: ours alone.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { nodeForPa, nodeForPsp } from '../interfaces/index.js';
import { OFFICIAL_API_DIR, officialMissing } from '../src/core/paths.js';
import type { Operation } from '../src/wire/contract.js';
import { SOAPENV_NS, decodeEnvelope, encodeEnvelope, koFor, readFault } from '../src/wire/soap.js';
import { type NodeObj, parseDocument } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';

const EC = '77777777777';
const FLOW = '2026-11-22CLLDITMM001-F1';
const psp = { identificativoPSP: 'CLLDITMM001', identificativoIntermediarioPSP: '99999000001', identificativoCanale: '99999000001_01', password: 'collaudo_01' };
const stationIds = { identificativoIntermediarioPA: EC, identificativoStazioneIntermediarioPA: `${EC}_01`, password: 'stazione_01' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

const SAMPLES: Record<string, { request: NodeObj; response: NodeObj }> = {
  nodoInviaFlussoRendicontazione: { request: { ...psp, identificativoDominio: EC, identificativoFlusso: FLOW, dataOraFlusso: '2026-11-23T10:00:00', xmlRendicontazione: b64('<FlussoRiversamento/>') }, response: { esito: 'OK' } },
  nodoChiediStatoFlussoRendicontazione: { request: { ...psp, identificativoFlusso: FLOW }, response: { esito: 'OK', stato: 'FLUSSO_IN_ELABORAZIONE' } },
  nodoChiediStatoElaborazioneFlussoRendicontazione: { request: { ...psp, identificativoFlusso: FLOW }, response: { esito: 'OK', stato: 'FLUSSO_DUPLICATO' } },
  nodoChiediElencoFlussiRendicontazione: { request: { ...stationIds, identificativoDominio: EC, identificativoPSP: psp.identificativoPSP }, response: { elencoFlussiRendicontazione: { totRestituiti: 2, idRendicontazione: [{ identificativoFlusso: FLOW, dataOraFlusso: '2026-11-23T10:00:00' }, { identificativoFlusso: `${FLOW}2`, dataOraFlusso: '2026-11-23T11:00:00.000Z' }] } } },
  nodoChiediFlussoRendicontazione: { request: { ...stationIds, identificativoDominio: EC, identificativoPSP: psp.identificativoPSP, identificativoFlusso: FLOW }, response: { xmlRendicontazione: b64('<FlussoRiversamento/>') } },
};
const OPS: Operation[] = [...nodeForPsp.operations.filter((o) => o.name in SAMPLES), ...nodeForPa.operations];
const BEAN = { faultCode: 'PPT_ID_FLUSSO_SCONOSCIUTO', faultString: 'Identificativo flusso sconosciuto', id: 'NodoDeiPagamentiSPC', description: 'no such flow' };

const messages = (op: Operation) => ({
  request: encodeEnvelope(op, 'request', SAMPLES[op.name]!.request),
  ok: encodeEnvelope(op, 'response', SAMPLES[op.name]!.response),
  ko: encodeEnvelope(op, 'response', koFor(op, BEAN)),
});

describe('our contracts: nodeForPa, and the reporting flow\'s legacy-named operations of nodeForPsp', () => {
  it('nodeForPa is a new-model pack at /nodeForPa in the old model\'s body namespace; the legacy operations of nodeForPsp answer with esito', () => {
    expect([nodeForPa.model, nodeForPa.path, nodeForPa.ns]).toEqual(['new', '/nodeForPa', 'http://ws.pagamenti.telematici.gov/']);
    expect(nodeForPa.operations.map((o) => [o.name, o.soapAction, o.outcome])).toEqual([['nodoChiediElencoFlussiRendicontazione', 'nodoChiediElencoFlussiRendicontazione', null], ['nodoChiediFlussoRendicontazione', 'nodoChiediFlussoRendicontazione', null]]);
    const legacy = nodeForPsp.operations.filter((o) => o.ns !== nodeForPsp.ns);
    expect(legacy.map((o) => [o.name, o.ns, o.prefix, o.style, o.outcome])).toEqual([
      ['nodoInviaFlussoRendicontazione', 'http://ws.pagamenti.telematici.gov/', 'ppt', 'esito', 'esito'],
      ['nodoChiediStatoFlussoRendicontazione', 'http://ws.pagamenti.telematici.gov/', 'ppt', 'esito', 'esito'],
      ['nodoChiediStatoElaborazioneFlussoRendicontazione', 'http://ws.pagamenti.telematici.gov/', 'ppt', 'esito', 'esito'],
    ]);
    expect(nodeForPsp.operations.filter((o) => o.ns === nodeForPsp.ns).every((o) => o.style === 'outcome')).toBe(true);
  });

  it.each(OPS.map((o) => [`${o.iface}.${o.name}`, o] as const))('%s: request, OK and KO decode to the operation at its pack and validate against our schema', (_n, op) => {
    const m = messages(op);
    for (const [kind, raw] of Object.entries(m)) {
      const d = decodeEnvelope(raw, { ops: op.pack.operations });
      expect(d.ok, kind).toBe(true);
      if (!d.ok) continue;
      expect([d.msg.op, d.msg.kind, d.msg.xsd], kind).toEqual([op, kind === 'request' ? 'request' : 'response', { valid: true, errors: [] }]);
    }
    const ko = decodeEnvelope(m.ko, { ops: op.pack.operations });
    expect(ko.ok && readFault(ko.msg.body, op)).toEqual(BEAN);
    // a stato outside the four states, or an element of another order, is refused
    if (op.name.startsWith('nodoChiediStato')) {
      const bad = decodeEnvelope(encodeEnvelope(op, 'response', { esito: 'OK', stato: 'FLUSSO_FORSE' }), { ops: op.pack.operations });
      expect(bad.ok && bad.msg.xsd.valid).toBe(false);
    }
  });
});

// ---------- independent cross-check against the official snapshot ----------

const OFFICIAL_XSD = { nodeForPa: path.join(OFFICIAL_API_DIR, 'wsdl', 'xsd', 'nodeForPa.xsd'), nodeForPsp: path.join(OFFICIAL_API_DIR, 'wsdl', 'xsd', 'nodoPerPsp.xsd') };
const OFFICIAL_WSDL = { nodeForPa: path.join(OFFICIAL_API_DIR, 'wsdl', 'nodeForPa.wsdl'), nodeForPsp: path.join(OFFICIAL_API_DIR, 'wsdl', 'nodeForPsp.wsdl') };
const available = [...Object.values(OFFICIAL_XSD), ...Object.values(OFFICIAL_WSDL)].every(existsSync);
if (!available) console.warn(officialMissing('the nodeForPa / nodeForPsp legacy-operation cross-check against wsdl/ and wsdl/xsd/'));
/** in no published WSDL */
const SEED_ONLY = new Set(['nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione']);
const PUBLISHED = OPS.filter((o) => !SEED_ONLY.has(o.name));

/** The body's wrapper validated against the official XSD of its pack. */
function official(raw: string, op: Operation): string[] {
  const doc = parseDocument(raw);
  try {
    const body = [...childElements(doc.root)].find((e) => e.namespaceUri === SOAPENV_NS && e.name === 'Body')!;
    const wrapper = [...childElements(body)][0]!;
    return validateElement(wrapper, op.pack === nodeForPa ? OFFICIAL_XSD.nodeForPa : OFFICIAL_XSD.nodeForPsp).errors;
  } finally {
    doc.dispose();
  }
}
function* childElements(e: XmlElement): Generator<XmlElement> {
  for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement) yield c;
}

/** One-leaf variants of a message: dropped, emptied, 41 characters, a letter before a number. */
function variants(raw: string): { what: string; raw: string }[] {
  const out: { what: string; raw: string }[] = [];
  for (const m of raw.matchAll(/<([A-Za-z][\w-]*(?::[\w-]+)?)>([^<]*)<\/\1>/g)) {
    const [all, name, text] = m;
    const swap = (to: string, what: string) => out.push({ what: `${name} ${what}`, raw: raw.slice(0, m.index!) + to + raw.slice(m.index! + all!.length) });
    swap('', 'dropped');
    swap(`<${name}></${name}>`, 'empty');
    swap(`<${name}>${'7'.repeat(41)}</${name}>`, '41 digits');
    if (/^\d/.test(text!)) swap(`<${name}>x${text}</${name}>`, `"x${text}"`);
  }
  return out;
}

describe.runIf(available)('against the official snapshot (wsdl/nodeForPa.wsdl, wsdl/nodeForPsp.wsdl and their XSDs)', () => {
  it('the official WSDLs name our operations, with the same body elements and SOAPActions', () => {
    for (const op of PUBLISHED) {
      const wsdl = readFileSync(op.pack === nodeForPa ? OFFICIAL_WSDL.nodeForPa : OFFICIAL_WSDL.nodeForPsp, 'utf8');
      expect(wsdl, op.name).toMatch(new RegExp(`<wsdl:operation name="${op.name}">`));
      expect(wsdl, op.name).toMatch(new RegExp(`soapAction="${op.soapAction}"`));
      expect(wsdl, op.name).toMatch(new RegExp(`element="\\w+:${op.request}"`));
      expect(wsdl, op.name).toMatch(new RegExp(`element="\\w+:${op.response}"`));
    }
    expect(readFileSync(OFFICIAL_WSDL.nodeForPa, 'utf8').match(/<wsdl:operation name="/g)).toHaveLength(2 * nodeForPa.operations.length);
  });

  it.each(PUBLISHED.map((o) => [`${o.iface}.${o.name}`, o] as const))('%s: our request, OK and KO validate against the official XSD', (_n, op) => {
    for (const [kind, raw] of Object.entries(messages(op))) expect(official(raw, op), kind).toEqual([]);
  });

  it.each(PUBLISHED.map((o) => [`${o.iface}.${o.name}`, o] as const))('%s: our schema and the official one agree on every variant of the samples', (_n, op) => {
    const disagreements: string[] = [];
    const m = messages(op);
    for (const [kind, raw] of [['request', m.request], ['answer', m.ok]] as const) {
      for (const v of variants(raw)) {
        const d = decodeEnvelope(v.raw, { ops: op.pack.operations });
        if (!d.ok) continue;
        const ours = d.msg.xsd.valid;
        const theirs = official(v.raw, op).length === 0;
        if (ours !== theirs) disagreements.push(`${kind}: ${v.what}: ours ${ours ? 'valid' : 'invalid'}, official ${theirs ? 'valid' : 'invalid'}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
