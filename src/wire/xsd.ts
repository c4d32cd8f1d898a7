// XSD validation of every message at the boundary, with the schemas of each interface (interfaces/).
// Schemas are compiled once per process and file; the file provider is registered only for schema
// loading (parsing of messages never uses NOENT/DTDLOAD, so messages cannot reach the file system).
import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator, XmlElement, XmlValidateError } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

export interface XsdVerdict {
  valid: boolean;
  errors: string[];
}

let registered = false;
const validators = new Map<string, XsdValidator>();

/** The compiled schema of a file (cached). */
export function validatorFor(schemaFile: string): XsdValidator {
  let v = validators.get(schemaFile);
  if (!v) {
    if (!registered) {
      xmlRegisterFsInputProviders();
      registered = true;
    }
    const doc = XmlDocument.fromBuffer(readFileSync(schemaFile), { url: schemaFile });
    v = XsdValidator.fromDoc(doc);
    doc.dispose();
    validators.set(schemaFile, v);
  }
  return v;
}

/** Validates one element (a body's wrapper, a header, a document's root) against a schema file. */
export function validateElement(elem: XmlElement, schemaFile: string): XsdVerdict {
  try {
    validatorFor(schemaFile).validate(elem);
    return { valid: true, errors: [] };
  } catch (e) {
    if (e instanceof XmlValidateError) {
      return { valid: false, errors: e.details.map((d) => `line ${d.line}: ${d.message.trim()}`) };
    }
    return { valid: false, errors: [String(e)] };
  }
}
