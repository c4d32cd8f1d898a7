// The REST APIs the harness serves or calls, read from collaudo's own OpenAPI 3.0 documents
// (openapi/<name>.json): operations by method + path template, and ajv validation of requests
// (path and query parameters, JSON body) and of responses (the schema of the answered status).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PACKAGE_ROOT } from '../../core/paths.js';
import type { CorrelationRule } from '../contract.js';

export const OPENAPI_DIR = path.join(PACKAGE_ROOT, 'openapi');
/** The documents in openapi/ (by file name). */
export type ApiDoc = 'checkout-carts' | 'gpd' | 'payment-options' | 'govpay-portal' | 'fdr-psp' | 'fdr-organization';

export interface SchemaVerdict {
  valid: boolean;
  errors: string[];
}

interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: unknown }
export interface ApiOperation {
  id: string;
  method: string;
  /** path template as written in the document, e.g. /organizations/{organizationfiscalcode}/debtpositions */
  template: string;
  parameters: readonly Parameter[];
  /** the JSON schema of the request body, and whether a body is required */
  body?: { required: boolean; schema: unknown };
  /** status → JSON schema of the answer (undefined: the status is declared without a body schema) */
  responses: Readonly<Record<string, unknown>>;
  api: RestApi;
}

export interface RestApi {
  name: ApiDoc;
  operations: readonly ApiOperation[];
  /** correlation keys → JSON field (or path parameter) names carrying them, first occurrence wins */
  correlation: CorrelationRule;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
let ajv: Ajv | undefined;
const loaded = new Set<string>();
const compiled = new Map<string, ValidateFunction>();

/** OpenAPI 3.0 `nullable: true` → JSON Schema type union (the only 3.0-ism our documents use). */
function toJsonSchema(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toJsonSchema);
  if (!v || typeof v !== 'object') return v;
  const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonSchema(x)])) as Record<string, unknown>;
  if (o.nullable === true && typeof o.type === 'string') {
    o.type = [o.type, 'null'];
    delete o.nullable;
  }
  return o;
}

interface Doc { paths?: Record<string, Record<string, RawOperation>>; components?: unknown }
interface RawOperation { operationId?: string; parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }

function readDoc(name: ApiDoc): Doc {
  return JSON.parse(readFileSync(path.join(OPENAPI_DIR, `${name}.json`), 'utf8')) as Doc;
}

function engine(): Ajv {
  ajv ??= addFormats(new Ajv({ allErrors: true, strict: false }));
  return ajv;
}

/** Registers a document's components once, so that `$ref: #/components/...` resolves inside it. */
function register(name: ApiDoc, doc?: Doc): void {
  if (loaded.has(name)) return;
  engine().addSchema({ $id: `collaudo:${name}`, components: toJsonSchema((doc ?? readDoc(name)).components ?? {}) });
  loaded.add(name);
}

/** A schema of a document as ajv sees it: local refs point into the registered document. */
function rebase(name: ApiDoc, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebase(name, s));
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(toJsonSchema(schema) as object).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `collaudo:${name}${v}` : rebase(name, v)]));
}

const jsonSchemaOf = (content: Record<string, { schema?: unknown }> | undefined): unknown =>
  content ? (content['application/json'] ?? content['application/problem+json'])?.schema : undefined;

/** An API: its document in openapi/ and the rule that finds correlation keys in its messages. */
export function defineApi(name: ApiDoc, correlation: CorrelationRule): RestApi {
  const doc = readDoc(name);
  register(name, doc);
  const ops: ApiOperation[] = [];
  const api: RestApi = { name, operations: ops, correlation };
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, o] of Object.entries(item)) {
      if (!o.operationId) continue;
      const body = jsonSchemaOf(o.requestBody?.content);
      ops.push({
        id: o.operationId,
        method: method.toUpperCase(),
        template,
        parameters: o.parameters ?? [],
        body: body ? { required: o.requestBody?.required ?? false, schema: rebase(name, body) } : undefined,
        responses: Object.fromEntries(Object.entries(o.responses ?? {}).map(([s, r]) => [s, rebase(name, jsonSchemaOf(r.content))])),
        api,
      });
    }
  }
  return api;
}

export function operationById(api: RestApi, id: string): ApiOperation | undefined {
  return api.operations.find((o) => o.id === id);
}

/** The path parameters of `template` in `path` (decoded), or undefined when the path is not of that template. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.replace(/\/+$/, '').split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, seg] of t.entries()) {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) {
      if (seg !== p[i]) return undefined;
      continue;
    }
    if (!p[i]) return undefined;
    try {
      params[m[1]!] = decodeURIComponent(p[i]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

export type Route = { op: ApiOperation; params: Record<string, string> } | { allowed: string[] } | undefined;

/** The operation serving `method path` (a path of the template but another method: the methods allowed). */
export function route(api: RestApi, method: string, path: string): Route {
  const allowed: string[] = [];
  for (const op of api.operations) {
    const params = matchTemplate(op.template, path);
    if (!params) continue;
    if (op.method === method.toUpperCase()) return { op, params };
    allowed.push(op.method);
  }
  return allowed.length ? { allowed } : undefined;
}

