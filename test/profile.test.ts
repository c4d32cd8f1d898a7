// The candidate profile (src/profile/index.ts + profile.schema.json): the bundled fixtures are
// valid; every broken profile is refused with messages that name the field and the rule.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileError, featureOn, loadProfile, parseProfile } from '../src/profile/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'fixtures', 'profiles');

const BASE = `seat: ec
name: test EC
ec:
  idPA: "77777777777"
  idBrokerPA: "15376371009"
  idStation: "15376371009_01"
  auxDigit: 3
  segregationCode: "01"
endpoint:
  url: https://ec.example.invalid/pagopa/paForNode
`;

/** The problems of a profile that must be refused (fails the test if it is accepted). */
function problemsOf(text: string, file = '/nowhere/profile.yaml'): string[] {
  try {
    parseProfile(text, file);
  } catch (e) {
    if (e instanceof ProfileError) return e.problems;
    throw e;
  }
  throw new Error(`profile was accepted:\n${text}`);
}

describe('bundled fixtures', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.(ya?ml|json)$/.test(f));
  it('there is at least one fixture profile', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  // a fixture may take secrets from the environment: those variables get a placeholder for the test
  it.each(files)('fixtures/profiles/%s is valid (its ${VAR}s set to placeholders)', (f) => {
    const text = readFileSync(path.join(FIXTURES, f), 'utf8');
    const vars = [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))].filter((v) => process.env[v] === undefined);
    for (const v of vars) process.env[v] = `placeholder-${v}`;
    try {
      const p = loadProfile(path.join(FIXTURES, f));
      expect(['ec', 'psp']).toContain(p.profile.seat);
      // seat psp: `ec` is the EC the harness emulates (defaults filled in by the loader)
      expect(p.profile.ec.idPA).toMatch(/^\d{11}$/);
      expect(p.sha256).toBe(createHash('sha256').update(text).digest('hex'));
      for (const v of vars) expect(JSON.stringify(p.profile), v).toContain(`placeholder-${v}`);
    } finally {
      for (const v of vars) delete process.env[v];
    }
  });
  it('the reference-ec fixture offers every optional EC feature (the demo exercises them all), and no PSP one', () => {
    const p = loadProfile(path.join(FIXTURES, 'reference-ec.yaml')).profile;
    for (const f of ['v2', 'spontaneous', 'frontEnd', 'stamps', 'multiBeneficiary', 'paymentOptions', 'send', 'sync-pa', 'async', 'intermediary'] as const) {
      expect(featureOn(p, f), f).toBe(true);
    }
    expect(featureOn(p, 'touchpoint')).toBe(false);
  });
});

