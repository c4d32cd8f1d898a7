// Who may call nodeForPsp (IF-X-16): the PSP, its broker and the channel must be registered and
// enabled, the channel must belong to the broker and carry the PSP, and the password must match —
// checked in this documented order against the platform's registry. The old model's NodoPerPsp
// (interfaces/old/NodoPerPsp/auth.ts) and the PSP ids of NodoPerPa's nodoInviaRPT use the same check.
import type { Registry } from '../../../domain/registry.js';
import type { CallerMessage, Rejection } from '../../../src/wire/contract.js';
import { textOf } from '../../../src/wire/xml.js';

export function authenticatePsp({ body }: CallerMessage, reg: Registry): Rejection | undefined {
  // nodoChiediCatalogoServiziV2 keeps the legacy field names (IF-nodoChiediCatalogoServiziV2-F01..F04)
  const idPSP = textOf(body, 'idPSP') ?? textOf(body, 'identificativoPSP') ?? '';
  const idBroker = textOf(body, 'idBrokerPSP') ?? textOf(body, 'identificativoIntermediarioPSP') ?? '';
  const idChannel = textOf(body, 'idChannel') ?? textOf(body, 'identificativoCanale') ?? '';
  return pspCallerProblem(reg, { idPSP, idBroker, idChannel }, textOf(body, 'password') ?? '');
}

/**
 * A PSP's identities against the registry, in the documented order: PSP, broker, channel (each known,
 * then enabled), channel of that broker and carrying the PSP, then the password when one is given.
 */
export function pspCallerProblem(reg: Registry, ids: { idPSP: string; idBroker: string; idChannel: string }, password?: string): Rejection | undefined {
  const { idPSP, idBroker, idChannel } = ids;
  const psp = reg.psps.find((p) => p.idPSP === idPSP);
  if (!psp) return { code: 'PPT_PSP_SCONOSCIUTO', description: `idPSP ${idPSP} is not registered` };
  if (!psp.enabled) return { code: 'PPT_PSP_DISABILITATO', description: `idPSP ${idPSP} is disabled` };
  const broker = reg.brokersPsp.find((b) => b.idBrokerPSP === idBroker);
  if (!broker) return { code: 'PPT_INTERMEDIARIO_PSP_SCONOSCIUTO', description: `idBrokerPSP ${idBroker} is not registered` };
  if (!broker.enabled) return { code: 'PPT_INTERMEDIARIO_PSP_DISABILITATO', description: `idBrokerPSP ${idBroker} is disabled` };
  const channel = reg.channels.find((c) => c.idChannel === idChannel);
  if (!channel) return { code: 'PPT_CANALE_SCONOSCIUTO', description: `idChannel ${idChannel} is not registered` };
  if (!channel.enabled) return { code: 'PPT_CANALE_DISABILITATO', description: `idChannel ${idChannel} is disabled` };
  if (channel.idBrokerPSP !== idBroker) return { code: 'PPT_AUTORIZZAZIONE', description: `channel ${idChannel} does not belong to broker ${idBroker}` };
  if (!channel.psps.includes(idPSP)) return { code: 'PPT_AUTORIZZAZIONE', description: `PSP ${idPSP} is not authorised on channel ${idChannel}` };
  if (password !== undefined && channel.password !== password) return { code: 'PPT_AUTENTICAZIONE', description: 'wrong password' };
  return undefined;
}
