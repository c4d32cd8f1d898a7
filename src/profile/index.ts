// The candidate profile: one YAML/JSON file validated by a JSON Schema, with messages that name
// the field and the rule. `${VAR}` in any string is taken from the environment, so secrets
// (subscription keys, passwords) need not be written in the file; a number field given as one
// `${VAR}` (`port: ${NODO_PORT}`) reads the variable as a number.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Ajv, type ErrorObject } from 'ajv';
import { describeAjvError } from '../core/schema-errors.js';
import type { NoticeState } from '../../domain/common.js';

export interface NoticeRef {
  noticeNumber: string;
  fiscalCode?: string;
  amount?: string;
}

/** A payable notice whose amount changed since it was printed (NM-PSPPAY-PAY-07). */
export interface UpdatedAmountRef {
  noticeNumber: string;
  fiscalCode?: string;
  /** the current amount, as the EC answers it today */
  amount: string;
  /** the amount printed on the notice */
  printedAmount: string;
}

export interface Profile {
  /** ec: an EC station; psp: a PSP system (then `ec` describes the EC the harness emulates, defaults included) */
  seat: 'ec' | 'psp';
  name: string;
  /** the candidate as a container image, started and stopped by the run (cli/container.ts) */
  candidate?: { image: string; port: number; env?: Record<string, string>; startupTimeoutMs?: number };
  /** the payment models the candidate is certified for (default [new]) */
  models?: ('new' | 'old')[];
  features?: Partial<Record<Feature, boolean>>;
  /**
   * model old (SANP 2.2.6). Seat ec: where the Nodo calls the station, its password, the portal's
   * return URL (required for seat ec, profile checks); seat psp: `psp`, the old-model channel. Both: features.
   */
  old?: {
    endpoints?: { paPerNodo: string; paPerNodoPagamentoPsp?: string; paPerNodoRichiestaAvvisi?: string };
    password?: string;
    returnUrl?: string;
    /** seat psp: the candidate's old-model channel (identities default to `psp`) */
    psp?: {
      pspPerNodo: string;
      paymentPage?: string;
      idChannel?: string;
      password?: string;
      rtMode?: 'push' | 'pull';
      /** its channel of payment model 2 (authorisation managed by the PSP, features pspAuthorisation): same PSP, broker, password and PspPerNodo, no redirect page */
      authChannel?: { idChannel: string; manlevaIban?: string };
    };
    features?: Partial<Record<OldFeature, boolean>>;
    /** features spontaneous: the services the EC publishes in the catalogue and the data the harness's PSP sends for each */
    spontaneous?: { services: { idServizio: string; descrizione?: string; datiSpecificiServizio: string }[] };
  };
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
  timeouts?: Partial<Record<'paVerifyPaymentNotice' | 'paGetPayment' | 'paSendRT' | 'paDemandPaymentNotice' | 'pspNotifyPayment' | 'callerWait' | 'retrySlot', number>>;
  notices?: Partial<Record<NoticeState, (string | NoticeRef)[]>> & { updatedAmount?: UpdatedAmountRef[] };
  /** `updatedAmount`: the contract's update of amountCents is offered, so the harness creates notices whose amount changed */
  provisioning?: { url: string; headers?: Record<string, string>; updatedAmount?: boolean };
  spontaneous?: { services: { idServizio: string; idSoggettoServizio: string; datiSpecificiServizio: string }[] };
  declarations?: Record<string, boolean>;
  /** seat psp: the candidate's identities on nodeForPsp */
  psp?: { idPSP: string; idBrokerPSP: string; idChannel: string; password: string; companyName?: string; fiscalCode?: string };
  /** where the harness's services listen: seat psp its Nodo (listen), seat ec its emulated Checkout/GPD/ACA (platform) */
  harness?: {
    listen?: { host?: string; port: number; tls?: { cert: string; key: string; ca?: string; requestCert?: boolean }; reportPort?: number };
    platform?: { host?: string; port?: number };
  };
  /**
   * Reconciliation (FdR, issue 12), one block for both seats (see fdrSettings): transports (seat psp:
   * the channels the PSP reports by; seat ec: how the EC reads), dayMs / originDay (a compressed
   * calendar at real pace), readBack (seat ec: the EC's reconciliation read-back), listen (where the
   * harness's FdR 3 REST server listens).
   */
  fdr?: { transports?: FdrTransport[]; dayMs?: number; originDay?: string; readBack?: string; listen?: { host?: string; port?: number } };
  /** how scenarios ask the candidate to act (src/triggers): seat psp always, seat ec for EC-initiated flows */
  trigger?: {
    http?: { url: string; headers?: Record<string, string>; tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean } };
    command?: string;
    prompt?: boolean;
    deadlineMs?: number;
    /** deprecated and ignored: how long a scenario listens follows from the spec's schedule (timeouts) */
    quietMs?: number;
  };
}

