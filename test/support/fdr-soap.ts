// What the SOAP reconciliation tests share: the old-model world of old-nodo.ts (its Nodo, its registry,
// a VirtualClock) with a second EC, station and PSP, the new-model Nodo on the same registry, clock and
// flow store, flows built with the project's codec, and calls to both Nodos' flow primitives.
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import type { FlowLine, ReportingFlow } from '../../domain/fdr/types.js';
import { flowXml } from '../../domain/fdr/document.js';
import { newFlowId } from '../../domain/fdr/ids.js';
import { type CallResult, soapCall } from '../../src/wire/http.js';
import { type FaultBean, encodeEnvelope, outcomeOf, readFault } from '../../src/wire/soap.js';
import { type El, type NodeObj, textOf } from '../../src/wire/xml.js';
import { nodeForPa, nodeForPsp } from '../../interfaces/index.js';
import { ReferenceNodo } from '../../actors/nodo/index.js';
import { BROKER, EC, PASSWORD, STATION, type World, world } from './old-nodo.js';

export { BROKER, EC, PASSWORD, STATION };
export const PSP = HARNESS_PSP;
/** a second EC served by its own station (not by STATION) */
export const EC_2 = '88888888888';
export const STATION_2 = '88888888888_01';
export const PASSWORD_2 = 'stazione_02';
/** a second PSP, registered, with no channel of its own */
export const PSP_2 = 'BPSPTEST002';
/** a registered EC, disabled */
export const EC_OFF = '66666666666';

export interface Answer {
  r: CallResult;
  body: El;
  esito?: string;
  fault?: FaultBean;
}

export interface FdrWorld extends World {
  /** the new-model Nodo, on the old one's registry, clock and flow store */
  nodoNew: ReferenceNodo;
  /** a call to the new-model Nodo: nodeForPsp's or nodeForPa's operation */
  newCall(op: string, content: NodeObj, o?: { soapAction?: string; timeoutMs?: number }): Promise<Answer>;
}

export async function fdrWorld(): Promise<FdrWorld> {
  const w = await world();
  w.reg.ecs.push(
    { fiscalCode: EC_2, companyName: 'Comune Secondo', enabled: true, ibans: [], stations: [{ idStation: STATION_2, auxDigit: 3, code: '02' }] },
    { fiscalCode: EC_OFF, companyName: 'Comune Spento', enabled: false, ibans: [], stations: [{ idStation: STATION, auxDigit: 3, code: '03' }] },
  );
  w.reg.brokersPa.push({ idBrokerPA: EC_2, enabled: true });
  w.reg.stations.push({ idStation: STATION_2, idBrokerPA: EC_2, enabled: true, serviceActive: true, url: 'http://127.0.0.1:9/unused', version: 1, password: PASSWORD_2 });
  w.reg.psps.push({ idPSP: PSP_2, enabled: true, companyName: 'Banca Seconda', fiscalCode: '12345678901' });
  const nodoNew = new ReferenceNodo({ clock: w.clock, registry: w.reg, journal: () => undefined, flows: w.nodo.flows });
  await nodoNew.start();
  const newCall = async (name: string, content: NodeObj, o: { soapAction?: string; timeoutMs?: number } = {}): Promise<Answer> => {
    const op = [...nodeForPsp.operations, ...nodeForPa.operations].find((x) => x.name === name)!;
    const url = op.pack === nodeForPa ? nodoNew.nodeForPaUrl : nodoNew.url;
    const r = await soapCall({ url, op, envelope: encodeEnvelope(op, 'request', content), from: 'test', to: 'nodo', timeoutMs: o.timeoutMs ?? 30_000, clock: w.clock, soapAction: o.soapAction ?? op.soapAction });
    if (!r.decoded?.ok) throw new Error(`no SOAP answer: ${r.transport} ${r.status} ${r.raw?.slice(0, 300)}`);
    if (!r.decoded.msg.xsd.valid) throw new Error(`the Nodo's ${op.response} is not valid: ${r.decoded.msg.xsd.errors.join('; ')}`);
    const body = r.decoded.msg.body;
    return { r, body, esito: outcomeOf(body, op), fault: readFault(body, op) };
  };
  return {
    ...w,
    nodoNew,
    newCall,
    close: async () => {
      await nodoNew.stop();
      await w.close();
    },
  };
}

