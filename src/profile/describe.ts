// `collaudo profile <file>`: what a valid profile declares, in words a vendor can check before a run
// (identities, endpoint, features on and off, test data, adapters), with secrets left out.
import { fdrSettings, modelsOf, type LoadedProfile, type Profile } from './index.js';

/** Every feature a profile can declare, with what it enables (README "Features"). */
export const FEATURES: Record<string, string> = {
  v2: 'V2 primitives (paGetPaymentV2/paSendRTV2, activatePaymentNoticeV2/sendPaymentOutcomeV2)',
  multiBeneficiary: 'multi-beneficiary notices (transfers to several ECs)',
  stamps: 'digital stamps (marca da bollo digitale)',
  paymentOptions: 'payment options (instalments, single-or-instalments)',
  spontaneous: 'spontaneous payments (paDemandPaymentNotice / demandPaymentNotice)',
  standIn: 'Stand-In receipts',
  frontEnd: 'an EC front end that starts Checkout carts',
  intermediary: 'an intermediary portal (GovPay-like)',
  async: 'asynchronous integration through GPD/ACA',
  send: 'SEND notification metadata',
  'sync-pa': 'synchronous integration (the station answers the Nodo)',
  touchpoint: 'PSP touchpoint: pspNotifyPayment from Checkout / App IO',
  poste: 'Poste: verificaBollettino and postal accounts (allCCP)',
};

export interface ProfileSummary {
  file: string;
  sha256: string;
  name: string;
  seat: Profile['seat'];
  models: string[];
  identities: Record<string, string>;
  endpoint: { url: string; tls: boolean; headers: string[] };
  features: { on: string[]; off: string[] };
  notices: Record<string, number>;
  adapters: string[];
  declarations: Record<string, boolean>;
}

export function summarizeProfile(l: LoadedProfile): ProfileSummary {
  const p = l.profile;
  const on = Object.keys(FEATURES).filter((f) => p.features?.[f as keyof NonNullable<Profile['features']>] === true);
  const ids: Record<string, string> =
    p.seat === 'psp' && p.psp
      ? { idPSP: p.psp.idPSP, idBrokerPSP: p.psp.idBrokerPSP, idChannel: p.psp.idChannel, password: '(set, not shown)' }
      : { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, auxDigit: String(p.ec.auxDigit), stationVersion: String(p.ec.stationVersion ?? 1) };
  const adapters: string[] = [];
  if (p.provisioning) adapters.push(`provisioning at ${redactUrl(p.provisioning.url)}`);
  if (p.trigger?.http) adapters.push(`trigger over HTTP at ${redactUrl(p.trigger.http.url)}`);
  if (p.trigger?.command) adapters.push('trigger by shell command');
  if (p.trigger?.prompt) adapters.push('trigger by prompt (a person acts)');
  if (p.trigger?.deadlineMs) adapters.push(`trigger deadline ${p.trigger.deadlineMs} ms`);
  if (p.harness?.listen) adapters.push(`harness Nodo listens on ${p.harness.listen.host ?? '127.0.0.1'}:${p.harness.listen.port}${p.harness.listen.tls ? ' (TLS)' : ''}${p.harness.listen.reportPort ? `, reports on port ${p.harness.listen.reportPort}` : ''}`);
  if (p.harness?.platform) adapters.push(`harness Checkout/GPD/ACA on ${p.harness.platform.host ?? '127.0.0.1'}:${p.harness.platform.port ?? 0}`);
  if (p.fdr) {
    // the one reconciliation block, read as both seats read it (defaults included)
    const f = fdrSettings(p);
    adapters.push(`reconciliation (fdr): ${f.transports.join(', ')}; harness FdR 3 on ${f.listen.host}:${f.listen.port}${f.dayMs ? `; a day lasts ${f.dayMs} ms${f.originDay ? ` from ${f.originDay}` : ''}` : ''}${f.readBack ? `; read-back at ${redactUrl(f.readBack)}` : ''}`);
  }
  if (p.candidate?.image) adapters.push(`candidate started from image ${p.candidate.image}`);
  return {
    file: l.file,
    sha256: l.sha256,
    name: p.name,
    seat: p.seat,
    models: modelsOf(p),
    identities: ids,
    endpoint: { url: redactUrl(p.endpoint.url), tls: !!p.endpoint.tls, headers: Object.keys(p.endpoint.headers ?? {}) },
    features: { on, off: Object.keys(FEATURES).filter((f) => !on.includes(f)) },
    notices: Object.fromEntries(Object.entries(p.notices ?? {}).map(([k, v]) => [k, v?.length ?? 0])),
    adapters,
    declarations: p.declarations ?? {},
  };
}

/** Query parameters can carry keys (`?apikey=…`): a summary shows their names only. */
function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    for (const k of [...url.searchParams.keys()]) url.searchParams.set(k, '…');
    if (url.password) url.password = '…';
    return url.toString();
  } catch {
    return u;
  }
}

export function profileText(s: ProfileSummary): string {
  const lines = [
    `profile ${s.file} is valid (sha256 ${s.sha256.slice(0, 12)}…)`,
    `  candidate   ${s.name} — ${s.seat.toUpperCase()} seat, model(s) ${s.models.join(', ')}`,
    `  identities  ${Object.entries(s.identities).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  endpoint    ${s.endpoint.url}${s.endpoint.tls ? ' (TLS settings given)' : ''}${s.endpoint.headers.length ? `, headers ${s.endpoint.headers.join(', ')} (values not shown)` : ''}`,
    `  features    on: ${s.features.on.map((f) => `${f} (${FEATURES[f]})`).join('; ') || 'none'}`,
    `              off: ${s.features.off.join(', ') || 'none'} — their scenarios are NOT_APPLICABLE`,
    `  notices     ${Object.entries(s.notices).map(([k, n]) => `${n} ${k}`).join(', ') || 'none listed'}${s.adapters.some((a) => a.startsWith('provisioning')) ? ' (provisioning creates what is missing)' : ''}`,
    `  adapters    ${s.adapters.join('; ') || 'none'}`,
  ];
  const decl = Object.entries(s.declarations);
  if (decl.length) lines.push(`  declared    ${decl.map(([k, v]) => `${k}: ${v ? 'yes' : 'no'}`).join(', ')} (reported as DECLARED, never as PASS)`);
  return lines.join('\n') + '\n';
}
