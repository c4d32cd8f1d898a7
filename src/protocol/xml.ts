// A small namespace-resolved XML tree, read from libxml2-wasm (which resolves xmlns declarations,
// refuses entity amplification and never loads external entities without NOENT/DTDLOAD), and a
// serializer with exact prefixes. Prefixes are never used to match: only (namespace, local name).
import { ParseOption, XmlDocument, XmlElement, XmlText, XmlCData, XmlParseError } from 'libxml2-wasm';

export interface El {
  ns: string | null;
  name: string;
  prefix: string;
  line: number;
  children: El[];
  /** concatenated text content of direct text/CDATA children */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly rule: string) {
    super(message);
  }
}

/** Safe parse options: no network, no DTD loading, no entity substitution, errors are errors. */
const SAFE = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NOERROR | ParseOption.XML_PARSE_NOWARNING;

/** The text of a raw message for the DTD check, honouring a UTF-16 byte-order mark or layout. */
function sniffText(raw: Buffer): string {
  if (raw[0] === 0xff && raw[1] === 0xfe) return raw.subarray(2).toString('utf16le');
  if (raw[0] === 0xfe && raw[1] === 0xff) return Buffer.from(raw.subarray(2)).swap16().toString('utf16le');
  if (raw.length >= 4 && raw[0] === 0x3c && raw[1] === 0x00) return raw.toString('utf16le');
  if (raw.length >= 4 && raw[0] === 0x00 && raw[1] === 0x3c) return Buffer.from(raw.subarray(0, raw.length - (raw.length % 2))).swap16().toString('utf16le');
  return raw.toString('utf8');
}

export function parseDocument(raw: Buffer | string): XmlDocument {
  const text = typeof raw === 'string' ? raw : sniffText(raw);
  // SOAP 1.1 §3: a message MUST NOT contain a document type declaration. Refusing it here also
  // removes every entity-expansion and external-entity attack before the parser sees it.
  if (/<!DOCTYPE/i.test(text)) throw new XmlSyntaxError('document type declarations are not allowed in SOAP messages', 'no-dtd');
  if (text.trim() === '') throw new XmlSyntaxError('empty body: an XML document was expected', 'not-xml');
  try {
    return XmlDocument.fromBuffer(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw, { option: SAFE });
  } catch (e) {
    const msg = e instanceof XmlParseError ? e.message.trim() : String(e);
    throw new XmlSyntaxError(`not well-formed XML: ${msg.split('\n')[0]}`, 'not-xml');
  }
}

export function toEl(elem: XmlElement): El {
  const children: El[] = [];
  let text = '';
  for (let c = elem.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) children.push(toEl(c));
    else if (c instanceof XmlText || c instanceof XmlCData) text += c.content;
  }
  return { ns: elem.namespaceUri || null, name: elem.name, prefix: elem.prefix, line: elem.line, children, text };
}

export function child(el: El | undefined, name: string): El | undefined {
  return el?.children.find((c) => c.name === name);
}
export function childrenNamed(el: El | undefined, name: string): El[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}
export function textOf(el: El | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text.trim() : undefined;
}
/** Follows a path of local names; returns the text of the last one. */
export function pathText(el: El | undefined, ...path: string[]): string | undefined {
  let cur = el;
  for (const p of path.slice(0, -1)) cur = child(cur, p);
  const last = path[path.length - 1];
  return last === undefined ? cur?.text.trim() : textOf(cur, last);
}

/**
 * Plain-object view of an element: leaf → trimmed text, repeated names → arrays, single → object.
 * Element order is lost here; rules that depend on order are checked by the XSD validator.
 */
export type Plain = string | { [k: string]: Plain | Plain[] };
export function toPlain(el: El): Plain {
  if (el.children.length === 0) return el.text.trim();
  const out: { [k: string]: Plain | Plain[] } = {};
  for (const c of el.children) {
    const v = toPlain(c);
    const prev = out[c.name];
    if (prev === undefined) out[c.name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[c.name] = [prev, v];
  }
  return out;
}

// ---------- building ----------

/**
 * Ordered element content used to build messages: object keys keep insertion order (the XSD
 * sequence order), arrays repeat the element, undefined/null are omitted.
 */
export type Node = string | number | boolean | NodeObj | Node[] | undefined | null;
export interface NodeObj {
  [k: string]: Node;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function serialize(name: string, value: Node, out: string[] = []): string[] {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    for (const v of value) serialize(name, v, out);
    return out;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) serialize(k, v, out);
    out.push(`</${name}>`);
    return out;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
  return out;
}
