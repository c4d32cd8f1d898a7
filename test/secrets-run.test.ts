// A run leaks no secret of its profile (issue 8 item 4): a key in the endpoint URL's query string
// (`?apikey=…`) and every value the profile takes from the environment (`${VAR}`, whatever header or
// field it lands in) are absent from every output file, from stdout (`--json`) and from stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RealClock } from '../src/core/clock.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { collaudo, filesUnder } from './support/cli.js';
import { urlSecrets } from '../reports/secrets.js';
import { inflateSync } from 'node:zlib';
import { readTarGz } from '../reports/archive.js';

/**
 * Every text an output folder holds, as a reader would get it: each file, each entry of the packed
 * evidence archive, and each message block certificate.html carries compressed (inflated as the browser does).
 */
function outputTexts(out: string): { where: string; text: string }[] {
  const texts: { where: string; text: string }[] = [];
  for (const f of filesUnder(out)) {
    const raw = readFileSync(f);
    if (f.endsWith('.tar.gz')) {
      for (const [name, body] of readTarGz(raw)) texts.push({ where: `${f}!${name}`, text: body.toString('utf8') });
      continue;
    }
    const text = raw.toString('utf8');
    texts.push({ where: f, text });
    const data = /<script type="application\/json" id="collaudo-data">([\s\S]*?)<\/script>/.exec(text)?.[1];
    if (data) for (const [i, z] of ((JSON.parse(data) as { z?: string[] }).z ?? []).entries()) texts.push({ where: `${f} (messages of scenario ${i})`, text: inflateSync(Buffer.from(z, 'base64')).toString('utf8') });
  }
  return texts;
}

const QUERY_KEY = 'qk-7d1e5b2c9a04';
const ENV_TOKEN = 'tok-e3a9f0c1b8d2';

describe('secrets of the profile never reach an output', () => {
  let ec: ReferenceEc;
  let profile: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-secrets-'));
    ec = new ReferenceEc({ clock: new RealClock(), idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', companyName: 'Comune', segregationCode: '01', ibans: ['IT60X0542811101000000123456'] });
    const { url } = await ec.start();
    const payable = ec.provision({ state: 'payable' });
    profile = path.join(dir, 'station.yaml');
    writeFileSync(
      profile,
      [
        'seat: ec',
        'name: station with a key in its URL',
        'ec: { idPA: "77777777777", idBrokerPA: "15376371009", idStation: "15376371009_01", auxDigit: 3, segregationCode: "01" }',
        'endpoint:',
        `  url: "${url}?apikey=${QUERY_KEY}&station=01"`,
        '  headers:',
        '    X-Station-Token: ${COLLAUDO_TEST_STATION_TOKEN}',
        'notices:',
        `  payable: ["${payable.noticeNumber}"]`,
      ].join('\n') + '\n',
    );
  });
  afterAll(async () => {
    await ec.stop();
  });

  it('names secret query parameters, not ordinary ones', () => {
    expect(urlSecrets('https://h/p?apikey=abc12&station=01&access_token=zz99&sig=s1g5')).toEqual(['abc12', 'zz99', 's1g5']);
    expect(urlSecrets('https://user:pa55w0rd@h/p')).toEqual(['pa55w0rd']);
    expect(urlSecrets('https://h/p?page=2')).toEqual([]);
    // ordinary names that hold a secret word's letters: the EC's fiscal code must stay readable in the evidence
    expect(urlSecrets('https://h/collaudo/reconciliation?fiscalCode=77777777777&idempotencyKey=k1&keyword=x')).toEqual([]);
    expect(urlSecrets('https://h/p?code=c0de1&subscription-key=s3cr3t&api_key=a1b2&X-Api-Key=z9z9&clientSecret=q1q2')).toEqual(['c0de1', 's3cr3t', 'a1b2', 'z9z9', 'q1q2']);
  });

  it('greps every output file, stdout and stderr of a run for every secret of its profile', async () => {
    const out = path.join(dir, 'out');
    const r = await collaudo(['run', '--seat', 'ec', '--profile', profile, '--out', out, '--scenario', 'EC-PAY-01,EC-ERR-01', '--json'], { COLLAUDO_TEST_STATION_TOKEN: ENV_TOKEN });
    expect(r.code, r.stderr).toBe(0);
    // the packed evidence and the page's compressed messages are read inside, or the grep would be blind
    const texts = outputTexts(out);
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.some((t) => t.where.includes('!evidence/') && t.text.includes('paVerifyPaymentNotice'))).toBe(true);
    expect(texts.some((t) => t.where.includes('(messages of scenario') && t.text.includes('paVerifyPaymentNotice'))).toBe(true);
    for (const secret of [QUERY_KEY, ENV_TOKEN]) {
      for (const t of texts) expect(t.text.includes(secret), `${secret} in ${t.where}`).toBe(false);
      expect(r.stdout.includes(secret), `${secret} on stdout`).toBe(false);
      expect(r.stderr.includes(secret), `${secret} on stderr`).toBe(false);
    }
    // the run did use them: the endpoint is still named, its key masked
    expect(JSON.parse(r.stdout).candidate.endpoint).toContain('apikey=***');
  }, 180_000);
});