describe('a minimal valid profile', () => {
  it('is accepted with the values given', () => {
    const { profile } = parseProfile(BASE, '/nowhere/p.yaml');
    expect(profile.ec).toEqual({ idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', auxDigit: 3, segregationCode: '01' });
    expect(profile.endpoint.url).toBe('https://ec.example.invalid/pagopa/paForNode');
  });
  it('a .json file is parsed as JSON', () => {
    const json = JSON.stringify({ seat: 'ec', name: 'j', ec: { idPA: '77777777777', idBrokerPA: 'b', idStation: 's', auxDigit: 1 }, endpoint: { url: 'embedded:reference-ec' } });
    expect(parseProfile(json, '/nowhere/p.json').profile.ec.auxDigit).toBe(1);
  });
});

describe('broken profiles: each message names the field and the rule', () => {
  const rows: [string, string, RegExp][] = [
    ['missing ec.idPA', BASE.replace('  idPA: "77777777777"\n', ''), /^ec\.idPA: is required$/],
    ['idPA with 10 digits', BASE.replace('"77777777777"', '"7777777777"'), /^ec\.idPA: must match \^\[0-9\]\{11\}\$$/],
    ['idPA with letters', BASE.replace('"77777777777"', '"7777777777A"'), /^ec\.idPA: must match/],
    ['unknown top-level field', BASE + 'colour: red\n', /^\(top level\): unknown field "colour"$/],
    ['unknown field in ec', BASE.replace('  auxDigit: 3', '  auxDigit: 3\n  colour: red'), /^ec: unknown field "colour"$/],
    ['unknown feature', BASE + 'features:\n  teleport: true\n', /^features: unknown field "teleport"$/],
    ['wrong enum for auxDigit', BASE.replace('auxDigit: 3', 'auxDigit: 5'), /^ec\.auxDigit: must be one of 0, 1, 2, 3$/],
    ['auxDigit as a string', BASE.replace('auxDigit: 3', 'auxDigit: "3"'), /^ec\.auxDigit: must be one of 0, 1, 2, 3$/],
    ['auxDigit 3 without segregationCode', BASE.replace('  segregationCode: "01"\n', ''), /^ec\.segregationCode: is required/],
    ['auxDigit 0 without applicationCode', BASE.replace('auxDigit: 3', 'auxDigit: 0').replace('  segregationCode: "01"\n', ''), /^ec\.applicationCode: is required when ec\.auxDigit is 0$/],
    ['bad notice number in notices.payable', BASE + 'notices:\n  payable:\n    - "30100000000000004"\n', /^notices\.payable\.0: must match \^\[0-9\]\{18\}\$$/],
    ['bad notice number in an object entry', BASE + 'notices:\n  payable:\n    - noticeNumber: "3010000000000000AB"\n', /^notices\.payable\.0\.noticeNumber: must match/],
    ['bad amount in a notice entry', BASE + 'notices:\n  payable:\n    - noticeNumber: "301000000000000042"\n      amount: "10.5"\n', /^notices\.payable\.0\.amount: must match/],
    ['unknown notice state', BASE + 'notices:\n  lost:\n    - "301000000000000042"\n', /^notices: unknown field "lost"$/],
    ['wrong seat', BASE.replace('seat: ec', 'seat: nodo'), /^seat: must be one of "ec", "psp"$/],
    ['psp seat without its sections', BASE.replace('seat: ec', 'seat: psp'), /^psp: is required$/],
    ['missing endpoint', BASE.replace(/endpoint:\n.*\n/, ''), /^endpoint: is required$/],
    ['endpoint not http(s)', BASE.replace('https://ec.example.invalid/pagopa/paForNode', 'ftp://ec.example.invalid'), /^endpoint\.url: must match/],
    ['timeout below the minimum', BASE + 'timeouts:\n  paGetPayment: 10\n', /^timeouts\.paGetPayment: must be >= 100$/],
  ];
  it.each(rows)('%s', (_name, text, message) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => message.test(p)), `problems: ${JSON.stringify(problems)}`).toBe(true);
  });

  it('several problems are all reported at once', () => {
    const text = BASE.replace('"77777777777"', '"1"').replace('auxDigit: 3', 'auxDigit: 9') + 'colour: red\n';
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith('ec.idPA:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ec.auxDigit:'))).toBe(true);
    expect(problems.some((p) => p.includes('"colour"'))).toBe(true);
  });

  it('the thrown error names the file and lists the problems', () => {
    try {
      parseProfile(BASE.replace('auxDigit: 3', 'auxDigit: 5'), '/some/where/candidate.yaml');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileError);
      expect((e as ProfileError).file).toBe('/some/where/candidate.yaml');
      expect((e as Error).message).toContain('profile /some/where/candidate.yaml is not valid');
      expect((e as Error).message).toContain('  - ec.auxDigit: must be one of 0, 1, 2, 3');
    }
  });

  it('YAML syntax error: "cannot be parsed" with the position', () => {
    const problems = problemsOf(BASE + 'features: [unclosed\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^cannot be parsed: .*line \d+/);
  });

  it('JSON syntax error in a .json profile', () => {
    expect(problemsOf('{"seat": "ec",', '/nowhere/p.json')[0]).toMatch(/^cannot be parsed: /);
  });

  it('a missing file: "file not found"', () => {
    expect(() => loadProfile('/nowhere/collaudo-no-such-profile.yaml')).toThrow(/file not found/);
  });
});

describe('TLS files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-profile-'));
    writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withTls = (tls: string) => BASE.replace('  url: https://ec.example.invalid/pagopa/paForNode', `  url: https://ec.example.invalid/pagopa/paForNode\n  tls:\n${tls}`);

  it('a file relative to the profile folder that exists is accepted', () => {
    const p = parseProfile(withTls('    ca: ca.pem\n    rejectUnauthorized: true\n'), path.join(dir, 'p.yaml'));
    expect(p.profile.endpoint.tls?.ca).toBe('ca.pem');
  });

  it('a TLS file not found names the field and the file', () => {
    const problems = problemsOf(withTls('    ca: ca.pem\n    cert: client.pem\n    key: client.key\n'), path.join(dir, 'p.yaml'));
    expect(problems).toEqual(['endpoint.tls.cert: file client.pem not found', 'endpoint.tls.key: file client.key not found']);
  });

  it('the same file name is looked up relative to the profile, not the working directory', () => {
    expect(problemsOf(withTls('    ca: ca.pem\n'), '/nowhere/p.yaml')).toEqual(['endpoint.tls.ca: file ca.pem not found']);
  });
});

