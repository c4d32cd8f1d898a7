// The candidate profile: one YAML/JSON file validated by a JSON Schema, with messages that name
// the field and the rule. `${VAR}` in any string is taken from the environment, so secrets
// (subscription keys, passwords) need not be written in the file.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Ajv, type ErrorObject } from 'ajv';
import type { NoticeState } from '../domain.js';

export interface NoticeRef {
  noticeNumber: string;
  fiscalCode?: string;
  amount?: string;
}

export interface Profile {
  seat: 'ec';
  name: string;
  models?: ('new' | 'old')[];
  features?: Partial<Record<Feature, boolean>>;
  ec: {
    idPA: string;
    idBrokerPA: string;
    idStation: string;
    companyName?: string;
    auxDigit: 0 | 1 | 2 | 3;
    segregationCode?: string;
    applicationCode?: string;
    stationVersion?: 1 | 2;
    ibans?: string[];
    secondaryEcs?: string[];
  };
  endpoint: {
    url: string;
    headers?: Record<string, string>;
    tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  };
  timeouts?: Partial<Record<'paVerifyPaymentNotice' | 'paGetPayment' | 'paSendRT' | 'paDemandPaymentNotice', number>>;
  notices?: Partial<Record<NoticeState, (string | NoticeRef)[]>>;
  provisioning?: { url: string; headers?: Record<string, string> };
  spontaneous?: { services: { idServizio: string; idSoggettoServizio: string; datiSpecificiServizio: string }[] };
  declarations?: Record<string, boolean>;
}

export type Feature =
  | 'v2' | 'multiBeneficiary' | 'stamps' | 'paymentOptions' | 'spontaneous' | 'standIn'
  | 'frontEnd' | 'intermediary' | 'async' | 'send' | 'sync-pa';

export const EMBEDDED_EC = 'embedded:reference-ec';

export class ProfileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`profile ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const schemaFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'profile.schema.json');
let validate: ReturnType<Ajv['compile']> | undefined;

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  switch (e.keyword) {
    case 'required': {
      const field = `${where === '(top level)' ? '' : where + '.'}${(e.params as { missingProperty: string }).missingProperty}`;
      // the only conditional requirement of the schema (if/then on ec.auxDigit)
      return field === 'ec.segregationCode' ? `${field}: is required when ec.auxDigit is 3` : `${field}: is required`;
    }
    case 'additionalProperties':
      return `${where}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'pattern':
      return `${where}: must match ${(e.params as { pattern: string }).pattern}`;
    case 'enum':
      return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

function interpolate(v: unknown, problems: string[], at: string): unknown {
  if (typeof v === 'string') {
    return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const val = process.env[name];
      if (val === undefined) problems.push(`${at}: environment variable ${name} is not set`);
      return val ?? '';
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => interpolate(x, problems, `${at}[${i}]`));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, problems, at ? `${at}.${k}` : k)]));
  }
  return v;
}

export interface LoadedProfile {
  profile: Profile;
  file: string;
  sha256: string;
}

export function parseProfile(text: string, file: string): LoadedProfile {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ProfileError(file, [`cannot be parsed: ${(e as Error).message.split('\n')[0]}`]);
  }
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  }
  // environment values are substituted first, so they are validated like written values
  const problems: string[] = [];
  const interpolated = interpolate(data, problems, '');
  if (problems.length) throw new ProfileError(file, problems);
  if (!validate(interpolated)) {
    const found = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf').map(describe))];
    throw new ProfileError(file, found.length ? found : ['does not match the profile schema']);
  }
  const profile = interpolated as Profile;
  const tls = profile.endpoint.tls;
  for (const k of ['ca', 'cert', 'key'] as const) {
    const f = tls?.[k];
    if (f && !existsSync(path.resolve(path.dirname(file), f))) problems.push(`endpoint.tls.${k}: file ${f} not found`);
  }
  if (profile.ec.auxDigit === 0 && !profile.ec.applicationCode) problems.push('ec.applicationCode: is required when ec.auxDigit is 0');
  if (problems.length) throw new ProfileError(file, problems);
  return { profile, file, sha256: createHash('sha256').update(text).digest('hex') };
}

export function loadProfile(file: string): LoadedProfile {
  if (!existsSync(file)) throw new ProfileError(file, ['file not found']);
  return parseProfile(readFileSync(file, 'utf8'), file);
}

/** Reads a TLS file named in the profile, relative to the profile's folder. */
export function readProfileFile(p: LoadedProfile, f: string | undefined): Buffer | undefined {
  return f ? readFileSync(path.resolve(path.dirname(p.file), f)) : undefined;
}

export function featureOn(p: Profile, f: Feature): boolean {
  return p.features?.[f] === true;
}