/** The payment models a profile lists (`models`, default [new]). */
export function modelsOf(p: Pick<Profile, 'models'>): string[] {
  return p.models?.length ? [...new Set(p.models)] : ['new'];
}

/** A reconciliation channel: soap (the Nodo's FdR primitives), rest (FdR 3). */
export type FdrTransport = 'soap' | 'rest';

/** The profile's `fdr` block with its defaults, read the same way by both seats. */
export interface FdrSettings {
  /** seat psp: the channels the PSP reports by; seat ec: those the EC reads by (default both) */
  transports: FdrTransport[];
  /** a compressed day for runs at real pace; undefined: the calendar's own days */
  dayMs?: number;
  /** with dayMs: the calendar day the run starts on (default today) */
  originDay?: string;
  /** seat ec: the EC's reconciliation read-back URL (or embedded:reference-ec) */
  readBack?: string;
  /** where the harness's FdR 3 REST server listens: the host of the harness's Nodo by default, any free port (0) by default */
  listen: { host: string; port: number };
}

export function fdrSettings(p: Pick<Profile, 'fdr' | 'harness'>): FdrSettings {
  const f = p.fdr;
  return {
    transports: f?.transports?.length ? [...f.transports] : ['soap', 'rest'],
    dayMs: f?.dayMs,
    originDay: f?.originDay,
    readBack: f?.readBack,
    listen: { host: f?.listen?.host ?? p.harness?.listen?.host ?? '127.0.0.1', port: f?.listen?.port ?? 0 },
  };
}

/**
 * Reconciliation fields that moved into the one `fdr` block (never in a released version): a profile
 * still using one is told where it went, instead of the schema's bare "unknown field".
 */
const MOVED_FDR_FIELDS: { at: string[]; field: string; to: string }[] = [
  { at: ['reconciliation', 'soap'], field: 'reconciliation.soap', to: 'fdr.transports (list soap; leave it out for an EC reading by SFTP)' },
  { at: ['reconciliation', 'rest'], field: 'reconciliation.rest', to: 'fdr.transports (list rest)' },
  { at: ['reconciliation', 'readBack'], field: 'reconciliation.readBack', to: 'fdr.readBack' },
  { at: ['reconciliation', 'dayMs'], field: 'reconciliation.dayMs', to: 'fdr.dayMs' },
  { at: ['reconciliation'], field: 'reconciliation', to: 'fdr (transports, dayMs, originDay, readBack, listen)' },
  { at: ['harness', 'listen', 'fdrPort'], field: 'harness.listen.fdrPort', to: 'fdr.listen.port' },
  { at: ['harness', 'fdr', 'host'], field: 'harness.fdr.host', to: 'fdr.listen.host' },
  { at: ['harness', 'fdr', 'port'], field: 'harness.fdr.port', to: 'fdr.listen.port' },
  { at: ['harness', 'fdr'], field: 'harness.fdr', to: 'fdr.listen' },
];

/** `<field>: moved to <new place>` for each old reconciliation field the document still has (the most precise name of each). */
function movedFdrFields(data: unknown): string[] {
  const has = (keys: string[]) => {
    let o: unknown = data;
    for (const k of keys) {
      if (!o || typeof o !== 'object' || !(k in o)) return false;
      o = (o as Record<string, unknown>)[k];
    }
    return true;
  };
  const found = MOVED_FDR_FIELDS.filter((m) => has(m.at));
  // a block is named only when none of its fields was (an empty `reconciliation:` still is)
  return found
    .filter((m) => !found.some((o) => o !== m && o.at.length > m.at.length && m.at.every((k, i) => o.at[i] === k)))
    .map((m) => `${m.field}: moved to ${m.to} (one reconciliation block for both seats)`);
}

/** The EC the harness emulates in the PSP seat when the profile does not describe one. */
export const DEFAULT_EMULATED_EC: Profile['ec'] = {
  idPA: '77777777777',
  idBrokerPA: '15376371009',
  idStation: '15376371009_01',
  companyName: 'Comune di Collaudo',
  auxDigit: 3,
  segregationCode: '01',
  stationVersion: 1,
  ibans: ['IT60X0542811101000000123456', 'IT75A0306909606100000063011'],
};

