// The official old-model WSDLs (pagopa/pagopa-api gad/wsdl), read only as an independent
// cross-check of our own contracts: their operations (SOAPAction, body elements, SOAP header) and
// their embedded schemas, extracted to temporary files so that messages can be validated
// against them. Nothing here is copied into the project.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XmlDocument, XmlElement } from 'libxml2-wasm';
import { OFFICIAL_API_DIR } from '../../src/core/paths.js';

export const OFFICIAL_WSDL_DIR = path.join(OFFICIAL_API_DIR, 'gad', 'wsdl');
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/';
const NS = { wsdl: WSDL, soap: SOAP };

export interface OfficialOperation {
  name: string;
  soapAction: string;
  request: string;
  response: string;
  /** the SOAP header element the binding puts on the input, if any */
  header?: string;
}

export interface OfficialWsdl {
  operations: OfficialOperation[];
  /** extracted schema files, by target namespace */
  schemas: Map<string, string>;
}

export const officialWsdlFile = (name: string): string => path.join(OFFICIAL_WSDL_DIR, `${name}.wsdl`);
export const hasOfficialWsdl = (name: string): boolean => existsSync(officialWsdlFile(name));

const local = (qname: string | undefined): string => (qname ?? '').replace(/^.*:/, '');

/** Reads an official WSDL: its operations and its embedded schemas (one temporary file each). */
export function readOfficialWsdl(name: string): OfficialWsdl {
  const file = officialWsdlFile(name);
  const text = readFileSync(file, 'utf8');
  const doc = XmlDocument.fromString(text);
  try {
    const root = doc.root;
    const messages = new Map<string, { name: string; element: string }[]>();
    for (const m of root.find('wsdl:message', NS) as XmlElement[]) {
      messages.set(m.attr('name')!.value, (m.find('wsdl:part', NS) as XmlElement[]).map((p) => ({ name: p.attr('name')!.value, element: local(p.attr('element')?.value) })));
    }
    const operations: OfficialOperation[] = [];
    for (const o of root.find('wsdl:portType/wsdl:operation', NS) as XmlElement[]) {
      const opName = o.attr('name')!.value;
      const input = messages.get(local((o.get('wsdl:input', NS) as XmlElement).attr('message')?.value)) ?? [];
      const output = messages.get(local((o.get('wsdl:output', NS) as XmlElement).attr('message')?.value)) ?? [];
      const bound = root.get(`wsdl:binding/wsdl:operation[@name='${opName}']`, NS) as XmlElement;
      const headerPart = (bound.get('wsdl:input/soap:header', NS) as XmlElement | null)?.attr('part')?.value;
      const header = headerPart ? input.find((p) => p.name === headerPart)?.element : undefined;
      operations.push({
        name: opName,
        soapAction: (bound.get('soap:operation', NS) as XmlElement).attr('soapAction')!.value,
        request: input.find((p) => p.name !== headerPart)!.element,
        response: output[0]!.element,
        header,
      });
    }
    // the embedded schemas, each made standalone: the WSDL's namespace declarations, absolute locations
    const decls = Object.entries(root.nsDeclarations).map(([p, uri]) => (p ? `xmlns:${p}="${uri}"` : `xmlns="${uri}"`));
    const dir = mkdtempSync(path.join(os.tmpdir(), `collaudo-official-${name}-`));
    const schemas = new Map<string, string>();
    let i = 0;
    for (const m of text.matchAll(/<xsd:schema\b([^>]*)>([\s\S]*?)<\/xsd:schema>/g)) {
      const attrs = m[1]!;
      const tns = /targetNamespace="([^"]+)"/.exec(attrs)![1]!;
      const missing = decls.filter((d) => !attrs.includes(d.split('=')[0]!));
      const body = m[2]!.replace(/schemaLocation="([^"]+)"/g, (_s, loc: string) => `schemaLocation="${path.resolve(path.dirname(file), loc)}"`);
      const out = path.join(dir, `schema-${i++}.xsd`);
      writeFileSync(out, `<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema ${missing.join(' ')}${attrs}>${body}</xsd:schema>\n`);
      schemas.set(tns, out);
    }
    return { operations, schemas };
  } finally {
    doc.dispose();
  }
}
