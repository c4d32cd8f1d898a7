// Negative requests generated from our schemas (issue 4 item 2): from one valid request of a
// paForNode operation (or one valid document carried base64, e.g. an old-model RT), walk the instance together with its schema declarations (./schema.ts) and
// derive malformed variants — each mandatory element missing, a value empty, too long, breaking
// the pattern, outside the enumeration or the range, of the wrong type (amount 10.5, date
// 2026-13-45), an unknown element, two elements swapped, a child qualified with the wrapper's
// namespace. Every case is validated against the same XSD by the generator itself and dropped if it
// happens to be valid, so each case the harness sends is a schema-invalid request.
import type { Operation } from '../wire/contract.js';
import { SOAPENV_NS, decodeEnvelope } from '../wire/soap.js';
import { XmlElement } from 'libxml2-wasm';
import { type El, escapeXml, parseXml, readXml } from '../wire/xml.js';
import { validateElement } from '../wire/xsd.js';
import { type ElementDecl, type Facets, schemaModel } from './schema.js';

export type NegativeKind = 'missing' | 'empty' | 'too-long' | 'pattern' | 'enumeration' | 'type' | 'range' | 'unknown-element' | 'order' | 'qualified-child';

/** A case's kind in Italian (check titles name it). */
export const NEGATIVE_KIND_IT: Record<NegativeKind, string> = {
  missing: 'mancante',
  empty: 'vuoto',
  'too-long': 'troppo lungo',
  pattern: 'pattern',
  enumeration: 'enumerazione',
  type: 'tipo',
  range: 'intervallo',
  'unknown-element': 'elemento sconosciuto',
  order: 'ordine',
  'qualified-child': 'figlio qualificato',
};

export interface NegativeCase {
  /** stable id within the primitive, e.g. `qrCode/noticeNumber:pattern` */
  id: string;
  kind: NegativeKind;
  /** the element path the case breaks (`` for the wrapper) */
  path: string;
  /** readable description of the change */
  change: string;
  /** the same description in Italian (the certificate's Italian view) */
  changeIt: string;
  envelope: string;
  /** the validator's first message: proof that the case is schema-invalid */
  xsdError: string;
}

/** Mutable copy of the request: the wrapper (qualified) and its unqualified descendants. */
interface Node {
  name: string;
  text: string;
  children: Node[];
  qualified?: boolean;
}

const copy = (n: Node): Node => ({ name: n.name, text: n.text, qualified: n.qualified, children: n.children.map(copy) });
const fromEl = (e: El): Node => ({ name: e.name, text: e.children.length ? '' : e.text, children: e.children.map(fromEl) });

function render(op: Operation, wrapper: Node): string {
  const out: string[] = [];
  const write = (n: Node, isWrapper: boolean) => {
    const tag = isWrapper || n.qualified ? `${op.prefix}:${n.name}` : n.name;
    out.push(`<${tag}>`);
    if (n.children.length) n.children.forEach((c) => write(c, false));
    else out.push(escapeXml(n.text));
    out.push(`</${tag}>`);
  };
  write(wrapper, true);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}" xmlns:${op.prefix}="${op.ns}">` +
    `<soapenv:Header/><soapenv:Body>${out.join('')}</soapenv:Body></soapenv:Envelope>`
  );
}

/** A value of `f`'s shape that breaks its pattern while keeping its length, or undefined. */
function breakPattern(valid: string): string {
  if (valid === '') return '#';
  return `#${valid.slice(1)}`;
}

function longer(valid: string, n: number): string {
  const pad = valid.at(-1) ?? 'X';
  return valid.length >= n ? valid + pad : valid + pad.repeat(n - valid.length);
}

/** per XSD type: a value of the wrong type, and what it is in English and Italian */
const WRONG_TYPE: Record<string, [string, string, string]> = {
  decimal: ['10.5', 'an amount with one decimal', 'un importo con un solo decimale'],
  date: ['2026-13-45', 'a date that does not exist', 'una data inesistente'],
  dateTime: ['2026-13-45T25:61:00', 'a date-time that does not exist', 'una data e ora inesistente'],
  boolean: ['maybe', 'a non-boolean', 'un valore non booleano'],
  int: ['uno', 'a non-integer', 'un valore non intero'],
  integer: ['uno', 'a non-integer', 'un valore non intero'],
  base64Binary: ['%%% not base64 %%%', 'text that is not base64', 'un testo non base64'],
};

