// The SOAP transport faults (src/core/faults.ts) read for JSON: 'non-xml' is a body that is not
// JSON (an HTML error page), 'schema-invalid' a well-formed JSON that breaks the schema (the object
// wrapped in an array), 'truncated' the JSON cut in half; http500 answers a problem+json when the
// rule asks for a fault body (`soapFault`), plain text otherwise. wrong-soapaction has no REST reading.
import type { TransportFault } from '../../core/faults.js';

export const NOT_JSON = '<html><body>Service temporarily unavailable</body></html';

/** What a distorted JSON request carries instead of `raw`. */
export function distortJsonRequest(f: TransportFault | undefined, raw: string): string {
  switch (f?.kind) {
    case 'non-xml':
      return 'this is not JSON';
    case 'truncated':
      return raw.slice(0, Math.floor(raw.length / 2));
    case 'schema-invalid':
      return raw ? `[${raw}]` : '[]';
    default:
      return raw;
  }
}

export interface JsonAnswer {
  status: number;
  body: string;
  type: string;
  headers?: Record<string, string>;
}

/** The answer a server gives instead of `out` under an inbound fault ('no-answer' / 'reset': none). */
export function applyJsonFault(f: TransportFault | undefined, out: JsonAnswer): JsonAnswer | 'no-answer' | 'reset' {
  switch (f?.kind) {
    case undefined:
      return out;
    case 'no-answer':
    case 'refused':
      return 'no-answer';
    case 'reset':
      return 'reset';
    case 'http500':
      return f.soapFault
        ? { status: 500, type: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'injected server error' }) }
        : { status: 500, type: 'text/plain', body: 'Internal Server Error' };
    case 'non-xml':
      return { status: 200, type: 'text/html', body: NOT_JSON };
    case 'truncated':
      return { ...out, status: 200, body: out.body.slice(0, Math.floor(out.body.length / 2)) };
    case 'schema-invalid':
      return { ...out, status: 200, body: `[${out.body || '{}'}]` };
    default:
      return out;
  }
}