export type Feature =
  | 'v2' | 'multiBeneficiary' | 'stamps' | 'paymentOptions' | 'spontaneous' | 'standIn'
  | 'frontEnd' | 'intermediary' | 'async' | 'send' | 'sync-pa' | 'touchpoint' | 'poste';

/** The old model's conditions (index-old-model.json `_conditions`), declared under `old.features`. */
export type OldFeature =
  | 'ecStarted' | 'pspStarted' | 'chargeBack' | 'storno' | 'multiBeneficiary' | 'stamps' | 'card' | 'mybank'
  | 'pspAuthorisation' | 'avvisatura' | 'soapFdr' | 'spontaneous' | 'trafficTotals';

export const EMBEDDED_EC = 'embedded:reference-ec';
export const EMBEDDED_PSP = 'embedded:reference-psp';

export class ProfileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`profile ${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const schemaFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'profile.schema.json');
let validate: ReturnType<Ajv['compile']> | undefined;

function describe(e: ErrorObject): string {
  const m = describeAjvError(e);
  // the only conditional requirement of the schema (if/then on ec.auxDigit)
  return m === 'ec.segregationCode: is required' ? `${m} when ec.auxDigit is 3` : m;
}

/**
 * What `${VAR}` took from the environment: every value, a secret for the reports, by the JSON
 * pointer of the field that holds it; and the fields that were one `${VAR}` alone, which a number
 * field reads as a number (`port: ${NODO_PORT}`).
 */
interface Substitutions {
  values: Map<string, string[]>;
  whole: Set<string>;
}

/** `${VAR}` → the environment's value. */
function interpolate(v: unknown, problems: string[], at: string, subs: Substitutions, ptr = ''): unknown {
  if (typeof v === 'string') {
    const taken: string[] = [];
    const out = v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const val = process.env[name];
      if (val === undefined) problems.push(`${at}: environment variable ${name} is not set`);
      else taken.push(val);
      return val ?? '';
    });
    if (taken.length) subs.values.set(ptr, taken);
    if (taken.length && /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v)) subs.whole.add(ptr);
    return out;
  }
  const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  if (Array.isArray(v)) return v.map((x, i) => interpolate(x, problems, `${at}[${i}]`, subs, `${ptr}/${i}`));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, problems, at ? `${at}.${k}` : k, subs, `${ptr}/${esc(k)}`)]));
  }
  return v;
}

/**
 * A field the schema wants a number in, given as one `${VAR}` whose value is a number, becomes that
 * number (in place); true when one did. A port or a timeout is configuration, not a secret.
 */
function numbersFromEnv(data: unknown, errors: readonly ErrorObject[], subs: Substitutions): boolean {
  let changed = false;
  for (const e of errors) {
    if (e.keyword !== 'type' || !['integer', 'number'].includes(String((e.params as { type?: string }).type)) || !subs.whole.has(e.instancePath)) continue;
    const keys = e.instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    const parent = keys.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], data) as Record<string, unknown> | undefined;
    const raw = last !== undefined ? parent?.[last] : undefined;
    if (typeof raw !== 'string' || !/^-?\d+(\.\d+)?$/.test(raw.trim())) continue;
    parent![last!] = Number(raw);
    subs.values.delete(e.instancePath);
    changed = true;
  }
  return changed;
}

export interface LoadedProfile {
  profile: Profile;
  file: string;
  sha256: string;
  /** values the profile took from the environment (`${VAR}`): secrets, scrubbed from every output file */
  secrets: string[];
}

/**
 * A YAML error with its line named and the lines themselves, uncut (the yaml library's own snippet is
 * cut at 80 columns and its message is several lines): the line before, the line, a caret at the column.
 */
function parseErrorText(e: Error & { linePos?: { line: number; col: number }[]; pos?: number[]; code?: string }, text: string): string {
  const first = e.message.split('\n')[0] ?? '';
  let at = e.linePos?.[0];
  if (!at) return first;
  const reason = first.replace(/ at line \d+, column \d+:?$/, '');
  // an unclosed quote is reported where the file ends: name the line where the quote opens
  const q = /closing (["'])quote/.exec(reason)?.[1];
  const open = q && e.pos ? text.lastIndexOf(q, (e.pos[0] ?? 0) - 1) : -1;
  if (open >= 0) {
    const before = text.slice(0, open).split(/\r?\n/);
    at = { line: before.length, col: (before.at(-1) ?? '').length + 1 };
  }
  const lines = text.split(/\r?\n/);
  const line = lines[at.line - 1] ?? '';
  // a bad indentation is reported at column 1: point at the line's first character instead
  const col = e.code === 'BAD_INDENT' ? line.length - line.trimStart().length + 1 : at.col;
  const width = String(at.line).length;
  const show = (n: number) => `      ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`;
  return [
    `line ${at.line}, column ${col}: ${open >= 0 ? `${reason} (opened here)` : reason}`,
    ...(at.line > 1 ? [show(at.line - 1)] : []),
    show(at.line),
    `      ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`,
  ].join('\n');
}

export function parseProfile(text: string, file: string): LoadedProfile {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ProfileError(file, [`cannot be parsed: ${parseErrorText(e as Error, text)}`]);
  }
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  }
  // environment values are substituted first, so they are validated like written values
  const problems: string[] = [];
  const subs: Substitutions = { values: new Map(), whole: new Set() };
  const interpolated = interpolate(data, problems, '', subs);
  if (problems.length) throw new ProfileError(file, problems);
  if (!validate(interpolated) && numbersFromEnv(interpolated, validate.errors ?? [], subs)) validate(interpolated);
  // every value taken from the environment is a secret for the reports, but a number read into a number field
  const secrets = new Set([...subs.values.values()].flat());
  const moved = movedFdrFields(interpolated);
  if (validate.errors?.length || moved.length) {
    // a moved field is named with its new place, not as an unknown field
    const stale = (e: ErrorObject) => e.keyword === 'additionalProperties' && ['/reconciliation', '/harness/fdr', '/harness/listen/fdrPort'].includes(`${e.instancePath}/${String((e.params as { additionalProperty?: string }).additionalProperty)}`);
    const found = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && !stale(e)).map(describe))];
    throw new ProfileError(file, [...moved, ...found].length ? [...moved, ...found] : ['does not match the profile schema']);
  }
  const profile = interpolated as Profile;
  const tls = profile.endpoint.tls;
  for (const k of ['ca', 'cert', 'key'] as const) {
    const f = tls?.[k];
    if (f && !existsSync(path.resolve(path.dirname(file), f))) problems.push(`endpoint.tls.${k}: file ${f} not found`);
  }
  if (profile.seat === 'psp') pspProfileChecks(profile, file, problems);
  if (profile.seat === 'ec') ecProfileChecks(profile, file, problems);
  if (profile.ec.auxDigit === 0 && !profile.ec.applicationCode) problems.push('ec.applicationCode: is required when ec.auxDigit is 0');
  if (problems.length) throw new ProfileError(file, problems);
  return { profile, file, sha256: createHash('sha256').update(text).digest('hex'), secrets: [...secrets] };
}

/** Seat psp: rules a JSON Schema states badly (exactly one trigger transport, files that must exist). */
function pspProfileChecks(profile: Profile, file: string, problems: string[]): void {
  profile.ec ??= structuredClone(DEFAULT_EMULATED_EC);
  const t = profile.trigger ?? {};
  const chosen = (['http', 'command', 'prompt'] as const).filter((k) => (k === 'prompt' ? t.prompt === true : t[k] !== undefined));
  if (chosen.length !== 1) problems.push(`trigger: must select exactly one transport of http, command, prompt (found ${chosen.length ? chosen.join(', ') : 'none'})`);
  if (t.http?.url === EMBEDDED_PSP && profile.endpoint.url !== EMBEDDED_PSP) problems.push(`trigger.http.url: ${EMBEDDED_PSP} needs endpoint.url ${EMBEDDED_PSP}`);
  if (profile.endpoint.url !== EMBEDDED_PSP && profile.harness?.listen?.port === 0) problems.push('harness.listen.port: a real candidate needs a fixed port to call (0 is only for the embedded reference PSP)');
  if (modelsOf(profile).includes('old') && !profile.old?.psp) problems.push('old.psp: models lists old, so the profile names the old-model channel (old.psp.pspPerNodo, paymentPage)');
  if (profile.old?.psp?.pspPerNodo === EMBEDDED_PSP && profile.endpoint.url !== EMBEDDED_PSP) problems.push(`old.psp.pspPerNodo: ${EMBEDDED_PSP} needs endpoint.url ${EMBEDDED_PSP}`);
  if (profile.fdr?.readBack !== undefined) problems.push('fdr.readBack: is for seat ec only (the EC\'s reconciliation read-back)');
  const exists = (at: string, f: string | undefined) => {
    if (f && !existsSync(path.resolve(path.dirname(file), f))) problems.push(`${at}: file ${f} not found`);
  };
  const lt = profile.harness?.listen?.tls;
  exists('harness.listen.tls.cert', lt?.cert);
  exists('harness.listen.tls.key', lt?.key);
  exists('harness.listen.tls.ca', lt?.ca);
  for (const k of ['ca', 'cert', 'key'] as const) exists(`trigger.http.tls.${k}`, t.http?.tls?.[k]);
}

/** Seat ec: the optional trigger (EC-initiated flows) names one transport, and a real EC can reach the platform. */
function ecProfileChecks(profile: Profile, file: string, problems: string[]): void {
  if (profile.old) for (const k of ['endpoints', 'password', 'returnUrl'] as const) if (profile.old[k] === undefined) problems.push(`old.${k}: is required in seat ec`);
  // reconciliation: the read-back is a URL (or the bundled EC's)
  const rb = profile.fdr?.readBack;
  if (rb !== undefined && rb !== EMBEDDED_EC && !/^https?:\/\//.test(rb)) problems.push(`fdr.readBack: "${rb}" is not an http(s) URL (or ${EMBEDDED_EC})`);
  const t = profile.trigger;
  if (!t) return;
  const chosen = (['http', 'command', 'prompt'] as const).filter((k) => (k === 'prompt' ? t.prompt === true : t[k] !== undefined));
  if (chosen.length !== 1) problems.push(`trigger: must select exactly one transport of http, command, prompt (found ${chosen.length ? chosen.join(', ') : 'none'})`);
  if (t.http?.url === EMBEDDED_PSP) problems.push(`trigger.http.url: ${EMBEDDED_PSP} is the reference PSP's hook; seat ec takes ${EMBEDDED_EC} or a URL`);
  if (t.http?.url === EMBEDDED_EC && profile.endpoint.url !== EMBEDDED_EC) problems.push(`trigger.http.url: ${EMBEDDED_EC} needs endpoint.url ${EMBEDDED_EC}`);
  // the new model's EC-initiated flows reach the harness's Checkout and GPD; the old model's reach its Nodo (harness.listen)
  if (profile.endpoint.url !== EMBEDDED_EC && modelsOf(profile).includes('new') && !profile.harness?.platform?.port) problems.push('harness.platform.port: EC-initiated flows of a real candidate need a fixed port where it reaches the harness\'s Checkout and GPD (any free port is only for the embedded reference EC)');
  for (const k of ['ca', 'cert', 'key'] as const) {
    const f = t.http?.tls?.[k];
    if (f && !existsSync(path.resolve(path.dirname(file), f))) problems.push(`trigger.http.tls.${k}: file ${f} not found`);
  }
}

