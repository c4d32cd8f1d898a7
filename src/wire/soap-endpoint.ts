// One SOAP endpoint pipeline for every part that serves an interface: Content-Type → decode result →
// garbage / SOAP Fault → operation of this endpoint and a request → schema verdict → SOAPAction →
// caller rule of the operation's interface + the part's own check → an operation the part serves →
// handler → answer (the op's style, its SOAP header when it has one) → an exception becomes the
// part's system-error KO.
// A part supplies its policy as data and hooks: its fault table (codes and faultBean id), which
// codes answer which step, what it tolerates, what its defect switches skip, and its handler.
import { type IncomingSoap, type OutgoingSoap, soapActionMismatch, xmlContentTypeProblem } from './http.js';
import type { CallerMessage, InterfacePack, Operation, Rejection } from './contract.js';
import { type FaultBean, encodeEnvelope, encodeSoapFault, headerOf, koFor } from './soap.js';
import type { El, NodeObj } from './xml.js';
import { documentLabel } from './documents.js';

export type { Rejection };

/** A request of one of the endpoint's operations, past decoding (its header validated with its body). */
export interface RequestMessage extends CallerMessage {
  op: Operation;
  req: IncomingSoap;
}

/** What cannot be attributed to an operation of the endpoint. */
export type Unattributable =
  | { kind: 'not-soap'; rule: string; message: string }
  | { kind: 'soap-fault' }
  /** a well-formed body whose element is no request of this endpoint (`{ns}local`) */
  | { kind: 'foreign'; element: string };

const REPLY = Symbol('soap-endpoint reply');
/** A handler's answer that is not plain content: a whole HTTP answer, or content with a SOAP header. */
export interface Reply {
  readonly [REPLY]: OutgoingSoap | { content: NodeObj; header?: NodeObj };
}
/** The content of the operation's response element, or a Reply. */
export type Answer = NodeObj | Reply;

/** An answer sent as is (a defect's malformed answer, a scripted raw envelope, a non-200 status). */
export function verbatim(out: OutgoingSoap): Reply {
  return { [REPLY]: out };
}
/** Response content with the operation's SOAP header content. */
export function withHeader(content: NodeObj, header: NodeObj): Reply {
  return { [REPLY]: { content, header } };
}
function isReply(a: Answer): a is Reply {
  return typeof a === 'object' && a !== null && REPLY in a;
}

export interface EndpointPolicy {
  /** the interfaces whose requests this endpoint answers */
  interfaces: readonly InterfacePack[];
  /** who answers, in texts ("the reference Nodo") */
  name?: string;
  /**
   * the fault codes of each step; without `internal`, an exception reaches the server (a SOAP Fault).
   * `document`: a base64 document (RPT, RT, RR, ER …) that is not valid against its schema, when the
   * part tells it apart from the envelope's syntax (the old Nodo: PPT_SINTASSI_XSD vs _EXTRAXSD).
   */
  codes: { syntax: string; document?: string; soapAction?: string; unserved?: string; internal?: string };
  /** the part's KO for `op`: its faultBean (code, string, its own id), or a whole answer (defects) */
  fault(op: Operation, r: Rejection, body: El | undefined): FaultBean | OutgoingSoap;
  /** IF-X-01: a non-XML Content-Type gets 415 and a SOAP Fault */
  contentType?: boolean;
  /** IF-X-02: SOAPAction must name the body's operation; `tolerate-missing` accepts none. Absent: not checked. */
  soapAction?: 'required' | 'tolerate-missing';
  /** IF-A-04: a body that cannot be attributed but whose SOAPAction names an operation here gets that operation's syntax KO */
  attributeBySoapAction?: boolean;
  /** the answer to what cannot be attributed (default: a SOAP Fault, HTTP 500); `as` answers it as a KO of an operation */
  refuse?(u: Unattributable, req: IncomingSoap): OutgoingSoap | { as: Operation; rejection: Rejection };
  /** steps a defect switch turns off */
  skip?: { schema?: boolean; soapAction?: boolean; caller?: boolean };
  /** what the interfaces' caller rules check callers against (a registry of callers) */
  callers?: unknown;
  /** operations the handler serves (default: every one of the interfaces) */
  serves?(op: Operation): boolean;
  /** the part's own check of the request after the interface's caller rule (a callee's self-check) */
  check?(m: RequestMessage): Rejection | undefined;
  /** texts and codes of the step KOs, when the part words them its own way */
  describe?: {
    /** `what` says whether the envelope or a document it carries is invalid (codes.syntax / codes.document) */
    invalid?(errors: readonly string[], m: RequestMessage, what: 'envelope' | 'document'): Rejection;
    soapAction?(given: string | undefined, op: Operation): string;
    internal?(e: Error): string;
  };
  handle(m: RequestMessage): Promise<Answer> | Answer;
}

