// What the core knows of a wire contract: an interface is a set of operations mounted at an endpoint
// path, with its schema, its correlation keys and the documents it carries base64-encoded. The
// interfaces themselves are data in interfaces/ (one folder each); nothing here names a model.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Correlation } from '../core/journal.js';
import type { El, NodeObj } from './xml.js';

/** How an answer says OK/KO: the new model's `outcome`, the old model's `esito`. */
export type AnswerStyle = 'outcome' | 'esito';

/** Correlation key → names of the elements that carry it (the first occurrence in a body wins). */
export type CorrelationRule = Record<string, readonly string[]>;

/** Keys an interface composes from several elements (a notice number from codiceIdRPT's parts, a session from a URL). */
export type DeriveCorrelation = (m: { body: El; header?: readonly El[] }) => Correlation;

/** A document carried base64-encoded inside an element of a body (RPT, RT, flows…). */
export interface DocumentRule {
  /** local name of the element holding the base64 text */
  element: string;
  /** the document's name in evidence (e.g. RPT) */
  name: string;
  /** the schema validating the decoded document */
  schema: string;
  /** local name its root element must have (a schema may declare several documents: RPT and RT) */
  root?: string;
}

/** Why a request is refused: a code of the answering part's fault table and what was wrong. */
export interface Rejection {
  code: string;
  description?: string;
}

/** What a caller rule sees of a request: its body and SOAP headers. */
export interface CallerMessage {
  body: El;
  /** the operation's SOAP header element, when it has one */
  header?: El;
  headers: readonly El[];
}

/**
 * An interface's caller-authentication rule: may this caller use the interface? It is checked against
 * what the serving part knows of its callers (given by the endpoint, typed by the rule).
 */
export type CallerRule = (m: CallerMessage, callers: never) => Rejection | undefined;

export interface Operation {
  name: string;
  /** the interface (WSDL) it belongs to */
  iface: string;
  /** namespace of its body elements (IF-X-04: several interfaces may share one) */
  ns: string;
  /** conventional prefix used when we build messages (any prefix is accepted when parsing) */
  prefix: string;
  request: string;
  response: string;
  /** SOAPAction the caller sends (IF-X-02) */
  soapAction: string;
  /** SOAP header element of the request, if the operation has one (old model: intestazionePPT) */
  header?: string;
  /** namespace and prefix of the header element (default: the body's) */
  headerNs: string;
  headerPrefix: string;
  style: AnswerStyle;
  /** the element inside the response that carries fault and outcome, when the response wraps one (old model) */
  result?: string;
  /** the leaf that says OK/KO (by style: outcome or esito); null when the answer has none and a fault alone says KO */
  outcome: string | null;
  /** what a KO must carry besides the fault to be valid against the schema */
  koContent?: NodeObj;
  /** the answer has no fault of its own: a KO carries it in listaErroriRPT (pspInviaRPT, A-28) */
  faultInList?: boolean;
  /** the schema validating its body (and header) elements */
  schema: string;
  /** the interface it was declared in */
  pack: InterfacePack;
}

export interface InterfacePack {
  name: string;
  /** the model it belongs to: a profile certifies the models it lists */
  model: string;
  /** endpoint path where the harness mounts it (dispatch goes by path, then element) */
  path: string;
  ns: string;
  prefix: string;
  /** further prefixes declared on every envelope of the interface (qualified content from other schemas) */
  namespaces: Readonly<Record<string, string>>;
  schema: string;
  wsdl?: string;
  operations: readonly Operation[];
  correlation: CorrelationRule;
  deriveCorrelation?: DeriveCorrelation;
  documents: readonly DocumentRule[];
  /** who may call it: checked by the endpoint pipeline before the handler */
  authenticate?: CallerRule;
}

export interface OperationDef {
  name: string;
  request: string;
  response: string;
  soapAction?: string;
  header?: string;
  /** namespace, when it differs from the interface's (legacy operations inside a new interface) */
  ns?: string;
  /** prefix we use for its body elements, when it differs from the interface's (a legacy namespace) */
  prefix?: string;
  /** how its answer says OK/KO, when it differs from the interface's (a legacy esito operation in an outcome interface) */
  style?: AnswerStyle;
  result?: string;
  outcome?: string | null;
  koContent?: NodeObj;
  faultInList?: boolean;
}

export interface InterfaceDef {
  name: string;
  model: string;
  path: string;
  ns: string;
  prefix: string;
  /** folder holding `<name>.xsd` (and `<name>.wsdl` when there is one) */
  dir: string;
  style?: AnswerStyle;
  /** namespace and prefix of the SOAP header elements, when they are not the body's (old model: ppthead) */
  header?: { ns: string; prefix: string };
  namespaces?: Record<string, string>;
  schema?: string;
  wsdl?: string;
  operations: readonly (OperationDef | readonly [name: string, request: string, response: string])[];
  correlation?: CorrelationRule;
  deriveCorrelation?: DeriveCorrelation;
  documents?: readonly DocumentRule[];
  authenticate?: CallerRule;
}