type ValueCase = { kind: NegativeKind; value: string; change: string; changeIt: string };

function valueCases(f: Facets, valid: string): ValueCase[] {
  const out: ValueCase[] = [];
  out.push({ kind: 'empty', value: '', change: 'empty value', changeIt: 'valore vuoto' });
  if (f.maxLength !== undefined) out.push({ kind: 'too-long', value: longer(valid, f.maxLength + 1), change: `${f.maxLength + 1} characters (maxLength ${f.maxLength})`, changeIt: `${f.maxLength + 1} caratteri (maxLength ${f.maxLength})` });
  else if (f.length !== undefined) out.push({ kind: 'too-long', value: longer(valid, f.length + 1), change: `${f.length + 1} characters (length ${f.length})`, changeIt: `${f.length + 1} caratteri (length ${f.length})` });
  else if (f.patterns.length && !f.enumeration) {
    const p = f.patterns.join(' & ');
    out.push({ kind: 'too-long', value: valid + (valid.at(-1) ?? '0'), change: `one character more than the valid value (pattern ${p})`, changeIt: `un carattere in più del valore valido (pattern ${p})` });
  }
  if (f.patterns.length && !f.enumeration) {
    const v = breakPattern(valid);
    const shown = `"${v.length > 40 ? `${v.slice(0, 37)}…` : v}"`;
    out.push({ kind: 'pattern', value: v, change: `${shown} does not match ${f.patterns.join(' & ')}`, changeIt: `${shown} non corrisponde a ${f.patterns.join(' & ')}` });
  }
  if (f.enumeration) {
    const numeric = ['int', 'integer', 'decimal'].includes(f.base);
    const v = numeric ? String(Math.max(...f.enumeration.map(Number)) + 1) : 'COLLAUDO';
    out.push({ kind: 'enumeration', value: v, change: `"${v}" is not one of ${f.enumeration.join(', ')}`, changeIt: `"${v}" non è tra ${f.enumeration.join(', ')}` });
  }
  const wt = WRONG_TYPE[f.base];
  if (wt) out.push({ kind: 'type', value: wt[0], change: `"${wt[0]}": ${wt[1]} (type ${f.base})`, changeIt: `"${wt[0]}": ${wt[2]} (tipo ${f.base})` });
  if (f.base === 'decimal' && f.maxInclusive)
    out.push({ kind: 'range', value: '1000000000.00', change: `"1000000000.00" above maxInclusive ${f.maxInclusive}`, changeIt: `"1000000000.00" oltre maxInclusive ${f.maxInclusive}` });
  if (f.base === 'decimal' && f.minInclusive && Number(f.minInclusive) > 0)
    out.push({ kind: 'range', value: '0.00', change: `"0.00" below minInclusive ${f.minInclusive}`, changeIt: `"0.00" sotto minInclusive ${f.minInclusive}` });
  return out;
}

export interface GenerateOptions {
  /** at most this many cases (evenly sampled, wrapper-level cases first); default: all */
  max?: number;
}

/**
 * Derives the schema-invalid variants of a valid request envelope of `op`, from `op`'s schema.
 * Throws if the base request itself is not valid (the cases would prove nothing).
 */
export function generateNegatives(op: Operation, validEnvelope: string, opts: GenerateOptions = {}): NegativeCase[] {
  const d = decodeEnvelope(validEnvelope, { ops: [op] });
  if (!d.ok) throw new Error(`base request is not a SOAP envelope: ${d.message}`);
  if (d.msg.op !== op || d.msg.kind !== 'request') throw new Error(`base request is not a ${op.name} request: ${d.msg.body.name}`);
  if (!d.msg.xsd.valid) throw new Error(`base ${op.name} request is not valid: ${d.msg.xsd.errors.join('; ')}`);
  const root = fromEl(d.msg.body);
  const { raw, variants } = deriveVariants(root, schemaModel(op.schema).element(op.ns, op.request), op.request);
  if (root.children.length) {
    const first = root.children[0]!.name;
    raw.push({
      id: `${first}:qualified-child`,
      kind: 'qualified-child',
      path: first,
      change: `<${first}> qualified with the wrapper's namespace (children are unqualified, IF-X-05)`,
      changeIt: `<${first}> qualificato con il namespace dell’elemento contenitore (i figli non sono qualificati, IF-X-05)`,
    });
    const w = copy(root);
    w.children[0]!.qualified = true;
    variants.push(w);
  }
  return sample(
    keepInvalid(raw, variants, validEnvelope, (w) => render(op, w), (text) => {
      const check = decodeEnvelope(text, { ops: [op] });
      return !check.ok ? undefined : check.msg.xsd.valid ? null : (check.msg.xsd.errors[0] ?? '');
    }),
    opts.max,
  );
}

