// A small model of our own XSDs (xsd/*.xsd), read with libxml2-wasm: global elements, named and
// anonymous complex types (sequence / choice / extension) and simple types with their facets
// (restriction chains resolved, patterns collected). It is what the negative-request generator
// walks: no field is listed by hand, so a schema change changes the generated cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlDocument, XmlElement } from 'libxml2-wasm';

export const XS = 'http://www.w3.org/2001/XMLSchema';

export interface Facets {
  /** the XML Schema built-in type at the root of the restriction chain (local name: string, decimal, date …) */
  base: string;
  minLength?: number;
  maxLength?: number;
  length?: number;
  /** all patterns of the chain (each must match) */
  patterns: string[];
  enumeration?: string[];
  minInclusive?: string;
  maxInclusive?: string;
}

export interface ElementDecl {
  name: string;
  /** effective minOccurs (the element's, times its enclosing groups') */
  min: number;
  max: number;
  type: TypeDef;
}

export type TypeDef = { kind: 'simple'; name: string; facets: Facets } | { kind: 'complex'; name: string; children: ElementDecl[] };

const qualifiedKey = (ns: string, local: string) => `{${ns}}${local}`;

/** Global declarations of a schema and of the schemas it imports. */
export class SchemaModel {
  private simple = new Map<string, XmlElement>();
  private complex = new Map<string, XmlElement>();
  private elements = new Map<string, XmlElement>();
  private resolved = new Map<string, TypeDef>();
  private docs: XmlDocument[] = [];

  constructor(file: string) {
    this.load(path.resolve(file), new Set());
  }

  private load(file: string, seen: Set<string>): void {
    if (seen.has(file)) return;
    seen.add(file);
    const doc = XmlDocument.fromBuffer(readFileSync(file), { url: file });
    this.docs.push(doc);
    const root = doc.root;
    const tns = root.attr('targetNamespace')?.value ?? '';
    for (let c = root.firstChild; c; c = c.next) {
      if (!(c instanceof XmlElement) || c.namespaceUri !== XS) continue;
      const name = c.attr('name')?.value;
      if (c.name === 'import' || c.name === 'include') {
        const loc = c.attr('schemaLocation')?.value;
        if (loc) this.load(path.resolve(path.dirname(file), loc), seen);
      } else if (name && c.name === 'simpleType') this.simple.set(qualifiedKey(tns, name), c);
      else if (name && c.name === 'complexType') this.complex.set(qualifiedKey(tns, name), c);
      else if (name && c.name === 'element') this.elements.set(qualifiedKey(tns, name), c);
    }
  }

  /** The declaration of a global element (a wrapper such as paVerifyPaymentNoticeReq). */
  element(ns: string, local: string): ElementDecl {
    const e = this.elements.get(qualifiedKey(ns, local));
    if (!e) throw new Error(`no global element {${ns}}${local} in the schema`);
    return { name: local, min: 1, max: 1, type: this.typeOfElement(e) };
  }

  private qname(at: XmlElement, q: string): { ns: string; local: string } {
    const i = q.indexOf(':');
    const prefix = i < 0 ? '' : q.slice(0, i);
    const ns = at.namespaceForPrefix(prefix) ?? '';
    return { ns, local: i < 0 ? q : q.slice(i + 1) };
  }

  private typeOfElement(e: XmlElement): TypeDef {
    const t = e.attr('type')?.value;
    if (t) return this.typeByName(e, t);
    for (let c = e.firstChild; c; c = c.next) {
      if (c instanceof XmlElement && c.namespaceUri === XS && c.name === 'complexType') return this.complexType(c, `(anonymous in ${e.attr('name')?.value})`);
      if (c instanceof XmlElement && c.namespaceUri === XS && c.name === 'simpleType') return { kind: 'simple', name: '(anonymous)', facets: this.facetsOf(c) };
    }
    return { kind: 'simple', name: 'xs:anyType', facets: { base: 'anyType', patterns: [] } };
  }

