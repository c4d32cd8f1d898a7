// The PULL queue, the Nodo's side (catalogue §2.8 SM-RTQ, OLD-RT-PULL-01/02, OLD-X-REPO-01; L2368-2387):
// pspChiediListaRT on a PSP's channel, pspChiediRT for each RT listed, the same checks as
// nodoInviaRT (rt-intake.ts, V-33), then pspInviaAckRT with an ackRT: ACTC for a valid RT (the Nodo
// takes it and delivers it to the EC with paaInviaRT), RJCT with codiceErrore for an invalid one
// (TR-45). A seat calls it when a channel works in PULL, or after a PSP's pushes were answered with
// PPT_STAZIONE_INT_PA_* or exhausted (TR-09). Every call is journaled by the Nodo's client (each
// base64 RT its own entry); the report says what happened, as data.
// Readings: identificativoRichiedente is the PSP whose RTs are asked for; a KO CANALE_RT_NON_DISPONIBILE
// to pspChiediListaRT is an empty list; codiceErrore (≤ 10 characters) is the V-* rule that failed,
// the Nodo's fault code and its description go in InformazioniAggiuntive.
import { createHash } from 'node:crypto';
import { type AckRt, ackFor, ackXml } from '../../../domain/old/index.js';
import type { PullObservation } from '../../../domain/old/rt-push.js';
import type { ChannelEntry } from '../../../domain/registry.js';
import { isoDateTime } from '../../../src/core/clock.js';
import type { Correlation } from '../../../src/core/journal.js';
import { resultOf } from '../../../src/wire/soap.js';
import { childrenNamed, textOf } from '../../../src/wire/xml.js';
import { NODO_ID } from '../faults.js';
import type { OldCtx } from './context.js';
import { readBase64Doc, relayContent, toBase64 } from './docs.js';
import { oldFault } from './faults.js';
import type { RtKeys } from './push-script.js';
import { OLD_PULL_POLL_WAITS_MS } from '../../../domain/timeouts.js';
import { deliverRt } from './psp.js';
import { checkRt } from './rt-intake.js';

export interface PullOptions {
  /** identificativoRichiedente: the PSP whose RTs are asked for (default: the channel's first PSP) */
  idPSP?: string;
  /** modelloPagamento of the request, when the seat wants one */
  modelloPagamento?: 0 | 1 | 2 | 4;
  /** time budget on the Nodo's clock: no call starts after it (default: the PSP timeout × (1 + 2 per RT listed)) */
  deadlineMs?: number;
}

type CallOutcome = 'ok' | 'ko' | 'failed';

export interface PollOptions extends PullOptions {
  /** the waits between rounds (default OLD_PULL_POLL_WAITS_MS: at once, then TR-08's 5, 10, 20, 40, 80 s) */
  waitsMs?: readonly number[];
}

/** A poll for one RT: the rounds it took and the RT as the last round that reached it saw it. */
export interface PollResult {
  rounds: PullReport[];
  /** fetched and acknowledged (ACTC or RJCT) in a round, this poll's or an earlier one's; else the last attempt at it */
  rt?: PulledRt;
  /** when the RT was acknowledged in a round made before this poll (another RT's poll took it too) */
  earlier?: boolean;
}

export interface PulledRt extends RtKeys {
  /** pspChiediRT: the RT (ok), the PSP's KO, or no usable answer */
  fetched: { outcome: CallOutcome; faultCode?: string; reason?: string; digest?: string; idMessaggioRicevuta?: string };
  /** the Nodo's validation and pspInviaAckRT (absent when nothing could be acknowledged) */
  ack?: { stato: 'ACTC' | 'RJCT'; codiceErrore?: string; faultCode?: string; reason?: string; answer: CallOutcome; answerFault?: string; answerReason?: string };
  /** ACTC: the RT is the record's, its delivery to the EC started */
  taken: boolean;
  /** ACTC for the very RT the Nodo already held (its delivery goes on as it was) */
  held?: boolean;
}

export interface PullReport {
  idChannel: string;
  idPSP: string;
  /** when pspChiediListaRT was sent (the Nodo's clock) */
  at: number;
  list: { outcome: CallOutcome | 'empty'; faultCode?: string; reason?: string; items: RtKeys[] };
  rts: PulledRt[];
  /** listed but not fetched: the time budget ran out */
  skipped: RtKeys[];
}

