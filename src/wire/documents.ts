// Documents carried base64-encoded inside a SOAP body (old model: RPT, RT, RR, ER; FdR flows). Each
// interface lists them (DocumentRule); they are decoded, parsed with the same safe parser as an
// envelope (no DTD, no entities) and validated against their own schema.
import { XmlElement } from 'libxml2-wasm';
import type { DocumentRule } from './contract.js';
import { type El, XmlSyntaxError, parseXml, readXml, toEl } from './xml.js';
import { type XsdVerdict, validateElement } from './xsd.js';

export interface DecodedDocument {
  name: string;
  element: string;
  /** 1-based position among the documents of the same name in the message (a cart's RPTs) */
  position: number;
  /** how many documents of that name the message carries */
  of: number;
  /** the decoded text ('' when the base64 does not decode) */
  text: string;
  /** the parsed document, when it is well-formed XML */
  root?: El;
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
  return out.map((d) => {
    const same = out.filter((x) => x.name === d.name);
    return { ...d, position: same.indexOf(d) + 1, of: same.length };
  });
}

/** How a document is named in errors and evidence: RPT, or RPT 2 when the message carries several. */
export const documentLabel = (d: Pick<DecodedDocument, 'name' | 'position' | 'of'>): string => (d.of > 1 ? `${d.name} ${d.position}` : d.name);

/** One document from its base64 text. */
export function decodeDocument(base64: string, rule: DocumentRule): DecodedDocument {
  const fail = (msg: string, text = ''): DecodedDocument => ({ name: rule.name, element: rule.element, position: 1, of: 1, text, xsd: { valid: false, errors: [msg] } });
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
    return { name: rule.name, element: rule.element, position: 1, of: 1, text: input.text, root: toEl(root), xsd: validateElement(root, rule.schema) };
  } finally {
    doc.dispose();
  }
}