  private typeByName(at: XmlElement, q: string): TypeDef {
    const { ns, local } = this.qname(at, q);
    if (ns === XS) return { kind: 'simple', name: `xs:${local}`, facets: { base: local, patterns: [] } };
    const key = qualifiedKey(ns, local);
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const s = this.simple.get(key);
    if (s) {
      const def: TypeDef = { kind: 'simple', name: local, facets: this.facetsOf(s) };
      this.resolved.set(key, def);
      return def;
    }
    const c = this.complex.get(key);
    if (c) {
      const def = this.complexType(c, local);
      this.resolved.set(key, def);
      return def;
    }
    throw new Error(`type ${q} (${key}) is not declared`);
  }

  private facetsOf(simpleType: XmlElement): Facets {
    const restriction = xsChild(simpleType, 'restriction');
    if (!restriction) return { base: 'string', patterns: [] };
    const baseName = restriction.attr('base')?.value ?? 'xs:string';
    const baseType = this.typeByName(restriction, baseName);
    const inherited: Facets = baseType.kind === 'simple' ? { ...baseType.facets, patterns: [...baseType.facets.patterns] } : { base: 'string', patterns: [] };
    const enums: string[] = [];
    for (let f = restriction.firstChild; f; f = f.next) {
      if (!(f instanceof XmlElement) || f.namespaceUri !== XS) continue;
      const v = f.attr('value')?.value ?? '';
      switch (f.name) {
        case 'minLength':
          inherited.minLength = Number(v);
          break;
        case 'maxLength':
          inherited.maxLength = Number(v);
          break;
        case 'length':
          inherited.length = Number(v);
          break;
        case 'pattern':
          inherited.patterns.push(v);
          break;
        case 'enumeration':
          enums.push(v);
          break;
        case 'minInclusive':
          inherited.minInclusive = v;
          break;
        case 'maxInclusive':
          inherited.maxInclusive = v;
          break;
      }
    }
    if (enums.length) inherited.enumeration = enums;
    return inherited;
  }

  private complexType(ct: XmlElement, name: string): TypeDef {
    const def: TypeDef = { kind: 'complex', name, children: [] };
    const content = xsChild(ct, 'complexContent');
    if (content) {
      const ext = xsChild(content, 'extension');
      if (ext) {
        const base = this.typeByName(ext, ext.attr('base')?.value ?? '');
        if (base.kind === 'complex') def.children.push(...base.children);
        this.particles(ext, 1, def.children);
      }
      return def;
    }
    this.particles(ct, 1, def.children);
    return def;
  }

  /** Element declarations of the groups under `parent`, flattened, with their effective minOccurs. */
  private particles(parent: XmlElement, groupMin: number, out: ElementDecl[]): void {
    for (let c = parent.firstChild; c; c = c.next) {
      if (!(c instanceof XmlElement) || c.namespaceUri !== XS) continue;
      const min = Number(c.attr('minOccurs')?.value ?? '1');
      const maxAttr = c.attr('maxOccurs')?.value ?? '1';
      const max = maxAttr === 'unbounded' ? Infinity : Number(maxAttr);
      if (c.name === 'sequence') this.particles(c, groupMin * min, out);
      else if (c.name === 'choice') {
        // one branch of a choice is mandatory only if the choice is and it is the only branch present
        this.particles(c, groupMin * min, out);
      } else if (c.name === 'element') {
        const name = c.attr('name')?.value;
        if (!name) continue;
        out.push({ name, min: groupMin * min, max, type: this.typeOfElement(c) });
      }
    }
  }

  dispose(): void {
    for (const d of this.docs) d.dispose();
    this.docs = [];
  }
}

function xsChild(e: XmlElement, local: string): XmlElement | undefined {
  for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement && c.namespaceUri === XS && c.name === local) return c;
  return undefined;
}

const models = new Map<string, SchemaModel>();
/** The model of a schema file (and the schemas it imports), loaded once per process. */
export function schemaModel(schemaFile: string): SchemaModel {
  let m = models.get(schemaFile);
  if (!m) models.set(schemaFile, (m = new SchemaModel(schemaFile)));
  return m;
}