const keysOf = (k: RtKeys) => ({ identificativoDominio: k.idDominio, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp });
const same = (a: RtKeys, b: RtKeys) => a.idDominio === b.idDominio && a.iuv === b.iuv && a.ccp === b.ccp;

export class RtPull {
  private readonly log: PullReport[] = [];

  constructor(private readonly c: OldCtx) {}

  /** One PULL round on the channel (OLD-RT-PULL-01/02). Throws only for a channel the registry lacks. */
  async pullRts(idChannel: string, o: PullOptions = {}): Promise<PullReport> {
    const c = this.c;
    const channel = c.reg.channels.find((x) => x.idChannel === idChannel);
    if (!channel) throw new Error(`pullRts: channel ${idChannel} is not registered`);
    const idPSP = o.idPSP ?? channel.psps[0] ?? '';
    const t = c.timeouts.psp;
    const report: PullReport = { idChannel, idPSP, at: c.clock.now(), list: { outcome: 'failed', items: [] }, rts: [], skipped: [] };
    this.log.push(report);
    report.list = await this.list(channel, idPSP, o, `PULL: the RTs of PSP ${idPSP} on channel ${idChannel}`);
    const deadline = report.at + (o.deadlineMs ?? t * (1 + 2 * report.list.items.length));
    for (const k of report.list.items) {
      if (c.clock.now() > deadline) report.skipped.push(k);
      else report.rts.push(await this.fetch(channel, idPSP, k));
    }
    return structuredClone(report);
  }

  /**
   * Polls the channel for the RT `want` picks, on the schedule (OLD_PULL_POLL_WAITS_MS, the injected
   * clock's waits): a round at once, then one after each wait, until a round fetched and acknowledged
   * it (every RT listed is taken, as in any round). An RT an earlier round already acknowledged is not
   * asked for again.
   */
  async pollFor(idChannel: string, want: (k: RtKeys) => boolean, o: PollOptions = {}): Promise<PollResult> {
    const before = this.log.flatMap((r) => r.rts).filter((x) => want(x) && x.ack).at(-1);
    if (before) return { rounds: [], rt: structuredClone(before), earlier: true };
    const rounds: PullReport[] = [];
    let last: PulledRt | undefined;
    await this.onSchedule(o, async () => {
      const r = await this.pullRts(idChannel, o);
      rounds.push(r);
      last = r.rts.filter(want).at(-1) ?? last;
      return !!last?.ack;
    });
    return { rounds, rt: last };
  }

  /**
   * Lists the channel (pspChiediListaRT, nothing fetched) on the same schedule until the RT `want`
   * picks is in the list. A PSP queues an RT for PULL only once it has read the answer that sends it
   * there (TR-09), so a seat that needs it queued asks until it is and never races the candidate's own
   * queueing. True when listed; false at the schedule's end (the scenario's own checks then say what is
   * missing). These lists are not PULL rounds: reports() and observations() leave them out.
   */
  async waitQueued(idChannel: string, want: (k: RtKeys) => boolean, o: PollOptions = {}): Promise<boolean> {
    const channel = this.c.reg.channels.find((x) => x.idChannel === idChannel);
    if (!channel) throw new Error(`waitQueued: channel ${idChannel} is not registered`);
    const idPSP = o.idPSP ?? channel.psps[0] ?? '';
    return this.onSchedule(o, async () => (await this.list(channel, idPSP, o, 'PULL: is the RT queued yet? (TR-09)')).items.some(want));
  }

  /** Rounds until one says it is done: at once, then after each wait (OLD_PULL_POLL_WAITS_MS by default) on the clock. */
  private async onSchedule(o: PollOptions, round: () => Promise<boolean>): Promise<boolean> {
    const waits = o.waitsMs ?? OLD_PULL_POLL_WAITS_MS;
    for (let i = 0; ; i++) {
      if (await round()) return true;
      if (i >= waits.length) return false;
      await this.c.clock.sleep(waits[i]!);
    }
  }

