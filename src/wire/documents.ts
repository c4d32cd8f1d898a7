// Documents carried base64-encoded inside a SOAP body (old model: RPT, RT, RR, ER; FdR flows). Each
// interface lists them (DocumentRule); they are decoded, parsed with the same safe parser as an
// envelope (no DTD, no entities) and validated against their own schema.
import { XmlElement } from 'libxml2-wasm';
import type { DocumentRule } from './contract.js';
import { XmlSyntaxError, parseXml, readXml } from './xml.js';
import { type XsdVerdict, validateElement } from './xsd.js';

export interface DecodedDocument {
  name: string;
  element: string;
  /** the decoded text ('' when the base64 does not decode) */
  text: string;
  xsd: XsdVerdict;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Every document found in `wrapper` by the rules, decoded and validated. */
export function validateDocuments(wrapper: XmlElement, rules: readonly DocumentRule[]): DecodedDocument[] {
  const out: DecodedDocument[] = [];
  const walk = (e: XmlElement) => {
    const rule = rules.find((r) => r.element === e.name);
    if (rule) out.push(decodeDocument(e.content, rule));
    for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement) walk(c);
  };
  walk(wrapper);
  return out;
}

/** One document from its base64 text. */
export function decodeDocument(base64: string, rule: DocumentRule): DecodedDocument {
  const fail = (msg: string, text = ''): DecodedDocument => ({ name: rule.name, element: rule.element, text, xsd: { valid: false, errors: [msg] } });
  if (!BASE64.test(base64)) return fail(`${rule.element} is not base64`);
  const bytes = Buffer.from(base64, 'base64');
  let input;
  try {
    input = readXml(bytes);
  } catch (e) {
    return fail(`${rule.element} does not hold XML: ${(e as Error).message}`, bytes.toString('latin1'));
  }
  let doc;
  try {
    doc = parseXml(input);
  } catch (e) {
    return fail(`${rule.element}: ${e instanceof XmlSyntaxError ? `${e.rule}: ` : ''}${(e as Error).message}`, input.text);
  }
  try {
    const root = doc.root;
    if (rule.root && root.name !== rule.root) return fail(`${rule.element} must hold a ${rule.root} document, found {${root.namespaceUri}}${root.name}`, input.text);
    return { name: rule.name, element: rule.element, text: input.text, xsd: validateElement(root, rule.schema) };
  } finally {
    doc.dispose();
  }
}
