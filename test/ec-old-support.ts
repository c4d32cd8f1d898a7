// Fixtures of the old-model reference EC's self-tests (test/ec-old*.test.ts): the EC on a real socket
// with a VirtualClock, a stub Nodo serving /NodoPerPa through the one SOAP pipeline (answers OK,
// records what the EC sends, each document decoded), and calls to the station's endpoints that
// assert every answer is valid against our schemas.
import { expect } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, type Operation } from '../interfaces/index.js';
import { type RunningServer, startSoapServer } from '../src/wire/http.js';
import { type FaultBean, decodeEnvelope, encodeEnvelope, outcomeOf, readFault, resultOf } from '../src/wire/soap.js';
import { type RequestMessage, serveSoap } from '../src/wire/soap-endpoint.js';
import { type El, type NodeObj, child, textOf } from '../src/wire/xml.js';
import { type Rpt, type Rt, fromBase64, readRpt, readRr, rrFor, rrXml, rtFor, rtXml, toBase64, erFor, erXml, type Rr, type Er, readEr } from '../domain/old/index.js';
import { ReferenceEc, type ReferenceEcOptions } from '../candidates/ec/index.js';
import type { EcDefect } from '../candidates/ec/defects.js';
import type { OldEcDefect } from '../candidates/ec/old/defects.js';
import { BANK, BANK2, BROKER, FC, POSTAL, SECONDARY, SECONDARY_BANK, SEG, STATION } from './support/ec-reference.js';

export { FC, BROKER, STATION, SECONDARY };
export const PASSWORD = 'stazione01pwd';

export const clock = new VirtualClock();

export async function startEc(defects: (EcDefect | OldEcDefect)[] = [], extra: Pick<ReferenceEcOptions, 'chargeBack' | 'journal' | 'nodo'> = {}): Promise<ReferenceEc> {
  const ec = new ReferenceEc({
    clock, idPA: FC, idBrokerPA: BROKER, idStation: STATION, companyName: 'Comune di Collaudo', officeName: 'Ufficio Tributi', segregationCode: SEG,
    ibans: [BANK, BANK2, POSTAL], secondaryEcs: [{ fiscalCode: SECONDARY, companyName: 'Provincia di Collaudo', ibans: [SECONDARY_BANK] }],
    defects, host: '127.0.0.1', port: 0, ...extra,
  });
  await ec.start();
  return ec;
}

/** What the stub Nodo received: the operation, its body and header, the documents decoded. */
export interface NodoCall {
  op: string;
  body: El;
  header?: El;
  at: number;
  rpts: Rpt[];
  rr?: Rr;
  er?: Er;
  xsdValid: boolean;
  xsdErrors: string[];
}

/** A stub Nodo on /NodoPerPa: answers OK (or what a test sets), records every call. */
export class StubNodo {
  readonly calls: NodoCall[] = [];
  /** per operation: the answer content (default: OK) */
  readonly answers = new Map<string, (m: RequestMessage) => NodeObj>();
  private server?: RunningServer;
  private waiters: (() => void)[] = [];
  session = 0;