describe('${VAR} interpolation', () => {
  const SET = 'COLLAUDO_TEST_SUBSCRIPTION_KEY';
  const UNSET = 'COLLAUDO_TEST_SURELY_UNSET_VARIABLE';
  beforeAll(() => {
    process.env[SET] = 's3cr3t-value';
    delete process.env[UNSET];
  });
  afterAll(() => {
    delete process.env[SET];
  });
  const withHeader = (v: string) =>
    BASE.replace('  url: https://ec.example.invalid/pagopa/paForNode', `  url: https://ec.example.invalid/pagopa/paForNode\n  headers:\n    ocp-apim-subscription-key: "${v}"`);

  it('${SET_VAR} is substituted', () => {
    const p = parseProfile(withHeader(`\${${SET}}`), '/nowhere/p.yaml');
    expect(p.profile.endpoint.headers).toEqual({ 'ocp-apim-subscription-key': 's3cr3t-value' });
  });

  it('substitution inside a longer string and in a nested list', () => {
    const text = withHeader(`Bearer \${${SET}}!`) + `declarations:\n  x: true\n`;
    expect(parseProfile(text, '/nowhere/p.yaml').profile.endpoint.headers?.['ocp-apim-subscription-key']).toBe('Bearer s3cr3t-value!');
  });

  it('${UNSET_VAR}: refused, the message names the field and the variable', () => {
    expect(problemsOf(withHeader(`\${${UNSET}}`))).toEqual([`endpoint.headers.ocp-apim-subscription-key: environment variable ${UNSET} is not set`]);
  });

  it('the file hash is taken over the text as written (the secret is not part of it)', () => {
    const text = withHeader(`\${${SET}}`);
    expect(parseProfile(text, '/nowhere/p.yaml').sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  // Interpolation runs before the schema validation: a variable may fill a pattern-checked field,
  // and a substituted value is validated like a written one.
  it('${VAR} in a pattern-checked field (endpoint.url) is substituted before validation', () => {
    process.env.COLLAUDO_TEST_EC_URL = 'https://ec.example.invalid/pagopa/paForNode';
    try {
      const text = BASE.replace('https://ec.example.invalid/pagopa/paForNode', '"${COLLAUDO_TEST_EC_URL}"');
      expect(parseProfile(text, '/nowhere/p.yaml').profile.endpoint.url).toBe('https://ec.example.invalid/pagopa/paForNode');
    } finally {
      delete process.env.COLLAUDO_TEST_EC_URL;
    }
  });

  // where a candidate or the harness listens varies per machine or per shard (`port: ${NODO_PORT}`)
  it('a number field given as one ${VAR} reads it as a number, which is no secret; anything else stays refused', () => {
    process.env.COLLAUDO_TEST_PORT = '34567';
    process.env.COLLAUDO_TEST_NOT_A_NUMBER = '34x';
    const withPort = (v: string) => `${BASE}harness:\n  platform:\n    host: 127.0.0.1\n    port: ${v}\n`;
    try {
      const p = parseProfile(withPort('${COLLAUDO_TEST_PORT}'), '/nowhere/p.yaml');
      expect(p.profile.harness?.platform?.port).toBe(34567);
      expect(p.secrets).toEqual([]);
      expect(problemsOf(withPort('${COLLAUDO_TEST_NOT_A_NUMBER}'))).toEqual(['harness.platform.port: must be integer']);
      expect(problemsOf(withPort('"1${COLLAUDO_TEST_PORT}"'))).toEqual(['harness.platform.port: must be integer']);
      // a string field keeps the value as text, and as a secret
      const text = withPort('${COLLAUDO_TEST_PORT}').replace('paForNode', 'paForNode-${COLLAUDO_TEST_PORT}');
      const q = parseProfile(text, '/nowhere/p.yaml');
      expect(q.profile.endpoint.url).toBe('https://ec.example.invalid/pagopa/paForNode-34567');
      expect(q.secrets).toEqual(['34567']);
    } finally {
      delete process.env.COLLAUDO_TEST_PORT;
      delete process.env.COLLAUDO_TEST_NOT_A_NUMBER;
    }
  });

  it('validates a substituted value against the schema (idBrokerPA longer than 35)', () => {
    process.env.COLLAUDO_TEST_LONG = 'B'.repeat(40);
    try {
      const text = BASE.replace(/idBrokerPA: .*/, 'idBrokerPA: "${COLLAUDO_TEST_LONG}"');
      expect(() => parseProfile(text, '/nowhere/p.yaml')).toThrow(/ec\.idBrokerPA: must NOT have more than 35 characters/);
    } finally {
      delete process.env.COLLAUDO_TEST_LONG;
    }
  });
});

describe('sha256', () => {
  it('is stable for the same text and changes with one byte', () => {
    const a = parseProfile(BASE, '/nowhere/a.yaml').sha256;
    const b = parseProfile(BASE, '/elsewhere/b.yaml').sha256;
    const c = parseProfile(BASE + '# comment\n', '/nowhere/a.yaml').sha256;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(a).toBe(createHash('sha256').update(BASE).digest('hex'));
  });
});

describe('notices whose amount changed since printing (NM-PSPPAY-PAY-07)', () => {
  it('notices.updatedAmount lists them with the current and the printed amount; provisioning.updatedAmount offers them', () => {
    const p = parseProfile(
      `${BASE}notices:\n  updatedAmount:\n    - { noticeNumber: "301000000000000750", amount: "123.45", printedAmount: "100.00" }\nprovisioning:\n  url: https://ec.example.invalid/provisioning/positions\n  updatedAmount: true\n`,
      '/nowhere/p.yaml',
    ).profile;
    expect(p.notices?.updatedAmount).toEqual([{ noticeNumber: '301000000000000750', amount: '123.45', printedAmount: '100.00' }]);
    expect(p.provisioning?.updatedAmount).toBe(true);
  });

  it('an updated-amount notice without its printed amount is refused, naming the field', () => {
    const problems = problemsOf(`${BASE}notices:\n  updatedAmount:\n    - { noticeNumber: "301000000000000750", amount: "123.45" }\n`);
    expect(problems.join('\n')).toMatch(/notices\.updatedAmount\.0\.printedAmount: is required/);
  });

  it('the schema documents what a run reads and what it consumes, and where the counts are', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'src/profile/profile.schema.json'), 'utf8'));
    expect(schema.properties.notices.description).toMatch(/only read .*reusable across runs.*consumed.*collaudo catalogue --seat ec/);
    expect(schema.properties.notices.properties.updatedAmount.description).toMatch(/printedAmount/);
  });
});

