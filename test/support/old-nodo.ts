// What the old-model Nodo's tests share: a registry with one old-model station and the harness PSP's
// channel, an EC stub (PaPerNodo, PaPerNodoPagamentoPsp) and a PSP stub (PspPerNodo) whose answers a
// test scripts per operation, the Nodo on a VirtualClock, and a client that calls the Nodo.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VirtualClock } from '../../src/core/clock.js';
import { Journal } from '../../src/core/journal.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { type CallResult, type RunningServer, soapCall, startSoapServer } from '../../src/wire/http.js';
import { type FaultBean, encodeEnvelope, koFor, outcomeOf, readErrorList, readFault, resultOf } from '../../src/wire/soap.js';
import { serveSoap } from '../../src/wire/soap-endpoint.js';
import type { El, NodeObj } from '../../src/wire/xml.js';
import type { Operation } from '../../src/wire/contract.js';
import { type Registry, harnessPspEntries } from '../../domain/registry.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import { type Rpt, type Rt, readRpt, rptXml, rtFor, rtXml, toBase64 } from '../../domain/old/index.js';
import { OPERATIONS, paPerNodo, paPerNodoPagamentoPsp, pspPerNodo } from '../../interfaces/index.js';
import { OldNodo, type OldNodoConfig } from '../../actors/nodo/index.js';

export const EC = '77777777777';
export const BROKER = '77777777777';
export const STATION = '77777777777_01';
export const PASSWORD = 'stazione_01';
export const IBAN_1 = 'IT61X0306909606100000012345';
export const IBAN_2 = 'IT34X0306909606100000012346';
export const RETURN_URL = 'http://ec.example/ritorno';
export const PSP = HARNESS_PSP;

const SAMPLE = readRpt(readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'xsd-samples', 'old', 'RPT.valid.xml')));

let seq = 0;
/** A fresh IUV of the station's segregation code 01 (aux 3: 17 digits) and a CCP. */
export function keys(): { iuv: string; ccp: string } {
  seq++;
  return { iuv: `01${String(Date.now() % 1e9).padStart(9, '0')}${String(seq).padStart(6, '0')}`, ccp: `CCP${seq}` };
}

/** An RPT of the sample, with these keys (and edits). */
export function rpt(k: { iuv: string; ccp: string }, edit: (r: Rpt) => void = () => undefined): Rpt {
  const r = structuredClone(SAMPLE);
  r.datiVersamento.identificativoUnivocoVersamento = k.iuv;
  r.datiVersamento.codiceContestoPagamento = k.ccp;
  r.identificativoMessaggioRichiesta = `MSG${k.iuv.slice(-8)}${k.ccp}`;
  edit(r);
  return r;
}

export function rtOf(r: Rpt, outcome: 'positive' | 'negative', now: number): Rt {
  return rtFor(r, outcome, { now });
}

export function registry(o: { ec: string; psp: string; pspRedirect?: string; storno?: boolean }): Registry {
  const psp = harnessPspEntries();
  psp.channels[0] = { ...psp.channels[0]!, pspPerNodoUrl: `${o.psp}/PspPerNodo`, redirectUrl: o.pspRedirect ?? 'http://psp.example/pagamento', storno: o.storno ?? true };
  return {
    ecs: [{ fiscalCode: EC, companyName: 'Comune di Collaudo', enabled: true, ibans: [IBAN_1, IBAN_2], stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] }],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
    stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: `${o.ec}/unused`, version: 1, password: PASSWORD, old: { paPerNodo: `${o.ec}/PaPerNodo`, returnUrl: RETURN_URL } }],
    ...psp,
  };
}

/** A stub's answer to one request: content, a PAA_/CANALE_ KO, or answer late by `lateMs` on the clock. */
export type StubAnswer = NodeObj | { ko: Omit<FaultBean, 'faultString'> & { faultString?: string } } | { lateMs: number; then: NodeObj };
export type Script = Record<string, (body: El, header: El | undefined) => StubAnswer>;

export interface Stub {
  url: string;
  script: Script;
  seen: { op: string; body: El; header?: El; at: number }[];
  close(): Promise<void>;
}

/** The OK content of `op` (esito OK inside its result element). */
export function ok(opName: string, more: NodeObj = {}): NodeObj {
  const op = OPERATIONS[opName]!;
  const c = { ...(op.outcome ? { [op.outcome]: 'OK' } : {}), ...more };
  return op.result ? { [op.result]: c } : c;
}

async function stub(name: string, clock: VirtualClock, packs: Operation['pack'][], script: Script): Promise<Stub> {
  const s: Stub = { url: '', script, seen: [], close: async () => undefined };
  const server: RunningServer = await startSoapServer({
    name,
    clock,
    interfaces: packs,
    handle: (req) =>
      serveSoap(
        {
          interfaces: packs,
          codes: { syntax: `${name === 'ec' ? 'PAA' : 'CANALE'}_SINTASSI_EXTRAXSD` },
          fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id: 'stub', description: r.description }),
          handle: async ({ op, body, header }) => {
            s.seen.push({ op: op.name, body, header, at: clock.now() });
            const f = s.script[op.name];
            let a: StubAnswer = f ? f(body, header) : ok(op.name);
            if ('lateMs' in a) {
              await clock.spend(a.lateMs as number);
              a = a.then as NodeObj;
            }
            if ('ko' in a) {
              const k = a.ko as FaultBean;
              return koFor(op, { ...k, faultString: k.faultString ?? k.faultCode });
            }
            return a;
          },
        },
        req,
      ),
  });
  s.url = server.url;
  s.close = () => server.close();
  return s;
}

