// XSD validation of every message at the boundary, with the schemas we wrote in xsd/.
// Schemas are compiled once per process; the file provider is registered only for schema loading
// (parsing of messages never uses NOENT/DTDLOAD, so messages cannot reach the file system).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { XmlDocument, XsdValidator, XmlElement, XmlValidateError } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import type { InterfaceName } from '../../interfaces/index.js';

export const XSD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../xsd');

export interface XsdVerdict {
  valid: boolean;
  errors: string[];
}

let registered = false;
const validators = new Map<string, XsdValidator>();

export function validatorFor(iface: InterfaceName, dir = XSD_DIR): XsdValidator {
  const file = path.join(dir, `${iface}.xsd`);
  let v = validators.get(file);
  if (!v) {
    if (!registered) {
      xmlRegisterFsInputProviders();
      registered = true;
    }
    const doc = XmlDocument.fromBuffer(readFileSync(file), { url: file });
    v = XsdValidator.fromDoc(doc);
    doc.dispose();
    validators.set(file, v);
  }
  return v;
}

/** Validates one element (the SOAP body's wrapper) against the schema of its interface. */
export function validateElement(elem: XmlElement, iface: InterfaceName, dir?: string): XsdVerdict {
  try {
    validatorFor(iface, dir).validate(elem);
    return { valid: true, errors: [] };
  } catch (e) {
    if (e instanceof XmlValidateError) {
      return { valid: false, errors: e.details.map((d) => `line ${d.line}: ${d.message.trim()}`) };
    }
    return { valid: false, errors: [String(e)] };
  }
}
