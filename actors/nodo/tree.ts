// Small helpers between the decoded El tree and the ordered NodeObj used to build messages.
import type { El, Node } from '../../src/wire/xml.js';
import { child, childrenNamed, textOf, toPlain } from '../../src/wire/xml.js';

/** El → ordered Node (leaf → trimmed text, repeated names → arrays), as src/wire/xml.ts toPlain. */
export function elToNode(el: El): Node {
  return toPlain(el);
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
