// WISP served by the reference Nodo (issue 10 item 3; catalogue I01-I03, I09, L1436-1512): the page
// where the payer sees the cart and chooses a PSP, the hand-off to the PSP (pspInviaCarrelloRPT, then
// 303 to the channel's page + parametriPagamentoImmediato), the PSP's return, and the return to the
// EC's portal with idDominio, idSession and esito OK / ERROR / DIFFERITO (I02, L1476-1479, L1507).
// Plain HTML: lang="it", a label per radio, submit buttons, no script, no external resource.
import { formatAmount } from '../../../domain/common.js';
import type { ChannelEntry } from '../../../domain/registry.js';
import type http from 'node:http';
import { JOURNALED_BY_HEADER, type Journal } from '../../../src/core/journal.js';
import { DEFAULT_MAX_BODY, badRequestTarget, collectBody } from '../../../src/wire/http-common.js';
import { escapeXml as esc } from '../../../src/wire/xml.js';
import type { OldCtx } from './context.js';
import { pspOutcome } from './ec.js';
import { toBase64 } from './docs.js';
import { negativeRts } from './psp.js';
import type { Cart, PspRef } from './store.js';

export const WISP_PATH = '/wisp';
/** where the PSP's page sends the payer back (+ identificativoCarrello=…&esito=OK|KO|DIFFERITO) */
export const WISP_RETURN_PATH = '/wisp/rientro';
const CHOICE_PATH = '/wisp/scelta';