  async start(): Promise<string> {
    this.server = await startSoapServer({
      name: 'nodo', clock, interfaces: [nodoPerPa], host: '127.0.0.1', port: 0,
      handle: (req) =>
        serveSoap(
          {
            interfaces: [nodoPerPa],
            codes: { syntax: 'PPT_SINTASSI_EXTRAXSD', document: 'PPT_SINTASSI_XSD', internal: 'PPT_SYSTEM_ERROR' },
            fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id: 'NodoDeiPagamentiSPC', description: r.description }),
            skip: { caller: true, schema: true },
            handle: (m) => {
              const d = req.decoded.ok ? req.decoded.msg : undefined;
              this.calls.push({
                op: m.op.name, body: m.body, header: m.header, at: clock.now(),
                rpts: rptsOf(m.body), rr: textOf(m.body, 'rr') ? readRr(fromBase64(textOf(m.body, 'rr')!)) : undefined,
                er: textOf(m.body, 'er') ? readEr(fromBase64(textOf(m.body, 'er')!)) : undefined,
                xsdValid: d?.xsd.valid ?? false, xsdErrors: d?.xsd.errors ?? [],
              });
              const w = this.waiters;
              this.waiters = [];
              w.forEach((f) => f());
              return this.answers.get(m.op.name)?.(m) ?? this.ok(m.op);
            },
          },
          req,
        ),
    });
    return `${this.server.url}/NodoPerPa`;
  }

  private ok(op: Operation): NodeObj {
    switch (op.name) {
      case 'nodoInviaRPT':
        return { esito: 'OK', redirect: 0 };
      case 'nodoInviaCarrelloRPT':
        return { esitoComplessivoOperazione: 'OK', url: `http://wisp.example/wallet?idSession=SESS${++this.session}` };
      case 'nodoChiediStatoRPT':
        return { esito: { stato: 'RT_ACCETTATA_PA' } };
      case 'nodoChiediListaPendentiRPT':
        return { listaRPTPendenti: { totRestituiti: 0 } };
      case 'nodoChiediInformativaPSP':
        return { xmlInformativa: toBase64('<listaInformativePSP/>') };
      case 'nodoChiediCopiaRT':
        return { fault: { faultCode: 'PPT_RT_SCONOSCIUTA', faultString: 'RT sconosciuta', id: 'NodoDeiPagamentiSPC' } };
      default:
        return { esito: 'OK' };
    }
  }

  of(op: string): NodoCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** Resolves when a call of `op` satisfying `pred` arrived (real deadline: the EC acts on events). */
  async waitFor(op: string, pred: (c: NodoCall) => boolean = () => true, ms = 5000): Promise<NodoCall> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.calls.find((c) => c.op === op && pred(c));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`the stub Nodo never received ${op}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}

function rptsOf(body: El): Rpt[] {
  const one = textOf(body, 'rpt');
  if (one) return [readRpt(fromBase64(one))];
  const list = child(body, 'listaRPT');
  return (list?.children ?? []).map((e) => readRpt(fromBase64(textOf(e, 'rpt') ?? '')));
}

const OPS = [...paPerNodo.operations, ...paPerNodoPagamentoPsp.operations, ...paPerNodoRichiestaAvvisi.operations];
const opNamed = (n: string) => OPS.find((o) => o.name === n)!;

export interface StationAnswer {
  status: number;
  raw: string;
  esito?: string;
  fault?: FaultBean;
  result?: El;
}

/** Calls a station operation on the EC (real HTTP) and checks the answer against our schema. */
export async function callStation(ec: ReferenceEc, opName: string, content: NodeObj, header?: NodeObj, o: { raw?: string } = {}): Promise<StationAnswer> {
  const op = opNamed(opName);
  const envelope = o.raw ?? encodeEnvelope(op, 'request', content, header);
  const res = await fetch(`${ec.baseUrl}${op.pack.path}`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: `"${op.soapAction}"` }, body: envelope });
  const raw = await res.text();
  const d = decodeEnvelope(raw, { ops: OPS });
  if (!d.ok || d.msg.soapFault) return { status: res.status, raw };
  expect(d.msg.xsd.errors, `the ${opName} answer is valid against ${op.pack.name}.xsd`).toEqual([]);
  const fault = readFault(d.msg.body, op);
  // every KO of the station is HTTP 200 with a faultString in words (not the code again) and the faultBean's id
  if (fault) expect([res.status, fault.faultString !== fault.faultCode, fault.id.length > 0], `${fault.faultCode} answered as the EC's fault table says`).toEqual([200, true, true]);
  return { status: res.status, raw, esito: outcomeOf(d.msg.body, op), fault, result: resultOf(d.msg.body, op) };
}