/** A document carried base64 in a message (RPT, RT, RR, ER …): its schema, namespace and root element. */
export interface DocumentSchema {
  schema: string;
  ns: string;
  root: string;
  /** prefix used when rendering (any is valid) */
  prefix?: string;
}

/**
 * The schema-invalid variants of a valid document (every element qualified in the document's
 * namespace), each validated against the document's schema and dropped if it happens to be valid.
 * `envelope` of each case holds the document's XML (the caller embeds it, base64, in its message).
 */
export function generateDocumentNegatives(doc: DocumentSchema, validXml: string, opts: GenerateOptions = {}): NegativeCase[] {
  const parsed = parseXml(readXml(Buffer.from(validXml, 'utf8')));
  let root: Node;
  try {
    const verdict = validateElement(parsed.root, doc.schema);
    if (!verdict.valid) throw new Error(`base ${doc.root} document is not valid: ${verdict.errors.join('; ')}`);
    if (parsed.root.name !== doc.root || parsed.root.namespaceUri !== doc.ns) throw new Error(`base document is not a {${doc.ns}}${doc.root}`);
    root = fromXmlElement(parsed.root);
  } finally {
    parsed.dispose();
  }
  const { raw, variants } = deriveVariants(root, schemaModel(doc.schema).element(doc.ns, doc.root), doc.root);
  const prefix = doc.prefix ?? 'pay';
  return sample(
    keepInvalid(raw, variants, validXml, (w) => renderDocument(w, doc.ns, prefix), (text) => {
      const p = parseXml(readXml(Buffer.from(text, 'utf8')));
      try {
        const v = validateElement(p.root, doc.schema);
        return v.valid ? null : (v.errors[0] ?? '');
      } finally {
        p.dispose();
      }
    }),
    opts.max,
  );
}

type RawCase = Omit<NegativeCase, 'envelope' | 'xsdError'>;

