// Our FdR 3 documents (openapi/fdr-psp.json, fdr-organization.json, written for collaudo) against
// the official ones of a pagopa/pagopa-api snapshot (openapi/fdr_psp.json, fdr_organization.json):
// the same paths and methods, the same parameters, and — field by field, through every $ref — the
// same required fields, patterns, enumerations and bounds. Ours may be stricter only where it says
// so: anchored patterns (the official `[a-zA-Z0-9\-_]{1,35}` without ^$ matches any string holding
// one such character), required fields, patterns and bounds in answers (what our server always sends), an extra 401
// (the gateway's refusal). Patterns on numbers are not compared: JSON Schema applies `pattern` to
// strings only, so the official ones on sumPayments / pay judge nothing (our server checks the two
// decimals itself, FDR-1001). The error codes of the official table are all ours, by name.
// Without the snapshot the tests skip at run time with the reason.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_API_DIR, officialMissing } from '../src/core/paths.js';
import { OPENAPI_DIR } from '../src/wire/rest/openapi.js';
import { FDR_ERRORS, type FdrErrorCode } from '../domain/fdr/rest-errors.js';

type Json = Record<string, unknown>;
const PAIRS = [
  { ours: 'fdr-psp.json', official: 'fdr_psp.json' },
  { ours: 'fdr-organization.json', official: 'fdr_organization.json' },
] as const;
const officialPath = (f: string) => path.join(OFFICIAL_API_DIR, 'openapi', f);
const available = PAIRS.every((p) => existsSync(officialPath(p.official)));
const SKIP_REASON = officialMissing('the cross-check of our FdR 3 OpenAPI documents');
const read = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

function deref(doc: Json, s: unknown): Json {
  let x = s as Json | undefined;
  for (let i = 0; x && typeof x.$ref === 'string' && i < 20; i++) {
    x = (x.$ref as string).replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Json)[k], doc) as Json;
  }
  return x ?? {};
}

/** `^(x)$`, `^x$` and `x` are one pattern (anchoring is ours, see the head comment). */
const normPattern = (p: string) => p.replace(/^\^/, '').replace(/\$$/, '').replace(/^\((.*)\)$/, '$1');

interface Fact { type?: unknown; required?: string[]; pattern?: string; enum?: unknown[]; minItems?: unknown; maxItems?: unknown; minimum?: unknown; maximum?: unknown; props?: string[] }

/** Every field of a schema by its path (`.a.b[]`), with the facts compared. */
function facts(doc: Json, schema: unknown, at = '', out = new Map<string, Fact>(), depth = 0): Map<string, Fact> {
  const s = deref(doc, schema);
  if (depth > 8) return out;
  const f: Fact = { type: s.type };
  if (Array.isArray(s.required)) f.required = [...(s.required as string[])].sort();
  if (typeof s.pattern === 'string' && s.type === 'string') f.pattern = normPattern(s.pattern);
  if (Array.isArray(s.enum)) f.enum = [...(s.enum as unknown[])].sort();
  for (const k of ['minItems', 'maxItems', 'minimum', 'maximum'] as const) if (s[k] !== undefined) f[k] = s[k];
  if (s.properties) f.props = Object.keys(s.properties as Json).sort();
  out.set(at || '(root)', f);
  for (const [k, v] of Object.entries((s.properties as Json | undefined) ?? {})) facts(doc, v, `${at}.${k}`, out, depth + 1);
  if (s.items) facts(doc, s.items, `${at}[]`, out, depth + 1);
  return out;
}

interface Op { doc: Json; op: Json; params: Json[] }
function operations(doc: Json): Map<string, Op> {
  const m = new Map<string, Op>();
  for (const [p, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (!METHODS.includes(method)) continue;
      const params = [...(((item as Json).parameters as Json[] | undefined) ?? []), ...(((op as Json).parameters as Json[] | undefined) ?? [])].map((x) => deref(doc, x));
      m.set(`${method.toUpperCase()} ${p}`, { doc, op: op as Json, params });
    }
  }
  return m;
}

