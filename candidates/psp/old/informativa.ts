// The reference PSP's informative queries, old model (old-psp-informativa): the ECs' Tabelle delle
// Controparti (nodoChiediInformativaPA, OLD-REC-PSP-06, L2271-2284) and its own catalogue as the
// Nodo holds it (nodoChiediTemplateInformativaPSP, OLD-REC-PSP-03/04, L2252-2270). The documents are
// read for what the PSP needs of them: the ECs listed, whether its catalogue is there.
import { childrenNamed, elOfDocument, textOf } from '../../../src/wire/xml.js';
import type { OldPspDefect } from './defects.js';
import type { NodoReply, OldNodoClient } from './nodo-client.js';
import type { PspPaymentResult } from './payments.js';

const describe = (r: NodoReply) => (!r.usable ? (r.problem ?? 'no usable answer') : r.esito === 'OK' ? 'esito OK' : `KO ${r.fault?.faultCode ?? '(no faultBean)'}`);

/** The root's name and the element children named `item` of a base64 XML document (undefined: unreadable). */
function readDoc(b64: string | undefined, item: string): { root: string; items: string[] } | undefined {
  const root = b64 ? elOfDocument(Buffer.from(b64, 'base64')) : undefined;
  return root && { root: root.name, items: childrenNamed(root, item).map((x) => textOf(x, 'identificativoDominio') ?? textOf(x, 'identificativoPSP') ?? '') };
}

/** Both queries, in order; the report says what each held (nothing is paid: result not-paid). */
export async function readInformativa(client: OldNodoClient, has: (d: OldPspDefect) => boolean, idDominio?: string): Promise<PspPaymentResult> {
  // the defect: the EC's fiscal code mistyped (its last digit changed)
  const pa = await client.informativaPA(has('old-informativa-wrong-ec') && idDominio ? idDominio.replace(/.$/, (d) => String((Number(d) + 1) % 10)) : idDominio);
  const tabella = pa.usable && pa.esito === 'OK' ? readDoc(pa.body && findText(pa, 'xmlInformativa'), 'informativaControparte') : undefined;
  const template = has('old-informativa-no-template') ? undefined : await client.templateInformativaPSP();
  const own = template?.usable && template.esito === 'OK' ? readDoc(findText(template, 'xmlTemplateInformativa'), 'informativaPSP') : undefined;
  const parts = [
    `nodoChiediInformativaPA ${describe(pa)}${tabella ? `: ${tabella.items.length} EC(s) ${tabella.items.join(', ')}` : ''}`,
    template ? `nodoChiediTemplateInformativaPSP ${describe(template)}${own ? `: ${own.items.length ? `its catalogue (${own.items.join(', ')})` : 'the template only'}` : ''}` : 'nodoChiediTemplateInformativaPSP not asked',
  ];
  const failed = !pa.usable || (template !== undefined && !template.usable);
  return { result: failed ? 'failed' : 'not-paid', message: parts.join('; ') };
}

/** The text of a result element's child (the answers' documents). */
function findText(r: NodoReply, name: string): string | undefined {
  const body = r.body;
  if (!body) return undefined;
  for (const c of body.children) {
    const t = textOf(c, name);
    if (t !== undefined) return t;
  }
  return textOf(body, name);
}
