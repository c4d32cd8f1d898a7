// The profile's old-model section in the PSP seat (issue 11): `old.psp` names the candidate's old-model
// channel and is required when the profile lists models [old]; the EC seat's three fields stay required
// there, and only there.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProfileError, parseProfile } from '../src/profile/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_PSP = readFileSync(path.join(ROOT, 'fixtures/profiles/reference-psp.yaml'), 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseProfile(text, '/nowhere/p.yaml');
  } catch (e) {
    if (e instanceof ProfileError) return e.problems;
    throw e;
  }
  return [];
}

/** The reference PSP's profile, its old section replaced by `old` (YAML, top level). */
const withOld = (old: string, over: (s: string) => string = (s) => s) => over(REFERENCE_PSP.replace(/^old:\n(?: {2}.*\n)+/m, old));

describe('profile, PSP seat, old model', () => {
  it('the bundled reference profile lists both models and names its old channel', () => {
    const p = parseProfile(REFERENCE_PSP, '/nowhere/p.yaml').profile;
    expect(p.models).toEqual(['old', 'new']);
    expect(p.old?.psp).toMatchObject({ pspPerNodo: 'embedded:reference-psp', rtMode: 'push' });
    expect(p.old?.endpoints).toBeUndefined();
  });
  it('a channel of its own: identities, password, redirect page and PULL mode are read', () => {
    const p = parseProfile(withOld('old:\n  psp:\n    pspPerNodo: https://psp.invalid/PspPerNodo\n    paymentPage: https://psp.invalid/pagamento\n    idChannel: 01234567891_09\n    password: Channel09pwd\n    rtMode: pull\n', (s) => s.replace('url: embedded:reference-psp', 'url: https://psp.invalid/pspForNode').replace(/port: 0/, 'port: 17080').replace(/^trigger:\n {2}http:\n {4}url: embedded:reference-psp/m, 'trigger:\n  http:\n    url: https://psp.invalid/trigger')), '/nowhere/p.yaml').profile;
    expect(p.old?.psp).toEqual({ pspPerNodo: 'https://psp.invalid/PspPerNodo', paymentPage: 'https://psp.invalid/pagamento', idChannel: '01234567891_09', password: 'Channel09pwd', rtMode: 'pull' });
  });
  it('models [old] without old.psp is refused naming the field', () => {
    expect(problemsOf(withOld(''))).toEqual(expect.arrayContaining([expect.stringMatching(/^old\.psp: models lists old/)]));
  });
  it('an rtMode other than push or pull is refused naming the field', () => {
    expect(problemsOf(withOld('old:\n  psp:\n    pspPerNodo: embedded:reference-psp\n    rtMode: poll\n')).join('\n')).toMatch(/old\.psp\.rtMode/);
  });
  it('the embedded channel needs the embedded reference PSP as endpoint', () => {
    const text = withOld('old:\n  psp:\n    pspPerNodo: embedded:reference-psp\n', (s) => s.replace('url: embedded:reference-psp', 'url: https://psp.invalid/pspForNode').replace(/port: 0/, 'port: 17080').replace(/^trigger:\n {2}http:\n {4}url: embedded:reference-psp/m, 'trigger:\n  http:\n    url: https://psp.invalid/trigger'));
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(/^old\.psp\.pspPerNodo: embedded:reference-psp needs endpoint\.url/)]));
  });
  it('seat ec: an old section without the station\'s endpoints, password and return URL is refused naming each', () => {
    const ec = `seat: ec\nname: test EC\nmodels: [old]\nec:\n  idPA: "77777777777"\n  idBrokerPA: "15376371009"\n  idStation: "15376371009_01"\n  auxDigit: 3\n  segregationCode: "01"\nendpoint:\n  url: https://ec.invalid/paForNode\nharness:\n  listen: { port: 17080 }\nold:\n  features: { ecStarted: true }\n`;
    const problems = problemsOf(ec);
    for (const f of ['old.endpoints', 'old.password', 'old.returnUrl']) expect(problems, f).toEqual(expect.arrayContaining([`${f}: is required in seat ec`]));
  });
});
