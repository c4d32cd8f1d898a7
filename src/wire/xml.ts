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

/**
 * Safe parse options: no network, no DTD loading, no entity substitution. Errors are collected (not
 * printed) so that the refusal can name line and column. The bytes were decoded by readXml, so the
 * parser gets UTF-8 and ignores the declaration's encoding name.
 */
const SAFE = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NOWARNING | ParseOption.XML_PARSE_IGNORE_ENC;
/**
 * Past this many characters a document may hold a text node over libxml2's 10 MB limit (a reporting
 * flow of 100,000 payments travels as one base64 text node): it is parsed with XML_PARSE_HUGE. Still no
 * DTD loading and no entity substitution; only servers that take such bodies get them (maxBodyBytes).
 */
const HUGE_FROM = 10_000_000;

/** A message's characters and the encoding they were read in, decided once from the bytes. */
export interface XmlInput {
  text: string;
  /** the encoding's name as decided (upper case), e.g. UTF-8, UTF-16LE, ISO-8859-1 */
  encoding: string;
  /** what decided it */
  by: 'bom' | 'charset' | 'declaration' | 'default' | 'caller';
  /** set when the encoding is one we do not accept: the reason, for the syntax fault */
  refusal?: string;
}

/** The charset parameter of a Content-Type header value, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return m ? m[1]!.toUpperCase() : undefined;
}

const DECL = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;
const norm = (e: string) => e.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * The encodings we read. XML 1.0 §4.3.3 obliges every processor to read UTF-8 and UTF-16 (and WS-I
 * BP 1.1 R1012 allows only these two for SOAP messages); SANP (IF-X-01) prescribes
 * `charset=UTF-8`. Any other encoding is refused with the receiver's syntax fault; we still decode
 * it, so the journal shows the real characters and the fault can name the operation.
 */
const ACCEPTED = new Map([['UTF8', 'UTF-8'], ['UTF16', 'UTF-16'], ['UTF16LE', 'UTF-16LE'], ['UTF16BE', 'UTF-16BE']]);

function decodeAs(bytes: Uint8Array, encoding: string, what: string): string {
  let label = encoding.toLowerCase();
  if (norm(encoding) === 'ISO88591' || norm(encoding) === 'LATIN1') return Buffer.from(bytes).toString('latin1');
  let dec: TextDecoder;
  try {
    dec = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    throw new XmlSyntaxError(`unsupported character encoding ${encoding} (${what})`, 'encoding');
  }
  try {
    return dec.decode(bytes);
  } catch {
    // XML 1.0 §4.3.3: bytes that are not valid in the encoding are a fatal error, never U+FFFD
    throw new XmlSyntaxError(`not well-formed XML: the bytes are not valid ${encoding} (${what})`, 'not-xml');
  }
}

/**
 * Decides the encoding of a message once, from its bytes, and decodes it. Order (XML 1.0 Appendix F
 * with RFC 7303 §3.2 for the HTTP layer): a byte-order mark wins over everything, because it is part
 * of the bytes and cannot be stale (RFC 7303 makes the BOM authoritative over charset); then the
 * Content-Type charset, which RFC 7303 makes authoritative over the XML declaration; then the
 * declaration, read in the family the first bytes show (`<\0?\0` / `\0<\0?` is UTF-16 without BOM);
 * then UTF-8. A string is already characters: only its declaration (or the charset) is checked.
 */
