// `collaudo serve` for the PSP seat, on the real clock:
//   --psp              the reference PSP as a standalone external candidate: its pspForNode endpoint and
//                      its trigger hook (the HTTP contract of src/triggers), calling the Nodo at
//                      --nodo-url (or at the profile's harness.listen); certify it with `collaudo run`;
//   --psp-counterpart  what a PSP vendor's PSP talks to: the reference Nodo (harness.listen of the
//                      vendor's profile) with the emulated EC behind it, the report endpoint, and the
//                      trigger side: POST /collaudo/trigger on the control port provisions a notice and
//                      asks the vendor's PSP (the profile's trigger) to act on it; with models listing
//                      old, the old model's Nodo beside it on the same port (../seats/psp-old-counterpart.ts).
import { formatAmount } from '../domain/common.js';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { RealClock } from '../src/core/clock.js';
import type { JournalEntry } from '../src/core/journal.js';
import { clientTls, fdrSettings, loadProfile, modelsOf, type LoadedProfile } from '../src/profile/index.js';
import { type OldCounterpart, oldCounterpart } from '../seats/psp-old-counterpart.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { requiredTrigger } from '../src/triggers/from-profile.js';
import { REFERENCE_PSP_PROFILE } from '../seats/psp.js';
import { startPspCounterpart, type PspCounterpart } from '../seats/psp-counterpart.js';
import { CHECKOUT } from '../domain/harness-parties.js';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import { EmulatedPsp } from '../actors/psp/client.js';
import { PSP_DEFECTS, isPspDefect } from '../candidates/psp/defects.js';
import { OLD_PSP_DEFECTS, isOldPspDefect } from '../candidates/psp/old/index.js';
import { TRIGGER_CONTRACT, validateTriggerRequest, type TriggerRequest, type TriggerTransport } from '../src/triggers/index.js';
import { UsageError } from './errors.js';
import { listenOrUsage, sessionJournal } from './serve-shared.js';
import { entryLine } from './serve-journal.js';
import { badRequestTarget, guardServer, refuse } from '../src/wire/http.js';

export function logEntry(r: JournalEntry): void {
  process.stderr.write(entryLine(r) + '\n');
}

/** Stops on Ctrl-C / SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** The Nodo URL a PSP-seat profile's harness.listen gives (a wildcard address is reached on loopback). */
function nodoUrlOf(l: LoadedProfile): string | undefined {
  const listen = l.profile.harness?.listen;
  if (!listen?.port) return undefined;
  const h = !listen.host || listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  return `${listen.tls ? 'https' : 'http'}://${h.includes(':') ? `[${h}]` : h}:${listen.port}/nodeForPsp`;
}

/** The FdR 3 PSP API a PSP-seat profile's fdr.listen gives (TLS as the Nodo's, harness.listen.tls). */
function fdrUrlOf(l: LoadedProfile): string | undefined {
  const { host, port } = fdrSettings(l.profile).listen;
  if (!port) return undefined;
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `${l.profile.harness?.listen?.tls ? 'https' : 'http'}://${h.includes(':') ? `[${h}]` : h}:${port}/fdr-psp/service/v1`;
}