interface Page {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

function html(status: number, title: string, main: string): Page {
  const body = `<!DOCTYPE html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} – WISP, Nodo dei Pagamenti (collaudo)</title></head>
<body>
<header><p>pagoPA – Nodo dei Pagamenti (riferimento collaudo)</p></header>
<main>
<h1>${esc(title)}</h1>
${main}
</main>
</body>
</html>
`;
  return { status, type: 'text/html; charset=utf-8', body };
}

function redirect(location: string): Page {
  return { status: 303, type: 'text/html; charset=utf-8', headers: { location }, body: `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Reindirizzamento</title></head><body><p>Prosegui su <a href="${esc(location)}">${esc(location)}</a>.</p></body></html>\n` };
}

/**
 * The channels the payer may choose: enabled, of an enabled PSP, with a PspPerNodo endpoint; for a
 * cart that buys a digital stamp, only those that sell stamps (marcaBolloDigitale, L857, V-12).
 */
export function wispChannels(c: OldCtx, cart?: Cart): { channel: ChannelEntry; idPSP: string; name: string }[] {
  const out: { channel: ChannelEntry; idPSP: string; name: string }[] = [];
  const stamp = !!cart && c.store.rptsOf(cart).some((r) => r.rpt.singoli.some((s) => s.bollo));
  for (const ch of c.reg.channels) {
    if (!ch.enabled || !ch.pspPerNodoUrl || (stamp && !ch.marcaBolloDigitale)) continue;
    for (const idPSP of ch.psps) {
      const p = c.reg.psps.find((x) => x.idPSP === idPSP && x.enabled);
      if (p) out.push({ channel: ch, idPSP, name: p.companyName });
    }
  }
  return out;
}

/** The EC portal's return URL for a cart (I02). */
export function returnUrl(c: OldCtx, cart: Cart, esito: 'OK' | 'ERROR' | 'DIFFERITO'): string | undefined {
  const base = c.reg.stations.find((s) => s.idStation === cart.idStation)?.old?.returnUrl;
  if (!base) return undefined;
  const u = new URL(base);
  u.searchParams.set('idDominio', cart.idDominio);
  u.searchParams.set('idSession', cart.idSession);
  u.searchParams.set('esito', esito);
  return u.href;
}

function choicePage(c: OldCtx, cart: Cart): Page {
  const ec = c.reg.ecs.find((e) => e.fiscalCode === cart.idDominio);
  const rows = c.store
    .rptsOf(cart)
    .map((r) => `<tr><td>${esc(c.reg.ecs.find((e) => e.fiscalCode === r.idDominio)?.companyName ?? r.idDominio)}</td><td>${esc(r.iuv)}</td><td>${esc(r.rpt.singoli[0]?.causale ?? '')}</td><td>€ ${formatAmount(r.rpt.totalCents)}</td></tr>`)
    .join('\n');
  const options = wispChannels(c, cart);
  const radios = options
    .map((o, i) => {
      const value = `${o.idPSP}|${o.channel.idChannel}`;
      const checked = cart.chosen ? cart.chosen.idPSP === o.idPSP && cart.chosen.idChannel === o.channel.idChannel : i === 0;
      return `<div><input type="radio" id="psp-${i}" name="psp" value="${esc(value)}"${checked ? ' checked' : ''} required><label for="psp-${i}">${esc(o.name)} – ${esc(o.channel.description || o.channel.idChannel)}</label></div>`;
    })
    .join('\n');
  const choose = options.length
    ? `<fieldset><legend>Scegli il prestatore di servizi di pagamento (PSP)</legend>\n${radios}\n</fieldset>\n<p><button type="submit" name="azione" value="paga">Procedi al pagamento</button></p>`
    : '<p role="alert">Nessun prestatore di servizi di pagamento è disponibile per questo carrello.</p>';
  return html(200, 'Scegli come pagare', `<p>Ente creditore: <strong>${esc(ec?.companyName ?? cart.idDominio)}</strong> (${esc(cart.idDominio)})</p>
<table>
<caption>Carrello ${esc(cart.idCarrello)}</caption>
<thead><tr><th scope="col">Ente</th><th scope="col">IUV</th><th scope="col">Causale</th><th scope="col">Importo</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="3">Totale</th><td>€ ${formatAmount(cart.totalCents)}</td></tr></tfoot>
</table>
<form method="post" action="${CHOICE_PATH}">
<input type="hidden" name="idSession" value="${esc(cart.idSession)}">
${choose}
<p><button type="submit" name="azione" value="annulla" formnovalidate>Annulla e torna al sito dell’ente</button></p>
</form>`);
}

function unknownSession(id: string | null): Page {
  return html(404, 'Sessione sconosciuta', `<p role="alert">La sessione ${esc(id ?? '(idSession mancante)')} non è nota al Nodo dei Pagamenti (PPT_WISP_SESSIONE_SCONOSCIUTA).</p>`);
}

function backToEc(c: OldCtx, cart: Cart, esito: 'OK' | 'ERROR' | 'DIFFERITO'): Page {
  cart.state = 'chiuso';
  cart.esito = esito;
  const to = returnUrl(c, cart, esito);
  if (!to) return html(200, 'Operazione conclusa', `<p>Esito: ${esc(esito)}. La stazione ${esc(cart.idStation)} non ha un indirizzo di ritorno configurato.</p>`);
  return redirect(to);
}

/** GET /wisp?idSession=… and GET /wisp/rientro?identificativoCarrello=…&esito=… (undefined: not WISP's). */
export function wispGet(c: OldCtx, path: string): Page | undefined {
  const u = new URL(path, 'http://nodo.invalid');
  if (u.pathname === WISP_PATH) {
    const id = u.searchParams.get('idSession');
    const cart = id ? c.store.cartOfSession(id) : undefined;
    if (!cart) return unknownSession(id);
    if (cart.state !== 'scelta') return html(409, 'Pagamento già avviato', `<p>Il carrello ${esc(cart.idCarrello)} è già stato ${cart.state === 'psp' ? 'affidato al PSP scelto' : 'concluso'}.</p>${cart.esito ? backLink(c, cart, cart.esito) : ''}`);
    return choicePage(c, cart);
  }
  if (u.pathname === WISP_RETURN_PATH) {
    const id = u.searchParams.get('identificativoCarrello') ?? u.searchParams.get('idCarrello');
    const cart = id ? c.store.cartOfPsp(id) : undefined;
    const session = u.searchParams.get('idSession');
    const found = cart ?? (session ? c.store.cartOfSession(session) : undefined);
    if (!found) return unknownSession(id ?? session);
    const esito = u.searchParams.get('esito');
    // the PSP's outcome → the EC's (L1507): OK, DIFFERITO, anything else ERROR
    return backToEc(c, found, esito === 'OK' ? 'OK' : esito === 'DIFFERITO' ? 'DIFFERITO' : 'ERROR');
  }
  return undefined;
}

/**
 * The "thank you page" of a payment the PSP authorises outside pagoPA (L1502, L1505-1507): the payment
 * is taken over by the PSP, the outcome comes with the RT; one link back to the EC with esito DIFFERITO.
 */
function takenOver(c: OldCtx, cart: Cart, pspName: string): Page {
  cart.state = 'chiuso';
  cart.esito = 'DIFFERITO';
  const back = backLink(c, cart, 'DIFFERITO');
  return html(200, 'Pagamento preso in carico', `<p>Il pagamento del carrello ${esc(cart.idCarrello)} (€ ${formatAmount(cart.totalCents)}) è stato preso in carico da <strong>${esc(pspName)}</strong>.</p>
<p>Autorizza il pagamento con gli strumenti messi a disposizione dal tuo prestatore di servizi di pagamento (home banking, app, addebito pre-autorizzato): l’esito sarà attestato dalla ricevuta telematica che l’ente riceverà.</p>
${back || `<p>La stazione ${esc(cart.idStation)} non ha un indirizzo di ritorno configurato.</p>`}`);
}

function backLink(c: OldCtx, cart: Cart, esito: 'OK' | 'ERROR' | 'DIFFERITO'): string {
  const to = returnUrl(c, cart, esito);
  return to ? `<p><a href="${esc(to)}">Torna al sito dell’ente</a></p>` : '';
}

/** POST /wisp/scelta: the payer's choice (or cancellation). */
export async function wispPost(c: OldCtx, path: string, form: string): Promise<Page | undefined> {
  if (new URL(path, 'http://nodo.invalid').pathname !== CHOICE_PATH) return undefined;
  const f = new URLSearchParams(form);
  const cart = c.store.cartOfSession(f.get('idSession') ?? '');
  if (!cart) return unknownSession(f.get('idSession'));
  if (cart.state !== 'scelta') return html(409, 'Pagamento già avviato', `<p>Il carrello ${esc(cart.idCarrello)} non attende più una scelta.</p>`);
  const recs = c.store.rptsOf(cart);
  if (f.get('azione') !== 'paga') {
    for (const r of recs) c.store.move(r, 'RPT_ANNULLATA_WISP', 'the payer cancelled on WISP');
    void negativeRts(c, recs, 'the payer cancelled the payment on WISP');
    return backToEc(c, cart, 'ERROR');
  }
  const [idPSP, idChannel] = (f.get('psp') ?? '').split('|');
  const option = wispChannels(c, cart).find((o) => o.idPSP === idPSP && o.channel.idChannel === idChannel);
  if (!option) return html(400, 'Scelta non valida', `<p role="alert">Il PSP scelto (${esc(f.get('psp') ?? 'nessuno')}) non è tra quelli offerti.</p><p><a href="${WISP_PATH}?idSession=${encodeURIComponent(cart.idSession)}">Torna alla scelta</a></p>`);
  const psp: PspRef = { idPSP: option.idPSP, idBrokerPSP: option.channel.idBrokerPSP, idChannel: option.channel.idChannel };
  cart.chosen = psp;
  cart.state = 'psp';
  for (const r of recs) {
    r.psp = psp;
    c.store.move(r, 'RPT_INVIATA_A_PSP', `pspInviaCarrelloRPT to ${psp.idPSP} (channel ${psp.idChannel})`);
  }
  const content = {
    identificativoPSP: psp.idPSP,
    identificativoIntermediarioPSP: psp.idBrokerPSP,
    identificativoCanale: psp.idChannel,
    modelloPagamento: option.channel.modelloPagamento ?? 1,
    codiceConvenzione: cart.codiceConvenzione,
    listaRPT: { elementoListaCarrelloRPT: recs.map((r) => ({ identificativoDominio: r.idDominio, identificativoUnivocoVersamento: r.iuv, codiceContestoPagamento: r.ccp, tipoFirma: '', rpt: toBase64(r.rpt.xml) })) },
  };
  const { verdict: v } = await c.calls.psp('pspInviaCarrelloRPT', option.channel, content, { corr: { idDominio: cart.idDominio, idCarrello: cart.idCarrello, idSession: cart.idSession }, timeoutMs: c.timeouts.psp });
  if (v.kind === 'ok') {
    const pspCart = v.body.children.find((x) => x.name === 'identificativoCarrello')?.text.trim();
    if (pspCart) c.store.linkPspCart(cart, pspCart);
  }
  const out = pspOutcome(c, recs, v, option.channel.redirectUrl, psp.idPSP);
  if ('faultCode' in out) {
    // the PSP refused the cart, or never answered: the Nodo writes the negative RTs (L1558, L1614, L1629)
    void negativeRts(c, recs, `${out.faultCode}: ${out.description ?? ''}`);
    cart.state = 'chiuso';
    cart.esito = 'ERROR';
    return html(502, 'Pagamento non riuscito', `<p role="alert">Il PSP scelto non ha accettato il pagamento (${esc(out.faultCode)}).</p>${backLink(c, cart, 'ERROR')}`);
  }
  // no redirect: the PSP authorises outside pagoPA (L1502), the EC hears DIFFERITO; a channel of
  // model 2 is made for it, and the payer is told so first (thank-you page, L1505)
  if (!out.url) return option.channel.modelloPagamento === 2 ? takenOver(c, cart, option.name) : backToEc(c, cart, 'DIFFERITO');
  return redirect(out.url);
}

/** The journal record of one WISP page or redirect (the browser's path in the scenario's evidence). */
export function journalPage(j: Journal | undefined, method: string, path: string, form: string | undefined, page: Page, corr: Record<string, string | undefined>): void {
  if (!j) return;
  const exchange = j.newExchange();
  j.record({ exchange, direction: 'request', from: 'browser', to: 'nodo', url: path, primitive: `WISP ${method}`, raw: form ?? '', correlation: corr });
  j.record({ exchange, direction: 'response', from: 'nodo', to: 'browser', url: path, primitive: `WISP ${method}`, httpStatus: page.status, headers: page.headers, raw: page.body, correlation: corr, note: page.headers?.location ? `redirect to ${page.headers.location}` : undefined });
}

/** Is this request path one of WISP's (the server sends it to `wispListener`, the rest to SOAP)? */
export function isWispPath(url: string | undefined): boolean {
  const p = (url ?? '/').split('?', 1)[0]!;
  return p === WISP_PATH || p.startsWith(`${WISP_PATH}/`);
}

/**
 * The HTTP side of WISP: GET pages and the PSP's return, POST of the choice; every page and redirect
 * journaled with the session's keys. Never throws: a failure is a 500 page.
 */
export function wispListener(c: OldCtx, journal: () => Journal): http.RequestListener {
  const send = (req: http.IncomingMessage, res: http.ServerResponse, method: string, url: string, form: string | undefined, page: Page) => {
    const q = new URL(url, 'http://nodo.invalid').searchParams;
    const f = new URLSearchParams(form ?? '');
    const idSession = q.get('idSession') ?? f.get('idSession') ?? undefined;
    const idCarrello = q.get('identificativoCarrello') ?? undefined;
    if (!req.headers[JOURNALED_BY_HEADER]) journalPage(journal(), method, url, form, page, { idSession, idCarrello, ...(idSession ? { idDominio: c.store.cartOfSession(idSession)?.idDominio } : {}) });
    if (res.headersSent) return void res.destroy();
    res.writeHead(page.status, { ...page.headers, 'content-type': page.type, 'cache-control': 'no-store' });
    res.end(page.body);
  };
  const fail = (e: unknown): Page => html(500, 'Errore', `<p role="alert">Errore interno del Nodo: ${esc((e as Error).message)}</p>`);
  return (req, res) => {
    const url = req.url ?? '/';
    const bad = badRequestTarget(url);
    if (bad) return send(req, res, req.method ?? '?', '/', undefined, html(400, 'Richiesta non valida', `<p>${esc(bad)}</p>`));
    if (req.method === 'GET') {
      let page: Page;
      try {
        page = wispGet(c, url) ?? html(404, 'Pagina inesistente', '<p>Questa pagina non esiste.</p>');
      } catch (e) {
        page = fail(e);
      }
      return send(req, res, 'GET', url, undefined, page);
    }
    if (req.method !== 'POST') {
      req.resume();
      return send(req, res, req.method ?? '?', url, undefined, { ...html(405, 'Metodo non ammesso', '<p>Usa GET o POST.</p>'), headers: { allow: 'GET, POST' } });
    }
    collectBody(req, DEFAULT_MAX_BODY, (bytes) => {
      if (!bytes) return send(req, res, 'POST', url, undefined, html(413, 'Richiesta troppo grande', '<p>Il modulo inviato è troppo grande.</p>'));
      const form = bytes.toString('utf8');
      wispPost(c, url, form).then(
        (page) => send(req, res, 'POST', url, form, page ?? html(404, 'Pagina inesistente', '<p>Questa pagina non esiste.</p>')),
        (e: unknown) => send(req, res, 'POST', url, form, fail(e)),
      );
    });
  };
}

export type { Page as WispPage };