describe('old model (SANP 2.2.6) section', () => {
  const OLD = `models: [old, new]
old:
  endpoints:
    paPerNodo: https://ec.example.invalid/PagamentiTelematiciRT
    paPerNodoPagamentoPsp: https://ec.example.invalid/PagamentiTelematiciCCP
  password: Passw0rd99
  returnUrl: https://ec.example.invalid/portale/esito
  features: { ecStarted: true, pspStarted: true, storno: false }
harness:
  listen: { port: 18443 }
`;
  it('is accepted; its features are read per model (old.features never switches a new-model feature on)', () => {
    const p = parseProfile(BASE + OLD, '/nowhere/p.yaml').profile;
    expect(p.old?.endpoints?.paPerNodo).toBe('https://ec.example.invalid/PagamentiTelematiciRT');
    expect(featureOn(p, 'pspStarted', 'old')).toBe(true);
    expect(featureOn(p, 'storno', 'old')).toBe(false);
    expect(featureOn(p, 'multiBeneficiary', 'old')).toBe(false);
    expect(featureOn({ ...p, features: { multiBeneficiary: true } }, 'multiBeneficiary', 'old')).toBe(false);
    expect(featureOn({ ...p, features: { multiBeneficiary: true } }, 'multiBeneficiary')).toBe(true);
  });
  it('models listing old on the EC seat without the old section is refused, naming it', () => {
    expect(problemsOf(BASE + 'models: [old]\n')).toContain('old: is required');
  });
  it('a password outside 8..15 characters and an unknown old feature are refused, each naming the field', () => {
    const bad = problemsOf(BASE + OLD.replace('Passw0rd99', 'short').replace('storno: false', 'storno: false, cards: true'));
    expect(bad.some((m) => m.startsWith('old.password'))).toBe(true);
    expect(bad.some((m) => m.startsWith('old.features') && m.includes('cards'))).toBe(true);
  });
});

describe('old model: where the harness Nodo listens', () => {
  it('a real EC station listing the old model must say where the harness Nodo listens (it calls NodoPerPa there)', () => {
    const text = BASE + 'models: [old]\nold:\n  endpoints: { paPerNodo: https://ec.example.invalid/rt }\n  password: Passw0rd99\n  returnUrl: https://ec.example.invalid/esito\n';
    expect(problemsOf(text)).toContain('harness: is required');
    expect(() => parseProfile(text + 'harness:\n  listen: { port: 18443 }\n', '/nowhere/p.yaml')).not.toThrow();
  });
});
