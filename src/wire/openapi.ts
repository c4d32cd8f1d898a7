// JSON bodies of the REST surfaces (Checkout carts, GPD/ACA, payment options, the intermediary
// portal) validated with ajv against collaudo's own OpenAPI 3 documents in openapi/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const OPENAPI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../openapi');
export type ApiDoc = 'checkout-carts' | 'gpd' | 'payment-options' | 'govpay-portal';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
let ajv: Ajv | undefined;
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

function engine(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const doc of ['checkout-carts', 'gpd', 'payment-options', 'govpay-portal'] as ApiDoc[]) {
    const d = JSON.parse(readFileSync(path.join(OPENAPI_DIR, `${doc}.json`), 'utf8')) as { components: unknown };
    ajv.addSchema({ $id: `collaudo:${doc}`, components: toJsonSchema(d.components) });
  }
  return ajv;
}

export interface SchemaVerdict {
  valid: boolean;
  errors: string[];
}

/** Validates a JSON value against `components.schemas.<schema>` of one of our documents. */
export function validateBody(doc: ApiDoc, schema: string, value: unknown): SchemaVerdict {
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