  /** pspChiediListaRT of one PSP on the channel: the RTs listed (a KO CANALE_RT_NON_DISPONIBILE is an empty list). */
  private async list(channel: ChannelEntry, idPSP: string, o: PullOptions, note: string): Promise<PullReport['list']> {
    const request = { identificativoRichiedente: idPSP, identificativoIntermediarioPSP: channel.idBrokerPSP, identificativoCanale: channel.idChannel, ...(o.modelloPagamento !== undefined ? { modelloPagamento: o.modelloPagamento } : {}) };
    const { verdict: v } = await this.c.calls.psp('pspChiediListaRT', channel, request, { corr: {}, timeoutMs: this.c.timeouts.psp, note });
    if (v.kind === 'ok') {
      const items = childrenNamed(v.body, 'elementoListaRTResponse').map((e) => ({ idDominio: textOf(e, 'identificativoDominio') ?? '', iuv: textOf(e, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(e, 'codiceContestoPagamento') ?? '' }));
      return { outcome: items.length ? 'ok' : 'empty', items };
    }
    if (v.kind === 'ko') return { outcome: v.fault.faultCode === 'CANALE_RT_NON_DISPONIBILE' ? 'empty' : 'ko', faultCode: v.fault.faultCode, reason: v.fault.description, items: [] };
    return { outcome: 'failed', reason: `${v.kind}: ${v.reason}`, items: [] };
  }

  /** One PULL round on every enabled channel configured for PULL (ChannelEntry.rtMode 'pull'). */
  async pullConfigured(o: Omit<PullOptions, 'idPSP'> = {}): Promise<PullReport[]> {
    const out: PullReport[] = [];
    for (const ch of this.c.reg.channels.filter((x) => x.rtMode === 'pull' && x.enabled && x.pspPerNodoUrl)) out.push(await this.pullRts(ch.idChannel, o));
    return out;
  }

  /** Every PULL round made, oldest first (copies). */
  reports(): PullReport[] {
    return this.log.map((r) => structuredClone(r));
  }

  /**
   * What each PULL list said about one RT, for domain/old/rt-push.ts's pull-fallback rule: the lists
   * that came back, asked of the PSP the RPT went to (another PSP's list says nothing of it).
   */
  observations(keys: RtKeys): PullObservation[] {
    const idPSP = this.c.store.find(keys.idDominio, keys.iuv, keys.ccp)?.psp.idPSP;
    return this.log
      .filter((r) => (r.list.outcome === 'ok' || r.list.outcome === 'empty') && (idPSP === undefined || r.idPSP === idPSP))
      .map((r) => ({ at: r.at, listed: r.list.items.some((k) => same(k, keys)) }));
  }

  private async fetch(channel: ChannelEntry, idPSP: string, k: RtKeys): Promise<PulledRt> {
    const c = this.c;
    const corr = { idDominio: k.idDominio, iuv: k.iuv, ccp: k.ccp };
    const out: PulledRt = { ...k, fetched: { outcome: 'failed' }, taken: false };
    const { result, verdict: v } = await c.calls.psp('pspChiediRT', channel, keysOf(k), { corr, timeoutMs: c.timeouts.psp, note: 'PULL: fetch one RT' });
    // an envelope valid but an RT that breaks its XSD is the RT's fault (RJCT V-01), not the channel's
    const msg = result?.decoded?.ok ? result.decoded.msg : undefined;
    const badRt = v.kind === 'invalid' && msg?.envelopeXsd?.valid && msg.op?.name === 'pspChiediRT' ? msg.documents?.find((d) => !d.xsd.valid) : undefined;
    let rtB64: string | undefined;
    if (badRt) rtB64 = textOf(resultOf(msg!.body, msg!.op), 'rt');
    else if (v.kind === 'ok') rtB64 = textOf(v.body, 'rt');
    else {
      out.fetched = v.kind === 'ko' ? { outcome: 'ko', faultCode: v.fault.faultCode, reason: v.fault.description } : { outcome: 'failed', reason: `${v.kind}: ${v.reason}` };
      return out;
    }
    if (!rtB64) {
      out.fetched = { outcome: 'failed', reason: 'esito OK without an rt' };
      return out;
    }
    const xml = Buffer.from(rtB64.replace(/\s+/g, ''), 'base64').toString('utf8');
    out.fetched = { outcome: 'ok', digest: createHash('sha256').update(xml).digest('hex'), idMessaggioRicevuta: /<(?:[\w-]+:)?identificativoMessaggioRicevuta>([^<]*)</.exec(xml)?.[1] };
    // the very RT the Nodo holds already (pushed, answered PPT_STAZIONE_INT_PA_*, then queued by the PSP
    // as TR-09 asks): it is in the Nodo's charge, ACTC, and its delivery goes on as it was
    const held = c.store.find(k.idDominio, k.iuv, k.ccp)?.rt;
    if (held && !badRt && createHash('sha256').update(held.xml).digest('hex') === out.fetched.digest) {
      out.held = true;
      await this.ack(channel, k, corr, ackFor(held.doc, { now: c.clock.now(), mittenteACK: NODO_ID, mittenteMessaggioReferenziato: idPSP.slice(0, 25) }), out, undefined);
      return out;
    }
    const checked = badRt
      ? { ok: false as const, rule: 'V-01', fault: oldFault('PPT_SINTASSI_XSD', `V-01: ${badRt.xsd.errors.slice(0, 2).join('; ')}`) }
      : checkRt(c, { ...k, idPSP: channel.psps, rt: rtB64, tipoFirma: v.kind === 'ok' ? textOf(v.body, 'tipoFirma') : undefined });
    const now = c.clock.now();
    const mittente = idPSP.slice(0, 25);
    let ack: AckRt;
    if (checked.ok) {
      ack = ackFor(checked.rt.doc, { now, mittenteACK: NODO_ID, mittenteMessaggioReferenziato: mittente });
      const rec = checked.rec;
      rec.rt = { ...checked.rt, generated: false, forced: false, at: now };
      c.store.move(rec, 'RT_ACCETTATA_NODO', `RT ${checked.rt.idMessaggio} fetched from the PULL queue of ${idPSP} (codiceEsitoPagamento ${checked.rt.codiceEsito})`);
      out.taken = true;
    } else {
      const rejection = { codiceErrore: checked.rule, InformazioniAggiuntive: [checked.fault.faultCode, (checked.fault.description ?? '').slice(0, 140)].filter(Boolean) };
      ack = {
        identificativoACK: `ACK${now.toString(36)}${k.iuv}`.slice(0, 35),
        dataOraACK: isoDateTime(now),
        mittenteACK: NODO_ID,
        datiMessaggioReferenziato: {
          ...keysOf(k),
          identificativoMessaggioReferenziato: (out.fetched.idMessaggioRicevuta || 'n/d').slice(0, 35),
          dataOraMessaggioReferenziato: /<(?:[\w-]+:)?dataOraMessaggioRicevuta>([^<]*)</.exec(xml)?.[1] ?? isoDateTime(now),
          tipologiaMessaggioReferenziato: 'RT',
          mittenteMessaggioReferenziato: mittente,
        },
        informazioniStatoMessaggioReferenziato: { statoMessaggioReferenziato: 'RJCT', motivazioneStatoErrato: rejection },
      };
    }
    await this.ack(channel, k, corr, ack, out, checked.ok ? undefined : checked);
    // the RT is the Nodo's once acknowledged: on to the EC (the PSP's own answer to the ACK aside)
    if (checked.ok) void deliverRt(c, checked.rec, `RT fetched with pspChiediRT from ${idPSP}`);
    return out;
  }

  /** pspInviaAckRT with this ackRT; its outcome into the report. */
  private async ack(channel: ChannelEntry, k: RtKeys, corr: Correlation, ack: AckRt, out: PulledRt, refusal: { rule: string; fault: { faultCode: string; description?: string } } | undefined): Promise<void> {
    const { verdict: av } = await this.c.calls.psp('pspInviaAckRT', channel, { ...keysOf(k), ackRT: relayContent(readBase64Doc(toBase64(ackXml(ack)), 'ackRT').el) }, { corr, timeoutMs: this.c.timeouts.psp, note: `PULL: ackRT ${refusal ? `RJCT (${refusal.rule})` : 'ACTC'}` });
    out.ack = {
      stato: refusal ? 'RJCT' : 'ACTC',
      ...(refusal ? { codiceErrore: refusal.rule, faultCode: refusal.fault.faultCode, reason: refusal.fault.description } : {}),
      answer: av.kind === 'ok' ? 'ok' : av.kind === 'ko' ? 'ko' : 'failed',
      ...(av.kind === 'ko' ? { answerFault: av.fault.faultCode } : av.kind !== 'ok' ? { answerReason: `${av.kind}: ${av.reason}` } : {}),
    };
  }
}
