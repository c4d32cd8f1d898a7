// The wire contracts collaudo speaks, one folder each. Adding an interface is a new folder and one
// line in INTERFACES. The bound helpers below decode and correlate with every interface listed here;
// an endpoint that serves one interface dispatches among that interface's operations only.
import type { Correlation } from '../src/core/journal.js';
import { type InterfacePack, type Operation, correlate, mergeRules, operationByElement as byElement } from '../src/wire/contract.js';
import { type DecodeOptions, type DecodeResult, SOAPENV_NS, decodeEnvelope as decodeWith, decodeMessage as decodeMessageWith } from '../src/wire/soap.js';
import type { El } from '../src/wire/xml.js';
import { COMMON_TYPES_NS } from './new/common.js';
import { nodeForPa } from './new/nodeForPa/index.js';
import { nodeForPsp } from './new/nodeForPsp/index.js';
import { paForNode } from './new/paForNode/index.js';
import { pspForNode } from './new/pspForNode/index.js';
import { OLD_INTERFACES, PPTHEAD_NS, PPT_NS, nodoPerPa, nodoPerPsp, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, nodoPerPspRichiestaAvvisi, pspPerNodo } from './old/index.js';

export const INTERFACES: readonly InterfacePack[] = [
  paForNode,
  nodeForPsp,
  pspForNode,
  nodeForPa,
  ...OLD_INTERFACES,
];

export { paForNode, nodeForPsp, pspForNode, nodeForPa };
export { OLD_INTERFACES, nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, nodoPerPsp, nodoPerPspRichiestaAvvisi, pspPerNodo };
export type { InterfacePack, Operation };

export type InterfaceName =
  | 'paForNode'
  | 'nodeForPsp'
  | 'pspForNode'
  | 'nodeForPa'
  | 'NodoPerPa'
  | 'PaPerNodo'
  | 'PaPerNodoPagamentoPsp'
  | 'PaPerNodoRichiestaAvvisi'
  | 'NodoPerPsp'
  | 'NodoPerPspRichiestaAvvisi'
  | 'PspPerNodo';

/**
 * A new-model operation with the old model's name and body element (the reporting flow's legacy-named
 * primitives in nodeForPsp and nodeForPa): only the endpoint path tells it from the old model's.
 */
export function sharesOldElement(o: Operation): boolean {
  return o.pack.model !== 'old' && OLD_INTERFACES.some((k) => k.operations.some((x) => x.ns === o.ns && x.request === o.request));
}

const LISTED_OPERATIONS = INTERFACES.flatMap((i) => i.operations);
/** Every operation; those sharing an old-model element come last, so that a lookup by element alone finds the old model's. */
export const ALL_OPERATIONS: readonly Operation[] = [...LISTED_OPERATIONS.filter((o) => !sharesOldElement(o)), ...LISTED_OPERATIONS.filter(sharesOldElement)];

/** Operations by name (unique but for the legacy-named ones shared by both models: the old model's here; take the new model's from its pack). */
export const OPERATIONS: Record<string, Operation> = Object.fromEntries(ALL_OPERATIONS.filter((o) => !sharesOldElement(o)).map((o) => [o.name, o]));

export const NS = {
  soapenv: SOAPENV_NS,
  paForNode: paForNode.ns,
  nodeForPsp: nodeForPsp.ns,
  pspForNode: pspForNode.ns,
  common: COMMON_TYPES_NS,
  /** the old model's body namespace (every old-model interface) and its SOAP header namespace */
  ppt: PPT_NS,
  ppthead: PPTHEAD_NS,
} as const;

/** The interface named so. */
export function interfaceNamed(name: string): InterfacePack | undefined {
  return INTERFACES.find((i) => i.name === name);
}

/** The operation whose request (or response) element is `{ns}local`, among every interface listed. */
export function operationByElement(ns: string | null, local: string): { op: Operation; kind: 'request' | 'response' } | undefined {
  return byElement(ALL_OPERATIONS, ns, local);
}

const RULE = mergeRules(INTERFACES);

/** Correlation keys of a body, by the rules of every interface listed. */
export function correlationOf(el: El | undefined): Correlation {
  return correlate(el, RULE);
}

/** Decodes an envelope whose operation may be any listed (journal readers, tests). */
export function decodeEnvelope(raw: Buffer | string, opts: DecodeOptions = {}): DecodeResult {
  return decodeWith(raw, { ops: ALL_OPERATIONS, ...opts });
}

export function decodeMessage(bytes: Buffer, opts: DecodeOptions = {}): { text: string; decoded: DecodeResult } {
  return decodeMessageWith(bytes, { ops: ALL_OPERATIONS, ...opts });
}