const bodySchema = (o: Op) => ((o.op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
const answerSchema = (o: Op, status: string) => ((((o.op.responses as Json)[status] as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;

/** Facts of the official schema that ours does not have; `answer`: ours may require more. */
function differences(theirs: Map<string, Fact>, ours: Map<string, Fact>, answer: boolean): string[] {
  const out: string[] = [];
  for (const [at, t] of theirs) {
    const o = ours.get(at);
    if (!o) { out.push(`${at}: missing`); continue; }
    if (t.type !== undefined && o.type !== t.type) out.push(`${at}: type ${String(o.type)} ≠ ${String(t.type)}`);
    // in an answer ours may bind what the official leaves free (what our server sends is stricter)
    const free = (v: unknown) => answer && v === undefined;
    if (t.pattern !== o.pattern && !free(t.pattern)) out.push(`${at}: pattern ${o.pattern} ≠ ${t.pattern}`);
    if (JSON.stringify(t.enum) !== JSON.stringify(o.enum) && !free(t.enum)) out.push(`${at}: enum ${JSON.stringify(o.enum)} ≠ ${JSON.stringify(t.enum)}`);
    for (const k of ['minItems', 'maxItems', 'minimum', 'maximum'] as const) if (t[k] !== o[k] && !free(t[k])) out.push(`${at}: ${k} ${String(o[k])} ≠ ${String(t[k])}`);
    const req = new Set(o.required ?? []);
    if (answer) for (const r of t.required ?? []) { if (!req.has(r)) out.push(`${at}: ${r} not required`); }
    else if (JSON.stringify(t.required ?? []) !== JSON.stringify(o.required ?? [])) out.push(`${at}: required ${JSON.stringify(o.required)} ≠ ${JSON.stringify(t.required)}`);
  }
  return out;
}

describe('our FdR 3 OpenAPI documents against the official ones', () => {
  for (const pair of PAIRS) {
    it(`${pair.ours}: the official ${pair.official}'s paths, methods, parameters, bodies and answers`, (ctx) => {
      if (!available) {
        console.warn(SKIP_REASON);
        ctx.skip(SKIP_REASON);
        return;
      }
      const theirs = operations(read(officialPath(pair.official)));
      const ours = operations(read(path.join(OPENAPI_DIR, pair.ours)));
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      const problems: string[] = [];
      for (const [key, t] of theirs) {
        const o = ours.get(key)!;
        const p = (x: Op) => x.params.map((q) => `${String(q.in)}:${String(q.name)}:${q.required === true}`).sort();
        if (JSON.stringify(p(o)) !== JSON.stringify(p(t))) problems.push(`${key}: parameters ${p(o).join(',')} ≠ ${p(t).join(',')}`);
        for (const tp of t.params) {
          const op = o.params.find((q) => q.name === tp.name && q.in === tp.in);
          if (op) problems.push(...differences(facts(t.doc, tp.schema), facts(o.doc, op.schema), false).map((d) => `${key} parameter ${String(tp.name)}${d}`));
        }
        const tb = bodySchema(t);
        if (tb) problems.push(...differences(facts(t.doc, tb.schema), facts(o.doc, bodySchema(o)?.schema), false).map((d) => `${key} body${d}`));
        for (const status of Object.keys(t.op.responses as Json)) {
          if (!(status in (o.op.responses as Json))) { problems.push(`${key}: no answer ${status}`); continue; }
          const ts = answerSchema(t, status);
          if (ts) problems.push(...differences(facts(t.doc, ts), facts(o.doc, answerSchema(o, status)), true).map((d) => `${key} ${status}${d}`));
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('the official table of operational error codes is ours, code by code and name by name', (ctx) => {
    if (!available) {
      console.warn(SKIP_REASON);
      ctx.skip(SKIP_REASON);
      return;
    }
    const description = String((read(officialPath('fdr_psp.json')).info as Json).description);
    const rows = [...description.matchAll(/\*\*(FDR-\d{4})\*\* \| \*([A-Z_<>br]+)\*/g)].map((m) => [m[1]!, m[2]!.replace(/<br>/g, '')] as const);
    expect(rows.length).toBeGreaterThanOrEqual(29);
    for (const [code, name] of rows) expect([code, FDR_ERRORS[code as FdrErrorCode]?.name]).toEqual([code, name]);
    expect(Object.keys(FDR_ERRORS).sort()).toEqual(rows.map(([c]) => c).sort());
  });
});