export interface World {
  clock: VirtualClock;
  nodo: OldNodo;
  ec: Stub;
  psp: Stub;
  journal: Journal;
  reg: Registry;
  /** a call to the Nodo's NodoPerPa (`header`: intestazionePPT / intestazioneCarrelloPPT content) */
  pa(op: string, content: NodeObj, header?: NodeObj): Promise<Answer>;
  /** a call to the Nodo's NodoPerPsp */
  pspCall(op: string, content: NodeObj): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  r: CallResult;
  body: El;
  result: El;
  esito?: string;
  fault?: FaultBean;
  errors: FaultBean[];
}

function answerOf(op: Operation, r: CallResult): Answer {
  if (!r.decoded?.ok) throw new Error(`no SOAP answer: ${r.transport} ${r.status} ${r.raw?.slice(0, 300)}`);
  if (!r.decoded.msg.xsd.valid) throw new Error(`the Nodo's ${op.response} is not valid: ${r.decoded.msg.xsd.errors.join('; ')}\n${r.raw}`);
  const body = r.decoded.msg.body;
  return { r, body, result: resultOf(body, op), esito: outcomeOf(body, op), fault: readFault(body, op), errors: readErrorList(body, op) };
}

export async function world(o: Partial<OldNodoConfig> & { pspRedirect?: string; storno?: boolean } = {}): Promise<World> {
  const clock = new VirtualClock();
  const ec = await stub('ec', clock, [paPerNodo, paPerNodoPagamentoPsp], {});
  const psp = await stub('psp', clock, [pspPerNodo], {});
  const reg = o.registry ?? registry({ ec: ec.url, psp: psp.url, pspRedirect: o.pspRedirect, storno: o.storno });
  const nodo = new OldNodo({ clock, ...o, registry: reg });
  const urls = await nodo.start();
  const journal = new Journal(clock);
  nodo.bind({ journal });
  const call = async (url: string, opName: string, content: NodeObj, header?: NodeObj) => {
    const op = OPERATIONS[opName]!;
    const r = await soapCall({ url, op, envelope: encodeEnvelope(op, 'request', content, header), from: 'test', to: 'nodo', timeoutMs: 30_000, clock, soapAction: op.soapAction });
    return answerOf(op, r);
  };
  return {
    clock, nodo, ec, psp, journal, reg,
    pa: (op, content, header) => call(urls.nodoPerPa, op, content, header),
    pspCall: (op, content) => call(urls.nodoPerPsp, op, content),
    close: async () => {
      await nodo.stop();
      await ec.close();
      await psp.close();
    },
  };
}

/** nodoInviaCarrelloRPT content and header for these RPTs. */
export function cart(idCarrello: string, rpts: Rpt[], o: { password?: string; station?: string; broker?: string; psp?: { idPSP: string; idBrokerPSP: string; idChannel: string } } = {}): { content: NodeObj; header: NodeObj } {
  const psp = o.psp ?? { idPSP: 'AGID_01', idBrokerPSP: '97735020584', idChannel: '97735020584_02' };
  return {
    header: { identificativoIntermediarioPA: o.broker ?? BROKER, identificativoStazioneIntermediarioPA: o.station ?? STATION, identificativoCarrello: idCarrello },
    content: {
      password: o.password ?? PASSWORD,
      identificativoPSP: psp.idPSP,
      identificativoIntermediarioPSP: psp.idBrokerPSP,
      identificativoCanale: psp.idChannel,
      listaRPT: {
        elementoListaRPT: rpts.map((r) => ({
          identificativoDominio: r.dominio.identificativoDominio,
          identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento,
          codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento,
          rpt: toBase64(rptXml(r)),
        })),
      },
    },
  };
}

/** nodoInviaRT content of the harness PSP for an RT. */
export function invioRt(rt: Rt, o: { password?: string; forza?: boolean } = {}): NodeObj {
  return {
    identificativoIntermediarioPSP: PSP.idBrokerPSP,
    identificativoCanale: PSP.idChannel,
    password: o.password ?? PSP.password,
    identificativoPSP: PSP.idPSP,
    identificativoDominio: rt.dominio.identificativoDominio,
    identificativoUnivocoVersamento: rt.datiPagamento.identificativoUnivocoVersamento,
    codiceContestoPagamento: rt.datiPagamento.CodiceContestoPagamento,
    ...(o.forza ? { forzaControlloSegno: 1 } : {}),
    rt: toBase64(rtXml(rt)),
  };
}

/** The PA caller fields of the queries (stato, copia …). */
export function paIds(o: { password?: string } = {}): NodeObj {
  return { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, password: o.password ?? PASSWORD };
}