export async function servePsp(o: { host: string; port: number; nodoUrl?: string; fdrUrl?: string; profile?: string; defect?: string; rtMode?: string }): Promise<void> {
  if (o.defect && !isPspDefect(o.defect) && !isOldPspDefect(o.defect)) throw new UsageError(`--psp-defect ${o.defect}: unknown defect (known: ${[...PSP_DEFECTS, ...OLD_PSP_DEFECTS].map((d) => d.id).join(', ')})`);
  const own = o.profile ? loadProfile(o.profile) : undefined;
  if (own && own.profile.seat !== 'psp') throw new UsageError(`--profile ${o.profile}: a PSP-seat profile is needed (its psp identities and harness.listen)`);
  const described = (own ?? loadProfile(REFERENCE_PSP_PROFILE)).profile;
  const ids = described.psp!;
  if (o.rtMode !== undefined && o.rtMode !== 'push' && o.rtMode !== 'pull') throw new UsageError(`--psp-rt-mode ${o.rtMode}: push or pull`);
  // the old-model channel as the profile names it (old.psp: its own idChannel / password, its RT mode, its
  // channel of payment model 2); without a profile, the reference PSP's own (fixtures/profiles/reference-psp.yaml)
  const oldPsp = described.old?.psp;
  const rtMode = (o.rtMode as 'push' | 'pull' | undefined) ?? oldPsp?.rtMode ?? 'push';
  const oldIds = { idPSP: ids.idPSP, idBrokerPSP: ids.idBrokerPSP, idChannel: oldPsp?.idChannel ?? ids.idChannel, password: oldPsp?.password ?? ids.password };
  const authChannel = oldPsp?.authChannel?.idChannel;
  const nodoUrl = o.nodoUrl ?? (own ? nodoUrlOf(own) : undefined);
  if (!nodoUrl) throw new UsageError('--psp needs the Nodo to call: --nodo-url <url> or --profile <PSP-seat profile with harness.listen>');
  const psp = new ReferencePsp({
    clock: new RealClock(),
    nodoUrl,
    ids: { idPSP: ids.idPSP, idBrokerPSP: ids.idBrokerPSP, idChannel: ids.idChannel, password: ids.password },
    defects: o.defect ? [o.defect as never] : [],
    // the old model's NodoPerPsp sits beside nodeForPsp on the harness's listener (as NodoPerPa does for the EC seat)
    oldNodo: { nodoPerPspUrl: new URL('/NodoPerPsp', nodoUrl).href },
    old: { ids: oldIds, name: ids.companyName ?? described.name, rtMode, ...(authChannel ? { authChannel } : {}) },
    host: o.host,
    port: o.port,
  });
  if (o.fdrUrl !== undefined && !/^https?:\/\//.test(o.fdrUrl)) throw new UsageError(`--fdr-url ${o.fdrUrl}: not an http(s) URL`);
  const fdrUrl = o.fdrUrl ?? (own ? fdrUrlOf(own) : undefined);
  if (fdrUrl) psp.fdr.endpoints.fdrPsp = fdrUrl;
  const { pspForNodeUrl, triggerUrl, pspPerNodoUrl, paymentPageUrl } = await listenOrUsage(`reference PSP on ${o.host}:${o.port}`, () => psp.start(), []);
  process.stderr.write(
    [
      `reference PSP (pspForNode): ${pspForNodeUrl}${o.defect ? `   defect: ${o.defect}` : ''}`,
      `  trigger hook (POST, collaudo-trigger/1 → 202): ${triggerUrl}`,
      `  old model: PspPerNodo ${pspPerNodoUrl}, payment page ${paymentPageUrl}; calls NodoPerPsp at ${psp.old.nodoLink?.nodoPerPspUrl}, returns the payer to ${psp.old.nodoLink?.returnUrl}`,
      `    channel ${oldIds.idChannel}${authChannel ? `, channel of payment model 2 (authorisation managed by the PSP) ${authChannel}` : ''}`,
      `  old model RTs: ${rtMode === 'pull' ? 'pull (each RT into the PULL queue for pspChiediListaRT / pspChiediRT / pspInviaAckRT; the channel must be configured for PULL: profile old.psp.rtMode pull)' : 'push (nodoInviaRT, TR-08 retries 5, 10, 20, 40, 80 s, then the PULL queue)'}`,
      `  reports flows (fdr-report) by nodoInviaFlussoRendicontazione${fdrUrl ? ` and FdR 3 at ${fdrUrl}` : ' (FdR 3: --fdr-url or --profile with fdr.listen.port)'}`,
      `  calls the Nodo at ${nodoUrl} as idPSP ${ids.idPSP}, idBrokerPSP ${ids.idBrokerPSP}, idChannel ${ids.idChannel}`,
      '  waits 10000 ms for the Nodo, retries after 1000·(2^k−1) ms, 3 sends at most (profile: timeouts.callerWait 10000, retrySlot 1000)',
      'Ctrl-C to stop.',
    ].join('\n') + '\n',
  );
  await untilSignal();
  await psp.stop();
}

export async function servePspCounterpart(o: { profile: string; controlPort: number; verbose?: boolean; journalSize?: number; summaryMs?: number }): Promise<void> {
  const loaded = loadProfile(o.profile);
  if (loaded.profile.seat !== 'psp') throw new UsageError(`--profile ${o.profile}: the PSP seat's counterpart needs a PSP-seat profile`);
  const clock = new RealClock();
  const journal = sessionJournal(clock, o);
  let cp: PspCounterpart;
  // models listing old: the old-model Nodo beside the new one on harness.listen (NodoPerPsp, NodoPerPa, WISP)
  let old: OldCounterpart | undefined;
  const beside = modelsOf(loaded.profile).includes('old')
    ? (base: string, ec: ReferenceEc) => {
        old = oldCounterpart(loaded, clock, ec, journal);
        if (!old) throw new Error('models lists old, but the profile names no old-model channel (old.psp)');
        return old.listener(base);
      }
    : undefined;
  try {
    cp = await startPspCounterpart(loaded, clock, { journal: () => journal }, beside);
    old?.connect();
  } catch (e) {
    journal.close();
    throw Object.assign(new UsageError((e as Error).message.split('\n')[0]!), { exitNow: true });
  }
  const accept = cp.inbox.accept.bind(cp.inbox);
  cp.inbox.accept = (r) => {
    accept(r);
    process.stderr.write(`${new Date().toISOString()} report ${r.requestId}: ${r.result}${r.message ? ` (${r.message})` : ''}\n`);
  };
  const transport = requiredTrigger(loaded);
  const host = loaded.profile.harness?.listen?.host ?? '127.0.0.1';
  const control = controlServer((req, res) => onControl(req, res, loaded, cp, transport, old));
  await listenOrUsage(
    `control port ${host}:${o.controlPort}`,
    () => new Promise<void>((resolve, reject) => {
      control.once('error', reject);
      control.listen(o.controlPort, host, () => resolve());
    }),
    [() => cp.stop()],
  );
  const ctl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${o.controlPort}/collaudo/trigger`;
  const ec = loaded.profile.ec;
  process.stderr.write(
    [
      `reference Nodo (nodeForPsp) for ${loaded.profile.name}: ${cp.nodoUrl}   WSDL: ${cp.nodoUrl}?wsdl`,
      `  your PSP: idPSP ${cp.candidate.idPSP}, idBrokerPSP ${cp.candidate.idBrokerPSP}, idChannel ${cp.candidate.idChannel}; pspForNode at ${loaded.profile.endpoint.url}`,
      `emulated EC (the Nodo's station): ${cp.ecUrl}   EC ${ec.idPA}, station ${ec.idStation}; create positions: POST ${new URL('/provisioning/positions', cp.ecUrl)}`,
      `reports (reportUrl of every trigger request): ${cp.inbox.url}`,
      `trigger side: POST ${ctl} {"action":"pay"|"verify-only"|"abandon"|"notify-accept"|"notify-refuse"|…, "verify"?, "primitives"?, "amountCents"?}`,
      `  provisions a payable notice (unless noticeNumber is given) and asks your PSP to act through ${transport.kind} ${transport.target};`,
      '  notify-accept / notify-refuse: the emulated Checkout activates it and the Nodo then sends pspNotifyPayment to your PSP',
      ...(old
        ? [
            `old model: NodoPerPsp ${old.nodo.urls.nodoPerPsp}, NodoPerPspRichiestaAvvisi ${old.nodo.urls.nodoPerPspRichiestaAvvisi}, WISP ${old.nodo.urls.wisp}`,
            `  your channel ${old.channel.idChannel}: PspPerNodo at ${old.channel.pspPerNodo}${old.channel.paymentPage ? `, payment page ${old.channel.paymentPage}` : ''}, RT ${old.channel.rtMode}`,
            `  trigger side: {"action":"old-psp-pay"|"old-psp-verify"|"old-psp-abandon", "verify"?, "amountCents"?} provisions a notice for your PSP to pay at the counter;`,
            `  {"action":"old-ec-cart", "amountCents"?}: the emulated EC starts a cart naming your channel and the answer gives the WISP URL to open in a browser`,
          ]
        : []),
      'Ctrl-C to stop.',
    ].join('\n') + '\n',
  );
  await untilSignal();
  journal.close();
  control.closeAllConnections();
  await new Promise<void>((r) => control.close(() => r()));
  await transport.close();
  await old?.nodo.stop();
  await cp.stop();
}

