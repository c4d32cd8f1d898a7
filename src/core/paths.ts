// Where things live, in one place: the package root (schemas, suites, the vitest config) and the
// official pagoPA reference (pagopa/pagopa-api), which tests read only as an independent cross-check.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A checkout of pagopa/pagopa-api: $COLLAUDO_PAGOPA_API, else ../shared/reference/pagopa-api beside the package. */
export const OFFICIAL_API_DIR = process.env['COLLAUDO_PAGOPA_API'] ?? path.resolve(PACKAGE_ROOT, '../shared/reference/pagopa-api');
/** The official new-model XSDs (wsdl/xsd of the snapshot). */
export const OFFICIAL_XSD_DIR = path.join(OFFICIAL_API_DIR, 'wsdl', 'xsd');

/** The message tests print when the official reference is absent. */
export function officialMissing(what: string): string {
  return `official pagoPA reference not found in ${OFFICIAL_API_DIR} (set COLLAUDO_PAGOPA_API to a pagopa/pagopa-api checkout): ${what} skipped`;
}
