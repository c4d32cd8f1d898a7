// Small helpers between the decoded El tree and the ordered NodeObj used to build messages.
import type { El, Node, NodeObj } from '../../src/protocol/xml.js';
import { child, childrenNamed, textOf } from '../../src/protocol/xml.js';

/**
 * El → ordered Node: a leaf becomes its trimmed text, an element with children an object whose keys
 * follow document order; repeated names become arrays (XSD sequences keep repeats adjacent).
 */
export function elToNode(el: El): Node {
  if (el.children.length === 0) return el.text.trim();
  const out: NodeObj = {};
  for (const c of el.children) {
    const v = elToNode(c);
    const prev = out[c.name];
    if (prev === undefined) out[c.name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[c.name] = [prev, v];
  }
  return out;
}

export function optNode(el: El | undefined): Node {
  return el ? elToNode(el) : undefined;
}

/** Cuts a text to a schema's maxLength (stTextNN), keeping undefined as is. */
export function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? s.slice(0, max) : s;
}

export { child, childrenNamed, textOf };

/** A stable fingerprint of a request, without the password (idempotency comparisons). */
export function fingerprint(el: El, skip: string[] = ['password', 'idempotencyKey']): string {
  const walk = (e: El): unknown =>
    e.children.length === 0 ? [e.name, e.text.trim()] : [e.name, e.children.filter((c) => !skip.includes(c.name)).map(walk)];
  return JSON.stringify([el.ns, walk(el)]);
}