export function loadProfile(file: string): LoadedProfile {
  if (!existsSync(file)) throw new ProfileError(file, ['file not found']);
  const loaded = parseProfile(readFileSync(file, 'utf8'), file);
  // set by the CLI for its workers when it started the candidate's container (candidate.image)
  const started = process.env.COLLAUDO_ENDPOINT_URL;
  if (started) loaded.profile.endpoint.url = started;
  return loaded;
}

/** Client TLS options of a profile's `tls` block (endpoint, trigger): files read relative to the profile. */
export function clientTls(
  p: LoadedProfile,
  t: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean } | undefined,
): { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean } | undefined {
  return t ? { ca: readProfileFile(p, t.ca), cert: readProfileFile(p, t.cert), key: readProfileFile(p, t.key), rejectUnauthorized: t.rejectUnauthorized } : undefined;
}

/** Reads a TLS file named in the profile, relative to the profile's folder. */
export function readProfileFile(p: LoadedProfile, f: string | undefined): Buffer | undefined {
  return f ? readFileSync(path.resolve(path.dirname(p.file), f)) : undefined;
}

/**
 * Whether the candidate declares a feature: a new-model feature in `features`, an old-model one in
 * `old.features` (the same name, e.g. multiBeneficiary, is declared per model: offering it in one
 * model says nothing of the other).
 */
export function featureOn(p: Profile, f: Feature): boolean;
export function featureOn(p: Profile, f: OldFeature, model: 'old'): boolean;
export function featureOn(p: Profile, f: Feature | OldFeature, model: string = 'new'): boolean {
  if (model === 'old') return p.old?.features?.[f as OldFeature] === true;
  return p.features?.[f as Feature] === true;
}

/** A scenario's feature check (src/core/runner.ts): among the features of the scenario's model. */
export function offersFeature(p: Profile, f: Feature | OldFeature, model: string): boolean {
  return model === 'old' ? featureOn(p, f as OldFeature, 'old') : featureOn(p, f as Feature);
}
