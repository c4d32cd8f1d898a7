// One small engine builds and reads every old-model document from a shape: the XSD's sequence written
// as data (shapes.ts). Building follows the shape's order, so fields come out in schema order whatever
// the object's key order. Reading walks the children against the same sequence and refuses, naming the
// field and the rule, what the XSD would refuse: a missing required element, an unknown or misplaced
// one, too many occurrences, a value outside its facets. Builders do not check facets on purpose: the
// harness also builds the wrong documents a negative scenario sends.
import { type Cents, formatAmount, parseAmount } from '../common.js';
import { type El, XmlSyntaxError, escapeXml, parseXml, readXml, toEl } from '../../src/wire/xml.js';

/** What a reader refuses: the rule names the kind of violation. */
export type DocumentErrorRule =
  | 'not-xml'
  | 'root'
  | 'namespace'
  | 'missing'
  | 'unexpected'
  | 'occurrences'
  | 'length'
  | 'format'
  | 'enumeration';

/** A document that is missing a field or has a malformed one; `field` is a path like datiVersamento/datiSingoloVersamento[2]/ibanAccredito. */
export class DocumentError extends Error {
  constructor(
    readonly document: string,
    readonly field: string,
    readonly rule: DocumentErrorRule,
    readonly detail: string,
  ) {
    super(`${document}${field ? ` ${field}` : ''}: ${detail} [${rule}]`);
    this.name = 'DocumentError';
  }
}

// ---------- shapes ----------

export type Leaf =
  | { t: 'text'; min: number; max: number }
  | { t: 'amount'; nonZero: boolean }
  | { t: 'date' }
  | { t: 'dateTime' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'pattern'; re: RegExp; what: string; maxLength?: number }
  | { t: 'base64'; pattern?: RegExp };
export interface Group {
  t: 'group';
  fields: Field[];
}
export interface Field {
  name: string;
  type: Leaf | Group;
  min: number;
  max: number;
}

/** A field; occurs: '1' (default), '?' (optional), or 'a..b' with b a number. */
export function f(name: string, type: Leaf | Group, occurs = '1'): Field {
  if (occurs === '1') return { name, type, min: 1, max: 1 };
  if (occurs === '?') return { name, type, min: 0, max: 1 };
  const m = /^(\d+)\.\.(\d+|\*)$/.exec(occurs);
  if (!m) throw new Error(`bad occurrence ${occurs} for ${name}`);
  return { name, type, min: Number(m[1]), max: m[2] === '*' ? Infinity : Number(m[2]) };
}
export const group = (...fields: Field[]): Group => ({ t: 'group', fields });
export const text = (max: number, min = 1): Leaf => ({ t: 'text', min, max });
export const amount = (nonZero = false): Leaf => ({ t: 'amount', nonZero });
export const date: Leaf = { t: 'date' };
export const dateTime: Leaf = { t: 'dateTime' };
export const oneOf = (values: readonly string[]): Leaf => ({ t: 'enum', values });
export const pattern = (re: RegExp, what: string, maxLength?: number): Leaf => ({ t: 'pattern', re, what, maxLength });
export const base64 = (lexical?: RegExp): Leaf => (lexical ? { t: 'base64', pattern: lexical } : { t: 'base64' });

/** A document: its name (for errors), root element, namespace and content. */
export interface DocShape {
  doc: string;
  root: string;
  ns: string;
  content: Group;
}

// ---------- building ----------

function leafText(leaf: Leaf, v: unknown): string {
  if (leaf.t === 'amount') return formatAmount(v as Cents);
  return String(v);
}

