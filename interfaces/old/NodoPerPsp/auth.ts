// Who may call NodoPerPsp (OLD-X-AUTH-01, V-03..V-07): a PSP through its intermediary and channel with
// the channel's password — the same check as the new model's nodeForPsp (one place:
// interfaces/new/nodeForPsp/auth.ts, which reads the old field names too; nodoChiediInformativaPA
// without identificativoPSP: the intermediary and channel alone) — then, in this order:
//  - the identificativoDominio the request names (nodoInviaRT, revoca, storno …) known and enabled
//    PPT_DOMINIO_SCONOSCIUTO / PPT_DOMINIO_DISABILITATO
//  - nodoVerificaRPT / nodoAttivaRPT: codificaInfrastrutturaPSP a registered coding (TR-27, TR-28)
//    PPT_CODIFICA_PSP_SCONOSCIUTA
// The domain inside codiceIdRPT is routed by the Nodo's handler (its station, PPT_STAZIONE_INT_PA_*).
import type { Registry } from '../../../domain/registry.js';
import type { CallerMessage, Rejection } from '../../../src/wire/contract.js';
import { textOf } from '../../../src/wire/xml.js';
import { authenticatePsp } from '../../new/nodeForPsp/auth.js';

/** A caller known by its broker and channel only: each known, then enabled, the channel the broker's, the password the channel's. */
function channelCallerProblem({ body }: CallerMessage, reg: Registry): Rejection | undefined {
  const idBroker = textOf(body, 'identificativoIntermediarioPSP') ?? '';
  const idChannel = textOf(body, 'identificativoCanale') ?? '';
  const broker = reg.brokersPsp.find((b) => b.idBrokerPSP === idBroker);
  if (!broker) return { code: 'PPT_INTERMEDIARIO_PSP_SCONOSCIUTO', description: `identificativoIntermediarioPSP ${idBroker} is not registered` };
  if (!broker.enabled) return { code: 'PPT_INTERMEDIARIO_PSP_DISABILITATO', description: `identificativoIntermediarioPSP ${idBroker} is disabled` };
  const channel = reg.channels.find((c) => c.idChannel === idChannel);
  if (!channel) return { code: 'PPT_CANALE_SCONOSCIUTO', description: `identificativoCanale ${idChannel} is not registered` };
  if (!channel.enabled) return { code: 'PPT_CANALE_DISABILITATO', description: `identificativoCanale ${idChannel} is disabled` };
  if (channel.idBrokerPSP !== idBroker) return { code: 'PPT_AUTORIZZAZIONE', description: `channel ${idChannel} does not belong to broker ${idBroker}` };
  if (channel.password !== (textOf(body, 'password') ?? '')) return { code: 'PPT_AUTENTICAZIONE', description: 'wrong password' };
  return undefined;
}

/** The codings of codiceIdRPT the Nodo knows (IdRPT_QR_Code, IdRPT_GS1_128, IdRPT_128_AIM). */
export const PSP_CODINGS = ['QR-CODE', 'BARCODE-GS1-128', 'BARCODE-128-AIM'] as const;

export function authenticateOldPsp(m: CallerMessage, reg: Registry): Rejection | undefined {
  // nodoChiediInformativaPA may name no PSP (P19: identificativoPSP optional): its broker and channel then
  const r = m.body.name === 'nodoChiediInformativaPA' && textOf(m.body, 'identificativoPSP') === undefined ? channelCallerProblem(m, reg) : authenticatePsp(m, reg);
  if (r) return r;
  const d = textOf(m.body, 'identificativoDominio');
  if (d !== undefined) {
    const ec = reg.ecs.find((e) => e.fiscalCode === d);
    if (!ec) return { code: 'PPT_DOMINIO_SCONOSCIUTO', description: `identificativoDominio ${d} is not registered` };
    if (!ec.enabled) return { code: 'PPT_DOMINIO_DISABILITATO', description: `identificativoDominio ${d} is disabled` };
  }
  const coding = textOf(m.body, 'codificaInfrastrutturaPSP');
  if (coding !== undefined && !(PSP_CODINGS as readonly string[]).includes(coding)) {
    return { code: 'PPT_CODIFICA_PSP_SCONOSCIUTA', description: `codificaInfrastrutturaPSP ${coding} is not one of ${PSP_CODINGS.join(', ')}` };
  }
  return undefined;
}