/** Runs the pipeline on one request. */
export async function serveSoap(p: EndpointPolicy, req: IncomingSoap): Promise<OutgoingSoap> {
  const ops = p.interfaces.flatMap((k) => k.operations);
  const fail = (op: Operation, r: Rejection, body?: El): OutgoingSoap => {
    const f = p.fault(op, r, body);
    return 'faultCode' in f ? encode(op, koFor(op, f)) : f;
  };
  const refuse = (u: Unattributable): OutgoingSoap => {
    if (p.refuse) {
      const r = p.refuse(u, req);
      return 'as' in r ? fail(r.as, r.rejection) : r;
    }
    const text = u.kind === 'not-soap' ? `${u.rule}: ${u.message}` : u.kind === 'soap-fault' ? 'a SOAP Fault is not a request' : `${u.element} is not a ${p.interfaces.map((k) => k.name).join(' or ')} request`;
    const named = p.attributeBySoapAction && (u.kind === 'foreign' || (u.kind === 'not-soap' && u.rule === 'body-count')) ? ops.find((o) => o.soapAction === req.soapAction) : undefined;
    if (named) return fail(named, { code: p.codes.syntax, description: u.kind === 'not-soap' ? u.message : text });
    return { status: 500, body: encodeSoapFault('soapenv:Client', text) };
  };

  if (p.contentType) {
    const bad = xmlContentTypeProblem(req.headers);
    if (bad) return { status: 415, body: encodeSoapFault('soapenv:Client', bad) };
  }
  const d = req.decoded;
  if (!d.ok) return refuse({ kind: 'not-soap', rule: d.rule, message: d.message });
  if (d.msg.soapFault) return refuse({ kind: 'soap-fault' });
  const op = d.msg.op;
  if (!op || !ops.includes(op) || d.msg.kind !== 'request') return refuse({ kind: 'foreign', element: `{${d.msg.body.ns ?? ''}}${d.msg.body.name}` });
  const body = d.msg.body;
  const m: RequestMessage = { op, body, header: headerOf(d.msg.header, op, (h) => h.ns), headers: d.msg.header, req };

  // (1) syntax: the body and the header against their schema (IF-X-18), then each document it carries against its own
  if (!d.msg.xsd.valid && !p.skip?.schema) {
    const envelope = d.msg.envelopeXsd ?? d.msg.xsd;
    const badDocs = (d.msg.documents ?? []).filter((x) => !x.xsd.valid);
    const errors = envelope.valid ? badDocs.flatMap((x) => x.xsd.errors.map((e) => `${documentLabel(x)}: ${e}`)) : envelope.errors;
    const what = envelope.valid && badDocs.length ? 'document' : 'envelope';
    const code = what === 'document' ? (p.codes.document ?? p.codes.syntax) : p.codes.syntax;
    return fail(op, p.describe?.invalid?.(errors, m, what) ?? { code, description: errors.slice(0, 3).join('; ') }, body);
  }
  // SOAPAction names the body's operation (IF-X-02)
  if (p.soapAction && !p.skip?.soapAction) {
    const given = req.soapAction;
    const wrong = given === undefined ? p.soapAction === 'required' : given !== op.soapAction;
    if (wrong) {
      const description = p.describe?.soapAction?.(given, op) ?? soapActionMismatch(given, op) ?? `SOAPAction missing, expected "${op.soapAction}"`;
      return fail(op, { code: p.codes.soapAction ?? p.codes.syntax, description }, body);
    }
  }
  // (2) caller: the interface's rule (IF-X-16), then the part's own check (IF-X-17)
  if (!p.skip?.caller) {
    const rule = op.pack.authenticate;
    if (rule) {
      if (p.callers === undefined) throw new Error(`${op.pack.name} authenticates its callers: the endpoint must say what against (callers)`);
      const r = rule(m, p.callers as never);
      if (r) return fail(op, r, body);
    }
    const r = p.check?.(m);
    if (r) return fail(op, r, body);
  }
  // an operation not offered is said so to an authenticated caller only (every primitive has its caller faults)
  if (p.serves && !p.serves(op)) return fail(op, { code: p.codes.unserved ?? p.codes.internal ?? p.codes.syntax, description: `${op.name} is not served by ${p.name ?? 'this endpoint'}` }, body);
  // (3) the operation itself; a failure is still an answer of the operation (IF-X-10)
  try {
    const a = await p.handle(m);
    if (!isReply(a)) return encode(op, a);
    const r = a[REPLY];
    return 'content' in r ? encode(op, r.content, r.header) : r;
  } catch (e) {
    if (!p.codes.internal) throw e;
    const description = p.describe?.internal?.(e as Error) ?? `internal error: ${(e as Error).message}`.slice(0, 500);
    return fail(op, { code: p.codes.internal, description }, body);
  }
}

function encode(op: Operation, content: NodeObj, header?: NodeObj): OutgoingSoap {
  return { status: 200, body: encodeEnvelope(op, 'response', content, header) };
}