/** The control port's server: bad targets get 400, big bodies 413, and a failing handler a 500, never a crash. */
export function controlServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): http.Server {
  const server = http.createServer((req, res) => {
    const bad = badRequestTarget(req.url);
    if (bad) {
      req.resume();
      return refuse(res, 400, bad);
    }
    handler(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: (e as Error).message }));
    });
  });
  guardServer(server);
  return server;
}

async function onControl(req: http.IncomingMessage, res: http.ServerResponse, loaded: LoadedProfile, cp: PspCounterpart, transport: TriggerTransport, old: OldCounterpart | undefined): Promise<void> {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST' || !req.url?.startsWith('/collaudo/trigger')) return json(404, { error: 'POST /collaudo/trigger {"action": …}' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size <= 65536) chunks.push(c as Buffer);
  }
  if (size > 65536) return json(413, { error: 'a trigger request is at most 65536 bytes' });
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Partial<TriggerRequest>;
    const action = body.action ?? 'pay';
    // an EC-started payment of the old model: the emulated EC's cart, paid by whoever opens the WISP URL
    if ((action as string) === 'old-ec-cart') {
      if (!old) return json(400, { error: 'old-ec-cart: the profile does not list the old model (models: [old], old.psp)' });
      const cart = await old.ecCart(body.amountCents);
      return json(cart.url ? 200 : 502, cart.url ? { cart } : { error: `the Nodo refused the cart: ${cart.problem}` });
    }
    const notify = action === 'notify-accept' || action === 'notify-refuse';
    let { fiscalCode, noticeNumber, amountCents } = body;
    if (!noticeNumber) {
      const p = cp.ec.provision({ state: 'payable', amountCents: amountCents ?? 1500 });
      ({ fiscalCode, noticeNumber, amountCents } = p);
    }
    const deadlineMs = loaded.profile.trigger?.deadlineMs ?? 60_000;
    const amount = amountCents !== undefined ? formatAmount(amountCents) : body.amount;
    let token: string | undefined;
    if (notify) {
      const checkout = new EmulatedPsp({ nodoUrl: cp.nodoUrl, clock: new RealClock(), headers: { 'x-collaudo-from': 'checkout' }, ids: { ...cp.candidate, idBrokerPSP: CHECKOUT.idBrokerPSP, idChannel: CHECKOUT.idChannel, password: CHECKOUT.password } });
      const a = await checkout.activate({ fiscalCode: fiscalCode!, noticeNumber }, amountCents ?? 1500, { touchPoint: 'CHECKOUT', paymentMethod: 'CP' });
      if (!a.paymentToken) return json(502, { error: `the emulated Checkout could not activate ${noticeNumber}: ${a.fault?.faultCode ?? a.problem}` });
      token = a.paymentToken;
    }
    const request = validateTriggerRequest({
      ...body,
      contract: TRIGGER_CONTRACT,
      requestId: randomUUID(),
      scenarioId: 'SERVE-MANUAL',
      seat: 'psp',
      action,
      fiscalCode: fiscalCode ?? loaded.profile.ec.idPA,
      noticeNumber,
      ...(amount ? { amount, amountCents } : {}),
      ...(notify ? { notices: [{ fiscalCode: fiscalCode!, noticeNumber, amount }] } : {}),
      deadline: new Date(Date.now() + deadlineMs).toISOString(),
      deadlineMs,
      reportUrl: cp.inbox.url,
    });
    try {
      await transport.fire(request);
    } catch (e) {
      return json(502, { error: (e as Error).message, request });
    }
    if (token) {
      const n = await cp.nodo.notifyPsp([token], {
        version: 1,
        url: loaded.profile.endpoint.url,
        timeoutMs: cp.timeouts.pspNotifyPayment,
        content: cp.nodo.buildNotify([token], 1, cp.candidate),
        headers: loaded.profile.endpoint.headers,
        tls: clientTls(loaded, loaded.profile.endpoint.tls),
      });
      return json(200, { request, paymentToken: token, notify: n.answer, fault: n.fault });
    }
    return json(200, { request });
  } catch (e) {
    // a body that makes no valid trigger request, or a notice the emulated EC cannot provision
    return json(400, { error: (e as Error).message });
  }
}