function buildGroup(shape: DocShape, g: Group, obj: Record<string, unknown>, path: string, out: string[]): void {
  for (const fd of g.fields) {
    const v = obj[fd.name];
    const here = path ? `${path}/${fd.name}` : fd.name;
    if (v === undefined || v === null) {
      if (fd.min > 0) throw new DocumentError(shape.doc, here, 'missing', 'is required');
      continue;
    }
    const items = fd.max > 1 ? (Array.isArray(v) ? v : [v]) : [v];
    if (items.length < fd.min) throw new DocumentError(shape.doc, here, 'occurrences', `needs at least ${fd.min}, got ${items.length}`);
    for (const item of items) {
      if (fd.type.t === 'group') {
        out.push(`<${fd.name}>`);
        buildGroup(shape, fd.type, item as Record<string, unknown>, here, out);
        out.push(`</${fd.name}>`);
      } else out.push(`<${fd.name}>${escapeXml(leafText(fd.type, item))}</${fd.name}>`);
    }
  }
}

/** The document as UTF-8 XML text: declaration, root in its namespace (default namespace), fields in schema order. */
export function buildDocument(shape: DocShape, value: object): string {
  const out: string[] = [];
  buildGroup(shape, shape.content, value as Record<string, unknown>, '', out);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${shape.root} xmlns="${shape.ns}">${out.join('')}</${shape.root}>`;
}

// ---------- reading ----------

const DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_AMOUNT = 99_999_999_999;

function calendarOk(y: string, m: string, d: string): boolean {
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return false;
  return dd <= new Date(Date.UTC(Number(y), mm, 0)).getUTCDate();
}

/** The value of a leaf element, or the reason it is malformed. */
function readLeaf(leaf: Leaf, raw: string): { value: unknown } | { rule: DocumentErrorRule; detail: string } {
  const collapsed = raw.trim();
  switch (leaf.t) {
    case 'text': {
      const n = [...raw].length;
      if (n < leaf.min || n > leaf.max) return { rule: 'length', detail: `length ${n}, allowed ${leaf.min}..${leaf.max}` };
      return { value: raw };
    }
    case 'amount': {
      const c = parseAmount(collapsed);
      if (c === undefined) return { rule: 'format', detail: `"${collapsed}" is not an amount with two decimals and "." (\\d+\\.\\d{2})` };
      if (c > MAX_AMOUNT) return { rule: 'format', detail: `${collapsed} is above 999999999.99` };
      if (leaf.nonZero && c === 0) return { rule: 'format', detail: 'must be at least 0.01' };
      return { value: c };
    }
    // dates are read untrimmed: the validator every message meets (libxml2) refuses padded dates
    case 'date': {
      const m = DATE.exec(raw);
      if (!m || !calendarOk(m[1]!, m[2]!, m[3]!)) return { rule: 'format', detail: `"${raw}" is not a date YYYY-MM-DD` };
      return { value: raw };
    }
    case 'dateTime': {
      const m = DATE_TIME.exec(raw);
      // XSD 1.0 allows 24:00:00 for the end of the day
      const endOfDay = m && m[4] === '24' && m[5] === '00' && m[6] === '00' && !/[1-9]/.test(m[7] ?? '');
      const timeOk = m && (endOfDay || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60));
      if (!m || !timeOk || !calendarOk(m[1]!, m[2]!, m[3]!)) return { rule: 'format', detail: `"${raw}" is not a date-time YYYY-MM-DDThh:mm:ss` };
      return { value: raw };
    }
    case 'enum':
      if (!leaf.values.includes(raw)) return { rule: 'enumeration', detail: `"${raw}" is not one of ${leaf.values.join(', ')}` };
      return { value: raw };
    case 'pattern':
      if (leaf.maxLength !== undefined && [...raw].length > leaf.maxLength) return { rule: 'length', detail: `longer than ${leaf.maxLength}` };
      if (!leaf.re.test(raw)) return { rule: 'format', detail: `"${raw}" is not ${leaf.what}` };
      return { value: raw };
    case 'base64': {
      const compact = collapsed.replace(/\s+/g, '');
      if (!BASE64.test(compact)) return { rule: 'format', detail: 'is not base64' };
      if (leaf.pattern && !leaf.pattern.test(collapsed)) return { rule: 'length', detail: `"${collapsed}" does not match ${leaf.pattern.source}` };
      return { value: collapsed };
    }
  }
}

function readGroup(shape: DocShape, g: Group, el: El, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const counts = new Map<string, number>();
  const at = (name: string) => (path ? `${path}/${name}` : name);
  const missingBefore = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const fd = g.fields[k]!;
      if ((counts.get(fd.name) ?? 0) < fd.min) throw new DocumentError(shape.doc, at(fd.name), 'missing', `is required in ${el.name}`);
    }
  };
  if (el.text.trim() !== '') throw new DocumentError(shape.doc, path || shape.root, 'format', `${el.name} holds text where only elements are allowed`);
  let i = 0;
  for (const c of el.children) {
    if (c.ns !== shape.ns) throw new DocumentError(shape.doc, at(c.name), 'namespace', `is in namespace ${c.ns ?? '(none)'}, expected ${shape.ns}`);
    let j = i;
    while (j < g.fields.length && g.fields[j]!.name !== c.name) j++;
    if (j === g.fields.length) {
      const earlier = g.fields.findIndex((x) => x.name === c.name);
      const detail = earlier >= 0 ? `is out of schema order (it must come before ${g.fields[i]!.name})` : `is not an element of ${el.name}`;
      throw new DocumentError(shape.doc, at(c.name), 'unexpected', detail);
    }
    missingBefore(i, j);
    i = j;
    const fd = g.fields[j]!;
    const n = (counts.get(fd.name) ?? 0) + 1;
    counts.set(fd.name, n);
    if (n > fd.max) throw new DocumentError(shape.doc, at(fd.name), 'occurrences', `occurs more than ${fd.max} times`);
    const here = fd.max > 1 ? `${at(fd.name)}[${n}]` : at(fd.name);
    let value: unknown;
    if (fd.type.t === 'group') value = readGroup(shape, fd.type, c, here);
    else {
      if (c.children.length > 0) throw new DocumentError(shape.doc, here, 'format', 'holds elements where a value is expected');
      const r = readLeaf(fd.type, c.text);
      if ('rule' in r) throw new DocumentError(shape.doc, here, r.rule, r.detail);
      value = r.value;
    }
    if (fd.max > 1) ((out[fd.name] ??= []) as unknown[]).push(value);
    else out[fd.name] = value;
  }
  missingBefore(i, g.fields.length);
  return out;
}

/**
 * The root of a document, parsed with the safe parser of src/wire/xml.ts (no DTD, no entities, no PI).
 * Like src/wire/documents.ts, any encoding the bytes declare and decode in is read: the seed sets no
 * encoding for the documents themselves (IF-X-01 binds the SOAP envelope).
 */
export function parseRoot(doc: string, xml: string | Buffer): El {
  let parsed;
  try {
    parsed = parseXml(readXml(xml));
  } catch (e) {
    const rule = e instanceof XmlSyntaxError ? ` (${e.rule})` : '';
    throw new DocumentError(doc, '', 'not-xml', `${(e as Error).message}${rule}`);
  }
  try {
    return toEl(parsed.root);
  } finally {
    parsed.dispose();
  }
}

/** Parses and reads a whole document. */
export function readDocument<T>(shape: DocShape, xml: string | Buffer): T {
  return readElement<T>(shape, parseRoot(shape.doc, xml));
}

/** Reads a document from an already parsed element (e.g. codiceIdRPT inside a SOAP body). */
export function readElement<T>(shape: DocShape, root: El): T {
  if (root.name !== shape.root) throw new DocumentError(shape.doc, shape.root, 'root', `root element is ${root.name}, expected ${shape.root}`);
  if (root.ns !== shape.ns) throw new DocumentError(shape.doc, shape.root, 'namespace', `root is in namespace ${root.ns ?? '(none)'}, expected ${shape.ns}`);
  return readGroup(shape, shape.content, root, '') as T;
}
