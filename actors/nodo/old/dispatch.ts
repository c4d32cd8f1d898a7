// Which flow answers which old-model operation the Nodo serves (the others get PPT_SYSTEM_ERROR).
import type { NodeObj } from '../../../src/wire/xml.js';
import type { RequestMessage } from '../../../src/wire/soap-endpoint.js';
import type { OldCtx } from './context.js';
import { nodoInviaCarrelloRPT, nodoInviaRPT } from './ec.js';
import { nodoInviaRT, verificaOrAttiva } from './psp.js';
import { chiediInformativaPA, chiediTemplateInformativaPSP } from './psp-queries.js';
import { chiediCopiaRT, chiediInformativaPSP, chiediListaPendentiRPT, chiediStatoRPT, paChiediInformativaPA } from './queries.js';
import { esitoStorno, richiestaRevoca, richiestaStorno, rispostaRevoca } from './revoca.js';
import { chiediCatalogoServizi, chiediNumeroAvviso } from './spontaneous.js';

export const OLD_SERVED = new Set([
  'nodoChiediInformativaPA', 'nodoChiediTemplateInformativaPSP',
  'nodoInviaRPT', 'nodoInviaCarrelloRPT', 'nodoChiediStatoRPT', 'nodoChiediCopiaRT', 'nodoChiediListaPendentiRPT', 'nodoChiediInformativaPSP', 'nodoPAChiediInformativaPA',
  'nodoInviaRichiestaStorno', 'nodoInviaRispostaRevoca',
  'nodoVerificaRPT', 'nodoAttivaRPT', 'nodoInviaRT', 'nodoInviaRichiestaRevoca', 'nodoInviaEsitoStorno',
  'nodoChiediCatalogoServizi', 'nodoChiediNumeroAvviso',
  'nodoInviaFlussoRendicontazione', 'nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione', 'nodoChiediElencoFlussiRendicontazione', 'nodoChiediFlussoRendicontazione',
]);

export function dispatch(c: OldCtx, { op, header, body }: RequestMessage): Promise<NodeObj> | NodeObj {
  switch (op.name) {
    case 'nodoInviaRPT':
      return nodoInviaRPT(c, op, header, body);
    case 'nodoInviaCarrelloRPT':
      return nodoInviaCarrelloRPT(c, op, header, body);
    case 'nodoChiediStatoRPT':
      return chiediStatoRPT(c, op, body);
    case 'nodoChiediCopiaRT':
      return chiediCopiaRT(c, op, body);
    case 'nodoChiediListaPendentiRPT':
      return chiediListaPendentiRPT(c, op, body);
    case 'nodoChiediInformativaPSP':
      return chiediInformativaPSP(c, op, body);
    case 'nodoPAChiediInformativaPA':
      return paChiediInformativaPA(c, op, body);
    case 'nodoInviaRichiestaStorno':
      return richiestaStorno(c, op, body);
    case 'nodoInviaRispostaRevoca':
      return rispostaRevoca(c, op, body);
    case 'nodoVerificaRPT':
    case 'nodoAttivaRPT':
      return verificaOrAttiva(c, op, body);
    case 'nodoInviaRT':
      return nodoInviaRT(c, op, body);
    case 'nodoChiediInformativaPA':
      return chiediInformativaPA(c, op, body);
    case 'nodoChiediTemplateInformativaPSP':
      return chiediTemplateInformativaPSP(c, op, body);
    case 'nodoInviaRichiestaRevoca':
      return richiestaRevoca(c, op, body);
    case 'nodoInviaEsitoStorno':
      return esitoStorno(c, op, body);
    case 'nodoChiediCatalogoServizi':
      return chiediCatalogoServizi(c, op, body);
    case 'nodoChiediNumeroAvviso':
      return chiediNumeroAvviso(c, op, body);
    // reconciliation (fdr/soap-flows.ts, the same for both models)
    case 'nodoInviaFlussoRendicontazione':
      return c.fdr.upload(op, body);
    case 'nodoChiediStatoFlussoRendicontazione':
    case 'nodoChiediStatoElaborazioneFlussoRendicontazione':
      return c.fdr.status(op, body);
    case 'nodoChiediElencoFlussiRendicontazione':
      return c.fdr.list(op, body);
    case 'nodoChiediFlussoRendicontazione':
      return c.fdr.download(op, body);
    default:
      throw new Error(`${op.name} is not served`);
  }
}