/** intestazionePPT of this station. */
export const ppt = (iuv: string, ccp: string, idDominio = FC, over: NodeObj = {}): NodeObj => ({
  identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, ...over,
});

export const PSP = { identificativoPSP: 'BCITITMM', identificativoIntermediarioPSP: '00799960158', identificativoCanale: '00799960158_01' };

export function attivaBody(amount: string): NodeObj {
  return { identificativoPSP: PSP.identificativoPSP, datiPagamentoPSP: { importoSingoloVersamento: amount }, identificativoIntermediarioPSP: PSP.identificativoIntermediarioPSP, identificativoCanalePSP: PSP.identificativoCanale };
}

/** A payable (or other state) position: its IUV and amount. */
export function position(ec: ReferenceEc, state: 'payable' | 'paid' | 'expired' | 'cancelled' | 'in-progress' = 'payable', amountCents = 12050): { iuv: string; noticeNumber: string; amountCents: number } {
  const p = ec.provision({ state, amountCents });
  return { iuv: p.noticeNumber.slice(1), noticeNumber: p.noticeNumber, amountCents };
}

/** The RT a PSP would send for an RPT (domain/old rtFor), as the base64 of paaInviaRT. */
export function rtB64(rpt: Rpt, outcome: 'positive' | 'negative' = 'positive', tweak: (rt: Rt) => void = () => undefined): string {
  const rt = rtFor(rpt, outcome, { now: clock.now() });
  tweak(rt);
  return toBase64(rtXml(rt));
}

export function rtOf(rpt: Rpt, outcome: 'positive' | 'negative' = 'positive'): Rt {
  return rtFor(rpt, outcome, { now: clock.now() });
}

/** The RR of a PSP revoca for an RT (tipoRevoca 1 annullo tecnico / 2 charge-back). */
export function rrB64(rt: Rt, tipoRevoca: '1' | '2'): string {
  return toBase64(rrXml(rrFor(rt, { now: clock.now(), tipoRevoca })));
}

/** The ER a PSP would answer a storno RR with. */
export function erB64(rr: Rr, outcome: 'accepted' | 'refused' = 'accepted', tweak: (x: ReturnType<typeof erFor>) => void = () => undefined): string {
  const er = erFor(rr, { now: clock.now(), outcome });
  tweak(er);
  return toBase64(erXml(er));
}

/** Activation, then the RPT the EC sends (at the stub), then the positive RT delivered: the EC holds a paid attempt. */
export async function paidAttempt(ec: ReferenceEc, nodo: StubNodo, ccp: string): Promise<{ iuv: string; rpt: Rpt; rt: Rt }> {
  const p = position(ec);
  const a = await callStation(ec, 'paaAttivaRPT', attivaBody((p.amountCents / 100).toFixed(2)), ppt(p.iuv, ccp));
  expect(a.esito).toBe('OK');
  const call = await nodo.waitFor('nodoInviaRPT', (c) => c.rpts[0]?.datiVersamento.identificativoUnivocoVersamento === p.iuv);
  const rpt = call.rpts[0]!;
  const rt = rtOf(rpt);
  const r = await callStation(ec, 'paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(rt)) }, ppt(p.iuv, rpt.datiVersamento.codiceContestoPagamento));
  expect(r.esito).toBe('OK');
  return { iuv: p.iuv, rpt, rt };
}

/** A trigger request of seat ec (contract collaudo-trigger/1). */
export function triggerRequest(action: string, params: Record<string, unknown>, id = `r${Math.random().toString(36).slice(2, 10)}`): Record<string, unknown> {
  return { contract: 'collaudo-trigger/1', requestId: id, scenarioId: 'OLD-EC-PAY-01', seat: 'ec', action, fiscalCode: FC, deadline: new Date(clock.now() + 60_000).toISOString(), deadlineMs: 60_000, params };
}

export async function trigger(ec: ReferenceEc, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${ec.baseUrl}/collaudo/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