export function readXml(raw: Buffer | string, contentType?: string): XmlInput {
  const charset = charsetOf(contentType);
  let text: string;
  let encoding: string;
  let by: XmlInput['by'];
  if (typeof raw === 'string') {
    text = raw;
    const decl = DECL.exec(raw)?.[1];
    encoding = (charset ?? decl ?? 'UTF-8').toUpperCase();
    by = charset ? 'charset' : decl ? 'declaration' : 'caller';
  } else {
    const b = raw;
    let body: Uint8Array = b;
    let family: 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | undefined;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) [family, body] = ['UTF-8', b.subarray(3)];
    else if (b[0] === 0xff && b[1] === 0xfe) [family, body] = ['UTF-16LE', b.subarray(2)];
    else if (b[0] === 0xfe && b[1] === 0xff) [family, body] = ['UTF-16BE', b.subarray(2)];
    if (family) {
      encoding = family;
      by = 'bom';
    } else {
      // no BOM: the first bytes give the family in which the declaration can be read (Appendix F.1)
      const pattern = b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00 ? 'UTF-16LE' : b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f ? 'UTF-16BE' : 'UTF-8';
      const h = Buffer.from(b.subarray(0, 400));
      const head = pattern === 'UTF-8' ? h.toString('latin1') : pattern === 'UTF-16LE' ? h.toString('utf16le') : h.subarray(0, h.length & ~1).swap16().toString('utf16le');
      const decl = DECL.exec(head)?.[1]?.toUpperCase();
      if (charset) [encoding, by] = [charset, 'charset'];
      else if (decl) [encoding, by] = [decl, 'declaration'];
      else [encoding, by] = [pattern, 'default'];
      // a declaration of "UTF-16" read from UTF-16 bytes names the family, not an endianness
      if (norm(encoding) === 'UTF16' && pattern !== 'UTF-8') encoding = pattern;
      else if (norm(encoding).startsWith('UTF16')) {
        throw new XmlSyntaxError(`not well-formed XML: ${encoding} is declared (${by}) but the bytes have no byte-order mark and do not start as UTF-16`, 'not-xml');
      }
    }
    text = decodeAs(body, encoding, `decided by ${by}`);
  }
  const accepted = ACCEPTED.get(norm(encoding));
  const refusal = accepted
    ? undefined
    : `character encoding ${encoding} (${by === 'charset' ? 'Content-Type charset' : by === 'bom' ? 'byte-order mark' : 'XML declaration'}) is not allowed: SOAP messages are UTF-8 (IF-X-01) or UTF-16`;
  return { text, encoding: accepted ?? encoding, by, refusal };
}

/**
 * Parses decoded characters. The DTD and PI refusals look at the parsed tree, so that no encoding,
 * comment or CDATA section can hide or fake them.
 */
export function parseXml(input: XmlInput): XmlDocument {
  if (input.text.trim() === '') throw new XmlSyntaxError('empty body: an XML document was expected', 'not-xml');
  let doc: XmlDocument;
  try {
    const option = input.text.length > HUGE_FROM ? SAFE | ParseOption.XML_PARSE_HUGE : SAFE;
    doc = XmlDocument.fromBuffer(Buffer.from(input.text, 'utf8'), { option, encoding: 'UTF-8' });
  } catch (e) {
    const d = e instanceof XmlParseError ? e.details.find((x) => x.level >= 2) : undefined;
    const msg = d ? `${d.message.trim()} (line ${d.line}, column ${d.col})` : e instanceof Error ? e.message.trim().split('\n')[0] : String(e);
    throw new XmlSyntaxError(`not well-formed XML: ${msg}`, 'not-xml');
  }
  // SOAP 1.1 §3: a message MUST NOT contain a document type declaration (any: an internal subset with
  // only an ATTLIST too), nor processing instructions. The XML declaration is not a PI. A PI is refused
  // wherever it stands (prolog, envelope, body, epilog): the rule does not depend on its position.
  if (doc.dtd) {
    doc.dispose();
    throw new XmlSyntaxError('document type declarations are not allowed in SOAP messages (SOAP 1.1 §3)', 'no-dtd');
  }
  const pis = doc.find('//processing-instruction()');
  if (pis.length > 0) {
    const line = pis[0]!.line;
    doc.dispose();
    throw new XmlSyntaxError(`processing instructions are not allowed in SOAP messages (SOAP 1.1 §3), found one at line ${line}`, 'no-pi');
  }
  return doc;
}

/** Reads and parses a whole document; an encoding we do not accept is refused (rule encoding). */
export function parseDocument(raw: Buffer | string, contentType?: string): XmlDocument {
  const input = readXml(raw, contentType);
  if (input.refusal) throw new XmlSyntaxError(input.refusal, 'encoding');
  return parseXml(input);
}

/** The element tree of a whole document, the parser's memory freed; undefined when it cannot be parsed. */
export function elOfDocument(raw: Buffer | string): El | undefined {
  let doc: XmlDocument;
  try {
    doc = parseDocument(raw);
  } catch {
    return undefined;
  }
  try {
    return toEl(doc.root);
  } finally {
    doc.dispose();
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
