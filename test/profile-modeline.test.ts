// Editor support for the profile (issue 13, item 6): every example profile names the profile's JSON
// Schema in a yaml-language-server modeline, so an editor with the YAML language server completes and
// checks its fields. The modeline's path must lead to the schema the loader validates with, and the
// profile must be valid for that schema as an editor reads it (ajv, the schema alone, no loader rules).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

const DIR = path.join(ROOT, 'fixtures/profiles');
const SCHEMA = path.join(ROOT, 'src/profile/profile.schema.json');
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\s*$/;

const ajv = new Ajv({ allErrors: true, strict: false });
const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void);
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('example profiles carry the schema modeline', () => {
  it('there are example profiles', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const f of files) {
    it(`${f}: first line names the profile schema, and the profile is valid for it`, () => {
      const text = readFileSync(path.join(DIR, f), 'utf8');
      const m = MODELINE.exec(text.split('\n')[0] ?? '');
      expect(m, `${f} does not start with the yaml-language-server modeline`).not.toBeNull();
      expect(path.resolve(DIR, m![1]!)).toBe(SCHEMA);
      const ok = validate(parse(text));
      expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    });
  }
  it('the check is not blind: a profile with an unknown field is invalid for the schema', () => {
    const text = readFileSync(path.join(DIR, files[0]!), 'utf8');
    expect(validate({ ...(parse(text) as object), notAField: 1 })).toBe(false);
  });
});