function validatorOf(key: string, schema: unknown): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = engine().compile(schema as object);
    compiled.set(key, v);
  }
  return v;
}

/** One ajv error as "<field> <rule>: <message>", naming the field even when it is the missing one. */
function describe(where: string, e: ErrorObject): string {
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  const extra = p.missingProperty ?? p.additionalProperty;
  const field = `${where}${e.instancePath}${extra ? `/${extra}` : ''}`;
  return `${field} ${e.keyword}: ${e.message ?? 'invalid'}`;
}

function run(key: string, schema: unknown, value: unknown, where: string): string[] {
  const v = validatorOf(key, schema);
  return v(value) ? [] : (v.errors ?? []).map((e) => describe(where, e));
}

/** A query or path value as its schema's type wants it (query strings carry text only). */
function coerce(value: string, schema: unknown): unknown {
  const type = (schema as { type?: unknown } | undefined)?.type;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

export interface RequestParts {
  params: Record<string, string>;
  query: URLSearchParams;
  headers?: Record<string, string | string[] | undefined>;
  /** parsed JSON body; undefined when empty or not JSON */
  json?: unknown;
  raw: string;
  jsonError?: string;
}

/** A request against its operation: declared parameters, then the JSON body. */
export function validateRequest(op: ApiOperation, r: RequestParts): SchemaVerdict {
  const errors: string[] = [];
  for (const [i, p] of op.parameters.entries()) {
    const value = p.in === 'path' ? r.params[p.name] : p.in === 'query' ? (r.query.get(p.name) ?? undefined) : (r.headers?.[p.name.toLowerCase()] as string | undefined);
    if (value === undefined) {
      if (p.required || p.in === 'path') errors.push(`${p.in} parameter ${p.name} required: missing`);
      continue;
    }
    if (p.schema) errors.push(...run(`${op.api.name}#${op.id}#param${i}`, rebase(op.api.name, p.schema), coerce(value, p.schema), `${p.in} parameter ${p.name}`));
  }
  if (op.body) {
    if (!r.raw.trim()) {
      if (op.body.required) errors.push('body required: a JSON body is required');
    } else if (r.json === undefined) errors.push(`body type: the body is not JSON${r.jsonError ? ` (${r.jsonError})` : ''}`);
    else errors.push(...run(`${op.api.name}#${op.id}#request`, op.body.schema, r.json, 'body'));
  }
  return { valid: errors.length === 0, errors };
}

/**
 * An answer against the schema of its status (or `default`). Undefined when the document gives
 * that status no JSON schema: there is nothing to judge the body by.
 */
export function validateResponse(op: ApiOperation, status: number, raw: string, json: unknown): SchemaVerdict | undefined {
  const key = String(status) in op.responses ? String(status) : 'default' in op.responses ? 'default' : undefined;
  const schema = key ? op.responses[key] : undefined;
  if (!schema) return undefined;
  if (json === undefined) return { valid: false, errors: [raw.trim() ? 'body type: the answer is not JSON' : `body required: HTTP ${status} of ${op.id} carries a JSON body`] };
  const errors = run(`${op.api.name}#${op.id}#${key}`, schema, json, 'body');
  return { valid: errors.length === 0, errors };
}

/** Validates a JSON value against `components.schemas.<schema>` of one of our documents. */
export function validateBody(doc: ApiDoc, schema: string, value: unknown): SchemaVerdict {
  register(doc);
  const key = `${doc}#${schema}`;
  let v = compiled.get(key);
  if (!v) {
    v = engine().getSchema(`collaudo:${doc}#/components/schemas/${schema}`);
    if (!v) throw new Error(`openapi/${doc}.json has no schema ${schema}`);
    compiled.set(key, v);
  }
  const valid = v(value) as boolean;
  return { valid, errors: valid ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}`) };
}

/** Correlation keys of a JSON message by an API's rule: path parameters first, then the body's fields. */
export function correlateJson(rule: CorrelationRule, body: unknown, params: Record<string, string> = {}): Record<string, string> {
  const c: Record<string, string> = {};
  const byName = new Map<string, string[]>();
  for (const [key, names] of Object.entries(rule)) for (const n of names) byName.set(n, [...(byName.get(n) ?? []), key]);
  const take = (name: string, v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    for (const key of byName.get(name) ?? []) if (c[key] === undefined && String(v) !== '') c[key] = String(v);
  };
  for (const [k, v] of Object.entries(params)) take(k, v);
  const walk = (x: unknown, name?: string) => {
    if (Array.isArray(x)) return x.forEach((y) => walk(y, name));
    if (x && typeof x === 'object') return Object.entries(x).forEach(([k, y]) => walk(y, k));
    if (name !== undefined) take(name, x);
  };
  walk(body);
  return c;
}