/** Builds an interface from its data (interfaces/<model>/<name>/index.ts). */
export function defineInterface(d: InterfaceDef): InterfacePack {
  const schema = d.schema ?? path.join(d.dir, `${d.name}.xsd`);
  const pack: InterfacePack = {
    name: d.name,
    model: d.model,
    path: d.path,
    ns: d.ns,
    prefix: d.prefix,
    namespaces: { ...(d.header ? { [d.header.prefix]: d.header.ns } : {}), ...d.namespaces },
    schema,
    wsdl: d.wsdl ?? path.join(d.dir, `${d.name}.wsdl`),
    operations: [],
    correlation: d.correlation ?? {},
    deriveCorrelation: d.deriveCorrelation,
    documents: d.documents ?? [],
    authenticate: d.authenticate,
  };
  (pack as unknown as { operations: Operation[] }).operations = d.operations.map((o) => {
    const od: OperationDef = isTuple(o) ? { name: o[0], request: o[1], response: o[2] } : o;
    const style = od.style ?? d.style ?? 'outcome';
    return {
      name: od.name,
      iface: d.name,
      ns: od.ns ?? d.ns,
      prefix: od.prefix ?? d.prefix,
      request: od.request,
      response: od.response,
      soapAction: od.soapAction ?? od.name,
      header: od.header,
      headerNs: d.header?.ns ?? od.ns ?? d.ns,
      headerPrefix: d.header?.prefix ?? od.prefix ?? d.prefix,
      style,
      result: od.result,
      outcome: od.outcome === undefined ? style : od.outcome,
      koContent: od.koContent,
      faultInList: od.faultInList,
      schema,
      pack,
    };
  });
  return pack;
}

function isTuple(o: OperationDef | readonly [string, string, string]): o is readonly [string, string, string] {
  return Array.isArray(o);
}

/** The operation whose request (or response) element is `{ns}local`, among `ops` (one endpoint's, or a run's). */
export function operationByElement(ops: readonly Operation[], ns: string | null, local: string): { op: Operation; kind: 'request' | 'response' } | undefined {
  for (const o of ops) {
    if (o.ns !== ns) continue;
    if (o.request === local) return { op: o, kind: 'request' };
    if (o.response === local) return { op: o, kind: 'response' };
  }
  return undefined;
}

/** The interfaces mounted at a request path: the pack whose path is the path's last segments. */
export function packsAt(packs: readonly InterfacePack[], requestPath: string): InterfacePack[] {
  const p = requestPath.split('?', 1)[0]!.replace(/\/+$/, '');
  return packs.filter((k) => p === k.path || p.endsWith(k.path));
}

/** Union of the correlation rules of several interfaces. */
export function mergeRules(packs: readonly InterfacePack[]): CorrelationRule {
  const out: Record<string, string[]> = {};
  for (const k of packs) for (const [key, names] of Object.entries(k.correlation)) out[key] = [...new Set([...(out[key] ?? []), ...names])];
  return out;
}

/** Correlation keys found anywhere in a body (first occurrence of each), by the rule of its interface(s). */
export function correlate(el: El | undefined, rule: CorrelationRule): Correlation {
  const c: Correlation = {};
  if (!el) return c;
  const byName = new Map<string, string[]>();
  for (const [key, names] of Object.entries(rule)) for (const n of names) byName.set(n, [...(byName.get(n) ?? []), key]);
  const walk = (e: El) => {
    const t = e.text.trim();
    if (e.children.length === 0 && t) {
      for (const key of byName.get(e.name) ?? []) if (c[key] === undefined) c[key] = t;
    }
    e.children.forEach(walk);
  };
  walk(el);
  return c;
}

/**
 * Correlation keys of a whole message: the body's first, then what the SOAP header adds (the old
 * model's intestazionePPT carries identificativoDominio, IUV and CCP only there), then what the
 * interface derives.
 */
export function correlateMessage(m: { body: El; header?: readonly El[] }, rule: CorrelationRule, derive?: DeriveCorrelation): Correlation {
  const c = correlate(m.body, rule);
  const add = (more: Correlation) => {
    for (const [k, v] of Object.entries(more)) if (c[k] === undefined && v !== undefined) c[k] = v;
  };
  for (const h of m.header ?? []) add(correlate(h, rule));
  if (derive) add(derive(m));
  return c;
}

/**
 * A schema file of an interface served over HTTP (`?wsdl` and the XSDs it imports), by basename: the
 * WSDL, the interface's XSD and the XSDs that XSD imports. Import locations are flattened to
 * basenames, so that a client resolving them against the URL it fetched comes back here.
 */
export function servedSchema(pack: InterfacePack, basename: string): string | undefined {
  const files = [pack.wsdl, pack.schema].filter((f): f is string => !!f);
  // the schema and every schema it includes or imports, transitively
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f) || !existsSync(f)) return;
    seen.add(f);
    files.push(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/schemaLocation="([^"]+)"/g)) visit(path.resolve(path.dirname(f), m[1]!));
  };
  try {
    visit(pack.schema);
  } catch {
    return undefined;
  }
  if (!seen.has(pack.schema)) return undefined;
  const f = files.find((x) => path.basename(x) === basename);
  if (!f || !existsSync(f)) return undefined;
  return readFileSync(f, 'utf8').replace(/schemaLocation="(?:[^"]*\/)?([^"/]+)"/g, 'schemaLocation="$1"');
}
