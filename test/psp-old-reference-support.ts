// Shared by the tests of the reference PSP's old-model side: a scripted stub Nodo (a real serveSoap on
// /NodoPerPsp and /NodoPerPspRichiestaAvvisi that validates what the PSP sends — body and carried RT/RR/ER — and answers per
// primitive as the test says), the reference PSP wired to it on a VirtualClock, and the Nodo's side
// of PspPerNodo (test/psp-old-support.ts nodoCallsPsp).
import { VirtualClock } from '../src/core/clock.js';
import { type AckRt, type Rpt, type Rt, fromBase64, readRr, readRt, rptXml, toBase64 } from '../domain/old/index.js';
import { HARNESS_PSP, HARNESS_PSP_AUTH_CHANNEL } from '../domain/harness-parties.js';
import { nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../interfaces/index.js';
import { ReferencePsp } from '../candidates/psp/reference-psp.js';
import type { OldPspDefect } from '../candidates/psp/old/index.js';
import { type RunningServer, startSoapServer } from '../src/wire/http.js';
import { type RequestMessage, serveSoap, verbatim, type Answer } from '../src/wire/soap-endpoint.js';
import { type NodeObj, child, textOf } from '../src/wire/xml.js';
import { EC, cartRequest, nodoCallsPsp, rptRequest, sampleRpt } from './psp-old-support.js';

export { EC, cartRequest, nodoCallsPsp, rptRequest, sampleRpt };
export const IDS = { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password };
export const RETURN_URL = 'http://nodo.invalid/wisp/rientro';
/** aux digit 3 + a 17-digit IUV */
/** the reference PSP's channel of payment model 2 in these tests */
export const AUTH_CHANNEL = HARNESS_PSP_AUTH_CHANNEL.idChannel;
export const NOTICE = { fiscalCode: EC, noticeNumber: '301000000000012345' };
export const NOTICE_IUV = '01000000000012345';

/** What the stub answers: content of the result element, a bare HTTP answer, or silence (the call times out). */
export type Scripted = NodeObj | 'unavailable' | 'silent';
export const ko = (faultCode: string, extra: NodeObj = {}): NodeObj => ({ fault: { faultCode, faultString: faultCode, id: 'NodoDeiPagamentiSPC', ...extra }, esito: 'KO' });
export const paaKo = (original: string, extra: NodeObj = {}): NodeObj => ({
  fault: { faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', faultString: 'Errore restituito dalla PAA', id: 'NodoDeiPagamentiSPC', originalFaultCode: original, originalFaultString: original },
  esito: 'KO',
  ...extra,
});
export const dati = (euro: string): NodeObj => ({ datiPagamentoPA: { importoSingoloVersamento: euro, ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: `/RFB/${NOTICE_IUV}/${euro}` } });

export interface Received {
  op: string;
  at: number;
  body: RequestMessage['body'];
  raw: string;
}

export class ScriptedNodo {
  readonly received: Received[] = [];
  /** per primitive, the answers in order (the last one repeats); default esito OK */
  readonly script = new Map<string, Scripted[]>();
  /** called after the answer to nodoAttivaRPT has left (the EC's RPT forwarded with pspInviaRPT) */
  afterActivation?: (m: RequestMessage, n: number) => Promise<void> | void;
  private server?: RunningServer;
  private activations = 0;
  constructor(private readonly clock: VirtualClock) {}

  on(primitive: string, ...answers: Scripted[]): this {
    this.script.set(primitive, answers);
    return this;
  }

  of(primitive: string): Received[] {
    return this.received.filter((r) => r.op === primitive);
  }

  /** The RTs the PSP sent with nodoInviaRT, read. */
  rts(): Rt[] {
    return this.of('nodoInviaRT').map((r) => readRt(fromBase64(textOf(r.body, 'rt') ?? '', 'RT')));
  }

  async start(): Promise<string> {
    this.server = await startSoapServer({
      name: 'nodo', clock: this.clock, interfaces: [nodoPerPsp, nodoPerPspRichiestaAvvisi],
      handle: (req) =>
        serveSoap(
          {
            interfaces: [nodoPerPsp, nodoPerPspRichiestaAvvisi],
            codes: { syntax: 'PPT_SINTASSI_EXTRAXSD', document: 'PPT_SINTASSI_XSD' },
            fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id: 'NodoDeiPagamentiSPC', description: r.description }),
            soapAction: 'required',
            skip: { caller: true },
            handle: (m) => this.answer(m),
          },
          req,
        ),
    });
    return `${this.server.url}/NodoPerPsp`;
  }

  private async answer(m: RequestMessage): Promise<Answer> {
    const seen = this.of(m.op.name).length;
    this.received.push({ op: m.op.name, at: this.clock.now(), body: m.body, raw: m.req.raw });
    const list = this.script.get(m.op.name) ?? [{ esito: 'OK' }];
    const a = list[Math.min(seen, list.length - 1)]!;
    if (a === 'unavailable') return verbatim({ status: 503, type: 'text/plain', body: 'Service Unavailable' });
    if (a === 'silent') return new Promise<Answer>(() => undefined);
    const esito = (a as { esito?: string }).esito;
    if (m.op.name === 'nodoAttivaRPT' && esito === 'OK' && this.afterActivation) {
      const n = ++this.activations;
      setImmediate(() => void this.afterActivation?.(m, n));
    }
    return m.op.result ? { [m.op.result]: a } : a;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}

export interface Env {
  clock: VirtualClock;
  nodo: ScriptedNodo;
  psp: ReferencePsp;
  urls: Awaited<ReturnType<ReferencePsp['start']>>;
  close(): Promise<void>;
}

export async function startEnv(o: { defects?: OldPspDefect[]; storno?: 'accept' | 'refuse' | 'unsupported'; sendRealCapMs?: number; rptWaitRealMs?: number; authChannel?: string; rtMode?: 'push' | 'pull' } = {}): Promise<Env> {
  const clock = new VirtualClock();
  const nodo = new ScriptedNodo(clock);
  const nodoUrl = await nodo.start();
  const psp = new ReferencePsp({
    clock, nodoUrl: 'http://127.0.0.1:9/nodeForPsp', ids: IDS, defects: o.defects,
    oldNodo: { nodoPerPspUrl: nodoUrl, returnUrl: RETURN_URL },
    old: { name: 'PSP di Riferimento', authChannel: o.authChannel ?? AUTH_CHANNEL, storno: o.storno, rtMode: o.rtMode, sendRealCapMs: o.sendRealCapMs ?? 2000, rptWaitRealMs: o.rptWaitRealMs ?? 300 },
  });
  const urls = await psp.start();
  return {
    clock, nodo, psp, urls,
    close: async () => {
      await psp.stop();
      await nodo.stop();
    },
  };
}

let seq = 0;
/** A fresh RPT of this many cents (its own IUV and CCP). */
export function newRpt(env: Env, cents = 15000, over: (r: Rpt) => void = () => undefined): Rpt {
  seq += 1;
  const r = sampleRpt(`0200000000000${String(seq).padStart(4, '0')}`, `CCP${String(seq).padStart(6, '0')}`, cents, env.clock);
  over(r);
  return r;
}

/** A cart forwarded by the Nodo, then the payer's choice on the page; resolves once the PSP is idle. */
export async function cartPaid(env: Env, action: 'paga' | 'annulla' = 'paga', rpts: Rpt[] = [newRpt(env)]) {
  const sent = await nodoCallsPsp(env.urls.pspPerNodoUrl, 'pspInviaCarrelloRPT', cartRequest(rpts), env.clock);
  const id = textOf(sent.inner, 'identificativoCarrello') ?? '';
  const res = await fetch(`${env.urls.paymentPageUrl}/esito`, { method: 'POST', body: new URLSearchParams({ identificativoCarrello: id, azione: action }), redirect: 'manual' });
  await env.psp.idle();
  return { sent, id, rpts, status: res.status, location: res.headers.get('location') ?? '' };
}

/** The Nodo forwarding the EC's RPT after an activation (what a real EC does after paaAttivaRPT). */
export function rptAfterActivation(env: Env, o: { bend?: (r: Rpt) => void; never?: boolean } = {}): void {
  env.nodo.afterActivation = async (m) => {
    if (o.never) return;
    const ccp = textOf(m.body, 'codiceContestoPagamento') ?? '';
    const iuv = textOf(child(child(m.body, 'codiceIdRPT'), 'QrCode'), 'CodIUV') ?? '';
    const euro = textOf(child(m.body, 'datiPagamentoPSP'), 'importoSingoloVersamento') ?? '0.00';
    const cents = Math.round(Number(euro) * 100);
    const rpt = sampleRpt(iuv, ccp, cents, env.clock);
    rpt.datiVersamento.tipoVersamento = 'PO';
    o.bend?.(rpt);
    await nodoCallsPsp(env.urls.pspPerNodoUrl, 'pspInviaRPT', rptRequest(rpt, 4), env.clock);
  };
}

/** POST /trigger with an old-psp-* request. */
export async function trigger(env: Env, action: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const req = {
    contract: 'collaudo-trigger/1', requestId: `R${++seq}`, scenarioId: 'OLD-PSP-PAY-01', action,
    fiscalCode: NOTICE.fiscalCode, noticeNumber: NOTICE.noticeNumber,
    deadline: new Date(env.clock.now() + 60_000).toISOString(), deadlineMs: 60_000, ...extra,
  };
  const r = await fetch(env.urls.triggerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

export { rptXml, toBase64, readRr };

/** ackRT's content as the interface carries it (qualified in the ACK namespace). */
export function ackContent(ack: AckRt): Record<string, unknown> {
  const q = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(q);
    if (typeof o !== 'object' || o === null) return o;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [`pay_j:${k}`, q(v)]));
  };
  return q(ack) as Record<string, unknown>;
}
