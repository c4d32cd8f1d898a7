// The reference PSP's payment page, old model (I03, seed L1494-1498): plain, accessible HTML in
// Italian that works without JavaScript and loads nothing else — the cart (EC, IUV, amounts) and
// two buttons, "Paga" and "Annulla", posting back to the PSP, which answers 303 to the Nodo's return
// URL (identificativoCarrello and esito) and then sends the RTs (L1505-1509: the RT follows the return).
import { formatAmount } from '../../../domain/common.js';
import { escapeXml } from '../../../src/wire/xml.js';
import type { PspCart } from './archive.js';

/** Where the page lives; the Nodo sends the payer to `${PAGE_PATH}?${parametriPagamentoImmediato}` (the channel's redirectUrl). */
export const PAGE_PATH = '/pagamento';
/** Where its form posts. */
export const PAGE_ACTION = '/pagamento/esito';
/** The query parameter naming the cart, in parametriPagamentoImmediato and on the way back to the Nodo. */
export const CART_PARAM = 'identificativoCarrello';

export interface Page {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const h = (s: string | number) => escapeXml(String(s));
const euro = (cents: number) => `${formatAmount(cents).replace('.', ',')} €`;

function layout(status: number, title: string, main: string): Page {
  return {
    status,
    type: 'text/html; charset=utf-8',
    headers: { 'cache-control': 'no-store' },
    body: `<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)}</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse;width:100%}th,td{border:1px solid #666;padding:.4rem;text-align:left}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:1rem}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`,
  };
}

/** The page of a cart waiting to be paid. */
export function cartPage(cart: PspCart, pspName: string): Page {
  const rows = cart.rpts
    .map((r) => `<tr><td>${h(r.rpt.enteBeneficiario.denominazioneBeneficiario)} (${h(r.idDominio)})</td><td>${h(r.iuv)}</td><td>${h(euro(r.rpt.datiVersamento.importoTotaleDaVersare))}</td></tr>`)
    .join('\n');
  const total = cart.rpts.reduce((s, r) => s + r.rpt.datiVersamento.importoTotaleDaVersare, 0);
  return layout(200, `${pspName} — pagamento`, `<h1>Pagamento con ${h(pspName)}</h1>
<table>
<caption>Carrello ${h(cart.id)}</caption>
<thead><tr><th scope="col">Ente creditore</th><th scope="col">IUV</th><th scope="col">Importo</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="2">Totale</th><td id="totale">${h(euro(total))}</td></tr></tfoot>
</table>
<form method="post" action="${PAGE_ACTION}">
<input type="hidden" name="${CART_PARAM}" value="${h(cart.id)}">
<p><button type="submit" name="azione" value="paga">Paga</button><button type="submit" name="azione" value="annulla">Annulla</button></p>
</form>`);
}

/** A page telling the payer why there is nothing to pay (unknown or concluded cart, bad form). */
export function noticePage(status: number, message: string): Page {
  return layout(status, 'Pagamento non disponibile', `<h1>Pagamento non disponibile</h1><p role="alert">${h(message)}</p>`);
}

/** The payer's choice, read from the posted form. */
export function readChoice(body: string): { cartId?: string; action?: 'paga' | 'annulla' } {
  const f = new URLSearchParams(body);
  const a = f.get('azione');
  return { cartId: f.get(CART_PARAM) ?? undefined, action: a === 'paga' || a === 'annulla' ? a : undefined };
}

/** The 303 to the Nodo's return URL, with the cart and the outcome (the Nodo maps OK / KO to the EC's OK / ERROR). */
export function backToNodo(returnUrl: string, cartId: string, esito: 'OK' | 'KO'): Page {
  const back = new URL(returnUrl);
  back.searchParams.set(CART_PARAM, cartId);
  back.searchParams.set('esito', esito);
  return { status: 303, type: 'text/html; charset=utf-8', headers: { location: back.href }, body: `<!doctype html><html lang="it"><title>Ritorno</title><p><a href="${h(back.href)}">Torna al Nodo dei Pagamenti</a></p></html>` };
}