let seq = 0;
const line = (i: number, over: Partial<FlowLine> = {}): FlowLine => ({ iuv: `0100000000${String(i).padStart(7, '0')}`, iur: `IUR${i}`, index: 1, amountCents: 1000 + i, outcomeCode: '0', date: '2026-11-22', ...over });

/** A flow of PSP to EC (a fresh identifier each call) with `n` lines, valid unless edited. */
export function flow(o: { n?: number; ec?: string; idPSP?: string; flowDate?: string } & Partial<ReportingFlow> = {}): ReportingFlow {
  seq++;
  const { n, ec: toEc, ...over } = o;
  const idPSP = o.idPSP ?? PSP.idPSP;
  const ec = toEc ?? EC;
  const lines = Array.from({ length: n ?? 2 }, (_, i) => line(seq * 10 + i));
  return {
    flowId: newFlowId(idPSP, '2026-11-22', `S${seq}`),
    flowDate: o.flowDate ?? '2026-11-23T10:00:00',
    idPSP,
    sender: { idType: 'B', id: 'CLLDITMMXXX', name: 'Collaudo Test PSP' },
    ecFiscalCode: ec,
    receiver: { idType: 'G', id: ec, name: 'Comune' },
    regulationId: `SCT${seq}`,
    regulationDate: '2026-11-23',
    totalCount: lines.length,
    totalCents: lines.reduce((s, l) => s + l.amountCents, 0),
    lines,
    ...over,
  };
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** nodoInviaFlussoRendicontazione's content for a flow (its document by the codec unless `xml` is given). */
export function upload(f: ReportingFlow, o: { flowId?: string; flowDate?: string; ec?: string; xml?: string; base64?: string; password?: string; idPSP?: string } = {}): NodeObj {
  return {
    identificativoPSP: o.idPSP ?? PSP.idPSP,
    identificativoIntermediarioPSP: PSP.idBrokerPSP,
    identificativoCanale: PSP.idChannel,
    password: o.password ?? PSP.password,
    identificativoDominio: o.ec ?? f.ecFiscalCode,
    identificativoFlusso: o.flowId ?? f.flowId,
    dataOraFlusso: o.flowDate ?? f.flowDate,
    xmlRendicontazione: o.base64 ?? b64(o.xml ?? flowXml(f)),
  };
}

/** nodoChiediStatoFlussoRendicontazione's content. */
export function stateOf(flowId: string, o: { idPSP?: string } = {}): NodeObj {
  return { identificativoPSP: o.idPSP ?? PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password, identificativoFlusso: flowId };
}

/** The station fields of the EC's list / download (STATION by default). */
export function station(o: { station?: string; broker?: string; password?: string; ec?: string; idPSP?: string; flowId?: string } = {}): NodeObj {
  return {
    identificativoIntermediarioPA: o.broker ?? BROKER,
    identificativoStazioneIntermediarioPA: o.station ?? STATION,
    password: o.password ?? PASSWORD,
    ...(o.ec !== undefined ? { identificativoDominio: o.ec } : {}),
    ...(o.idPSP !== undefined ? { identificativoPSP: o.idPSP } : {}),
    ...(o.flowId !== undefined ? { identificativoFlusso: o.flowId } : {}),
  };
}

/** The flows a list answer names: identificativoFlusso → dataOraFlusso. */
export function listed(body: El): Record<string, string> {
  const e = body.children.find((c) => c.name === 'elencoFlussiRendicontazione');
  const out: Record<string, string> = {};
  for (const x of e?.children.filter((c) => c.name === 'idRendicontazione') ?? []) out[textOf(x, 'identificativoFlusso') ?? ''] = textOf(x, 'dataOraFlusso') ?? '';
  if (e && Number(textOf(e, 'totRestituiti')) !== Object.keys(out).length) throw new Error(`totRestituiti ${textOf(e, 'totRestituiti')} but ${Object.keys(out).length} flows listed`);
  return out;
}

/** The document a download answer carries, decoded. */
export function downloaded(body: El): string {
  return Buffer.from(textOf(body, 'xmlRendicontazione') ?? '', 'base64').toString('utf8');
}
