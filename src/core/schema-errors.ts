// One wording for JSON Schema (ajv) errors, used by every document a user or a candidate hands us
// (profiles, trigger requests and reports): the field as a dotted path, then the rule.
import type { ErrorObject } from 'ajv';

/** `ec.idPA: must match ^[0-9]{11}$`; `root` prefixes the path (e.g. `request`). */
export function describeAjvError(e: ErrorObject, root = ''): string {
  const path = [root, e.instancePath.slice(1).replace(/\//g, '.')].filter(Boolean).join('.');
  const where = path || '(top level)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${path ? `${path}.` : ''}${String(p.missingProperty)}: is required`;
    case 'additionalProperties':
      return `${where}: unknown field "${String(p.additionalProperty)}"`;
    case 'pattern':
      return `${where}: must match ${String(p.pattern)}`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}