/** Walks an instance with its declaration and derives the malformed variants (not yet validated). */
function deriveVariants(root: Node, decl: ElementDecl, rootLabel: string): { raw: RawCase[]; variants: Node[] } {
  const raw: RawCase[] = [];
  const variants: Node[] = [];
  const add = (kind: NegativeKind, p: string, [change, changeIt]: [string, string], mutate: (wrapper: Node) => void) => {
    const w = copy(root);
    mutate(w);
    const n = raw.filter((r) => r.path === p && r.kind === kind).length;
    raw.push({ id: `${p || rootLabel}:${kind}${n ? `-${n + 1}` : ''}`, kind, path: p, change, changeIt });
    variants.push(w);
  };
  /** the node at `indexes` (child positions from the wrapper) in a copy */
  const at = (w: Node, indexes: number[]): Node => indexes.reduce((n, i) => n.children[i]!, w);
  const visitedTypes = new Set<string>();

  const walk = (node: Node, d: ElementDecl, indexes: number[], p: string) => {
    if (d.type.kind !== 'complex') return;
    const type = d.type;
    // structure of this complex element: unknown element, two children swapped
    const label = p || rootLabel;
    add('unknown-element', p, [`unknown element <collaudoUnknown> appended inside ${label}`, `elemento sconosciuto <collaudoUnknown> aggiunto dentro <${label}>`], (w) => at(w, indexes).children.push({ name: 'collaudoUnknown', text: 'x', children: [] }));
    const swap = node.children.findIndex((c, i) => i + 1 < node.children.length && node.children[i + 1]!.name !== c.name);
    if (swap >= 0) {
      const a = node.children[swap]!.name;
      const b = node.children[swap + 1]!.name;
      add('order', p, [`<${a}> and <${b}> swapped inside ${label} (order of the sequence)`, `<${a}> e <${b}> scambiati dentro <${label}> (ordine della sequenza)`], (w) => {
        const ch = at(w, indexes).children;
        [ch[swap], ch[swap + 1]] = [ch[swap + 1]!, ch[swap]!];
      });
    }
    node.children.forEach((c, i) => {
      const cd = type.children.find((x) => x.name === c.name);
      if (!cd) return;
      const cp = p ? `${p}/${c.name}` : c.name;
      const ci = [...indexes, i];
      const siblings = node.children.filter((s) => s.name === c.name).length;
      const first = node.children.findIndex((s) => s.name === c.name) === i;
      if (cd.min >= 1 && siblings <= cd.min && first) add('missing', cp, [`mandatory <${c.name}> removed`, `<${c.name}> obbligatorio rimosso`], (w) => at(w, indexes).children.splice(i, 1));
      if (cd.type.kind === 'simple') {
        if (!first) return;
        for (const v of valueCases(cd.type.facets, c.text)) add(v.kind, cp, [`<${c.name}>: ${v.change}`, `<${c.name}>: ${v.changeIt}`], (w) => (at(w, ci).text = v.value));
      } else {
        if (!first) return;
        if (c.children.some((g) => cd.type.kind === 'complex' && (cd.type.children.find((x) => x.name === g.name)?.min ?? 0) >= 1)) {
          add('empty', cp, [`<${c.name}> without content`, `<${c.name}> senza contenuto`], (w) => (at(w, ci).children = []));
        }
        // a complex type already walked elsewhere (debtor and payer are both ctSubject) is not walked again
        const key = `${cd.type.name}`;
        if (visitedTypes.has(key)) return;
        visitedTypes.add(key);
        walk(c, cd, ci, cp);
      }
    });
  };
  walk(root, decl, [], '');
  return { raw, variants };
}

/** Renders each variant, drops duplicates and variants the validator accepts (null) or cannot read (undefined). */
function keepInvalid(raw: RawCase[], variants: Node[], valid: string, render: (w: Node) => string, firstError: (text: string) => string | null | undefined): NegativeCase[] {
  const seen = new Set<string>([valid]);
  const out: NegativeCase[] = [];
  raw.forEach((r, i) => {
    const text = render(variants[i]!);
    if (seen.has(text)) return;
    seen.add(text);
    const err = firstError(text);
    if (err === null || err === undefined) return; // happens to be valid (or not even parseable): dropped
    out.push({ ...r, envelope: text, xsdError: err });
  });
  return out;
}

/** A document with every element qualified in `ns` (documents are elementFormDefault="qualified"). */
function renderDocument(root: Node, ns: string, prefix: string): string {
  const out: string[] = [];
  const write = (n: Node, top: boolean) => {
    out.push(top ? `<${prefix}:${n.name} xmlns:${prefix}="${ns}">` : `<${prefix}:${n.name}>`);
    if (n.children.length) n.children.forEach((c) => write(c, false));
    else out.push(escapeXml(n.text));
    out.push(`</${prefix}:${n.name}>`);
  };
  write(root, true);
  return `<?xml version="1.0" encoding="UTF-8"?>${out.join('')}`;
}

function fromXmlElement(e: XmlElement): Node {
  const children: Node[] = [];
  for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement) children.push(fromXmlElement(c));
  return { name: e.name, text: children.length ? '' : e.content, children };
}

/** Keeps wrapper-level cases and samples the rest evenly, in document order. */
function sample(cases: NegativeCase[], max: number | undefined): NegativeCase[] {
  if (max === undefined || cases.length <= max) return cases;
  const top = cases.filter((c) => !c.path.includes('/'));
  const deep = cases.filter((c) => c.path.includes('/'));
  const room = Math.max(0, max - top.length);
  const picked = new Set<NegativeCase>(top.slice(0, max));
  for (let k = 0; k < room; k++) picked.add(deep[Math.floor((k * deep.length) / room)]!);
  return cases.filter((c) => picked.has(c));
}

