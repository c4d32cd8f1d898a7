// The PSP seat's counterpart for the old model (SANP 2.2.6), for `collaudo serve --psp-counterpart` when
// the profile's models list old: the old-model Nodo (NodoPerPsp, NodoPerPspRichiestaAvvisi, NodoPerPa,
// WISP) beside the new model's Nodo on harness.listen, the candidate's old-model channel (old.psp)
// registered, and the emulated EC's old-model station connected to it; and the EC-started cart the
// trigger side can open for a person's browser. The seat's own environment is ./psp-old.ts.
import type http from 'node:http';
import type { Clock } from '../src/core/clock.js';
import type { Journal } from '../src/core/journal.js';
import type { LoadedProfile } from '../src/profile/index.js';
import { OldNodo } from '../actors/nodo/old/index.js';
import type { ReferenceEc } from '../candidates/ec/index.js';
import { EMULATED_EC_OLD_PASSWORD, type OldPspChannel, channelOf, oldPspSeatRegistry } from './psp-old.js';

export interface OldCounterpart {
  nodo: OldNodo;
  channel: OldPspChannel;
  /** the listener to mount beside the new model's Nodo (startPspCounterpart's `beside`) */
  listener: (base: string) => http.RequestListener;
  /** once mounted: the emulated EC calls this Nodo's NodoPerPa */
  connect(): void;
  /**
   * The emulated EC starts a cart of one payable position naming the candidate's channel (an
   * EC-started payment): the WISP URL a payer opens in a browser, or why the Nodo refused it.
   */
  ecCart(amountCents?: number): Promise<{ url?: string; idCarrello?: string; iuv?: string; problem?: string }>;
}

/** The old-model side of the counterpart; undefined when the profile does not list the old model (models, old.psp). */
export function oldCounterpart(loaded: LoadedProfile, clock: Clock, ec: ReferenceEc, journal: Journal): OldCounterpart | undefined {
  const p = loaded.profile;
  if (!(p.models ?? ['new']).includes('old') || !p.old?.psp || !p.psp) return undefined;
  const channel = channelOf(p, undefined);
  const nodo = new OldNodo({ clock, registry: oldPspSeatRegistry(loaded, channel, ec) });
  nodo.bind({ journal });
  return {
    nodo,
    channel,
    listener: (base) => nodo.listener(base),
    connect: () => ec.useNodo({ url: nodo.urls.nodoPerPa, password: EMULATED_EC_OLD_PASSWORD }),
    async ecCart(amountCents = 6400) {
      const [position] = ec.old.payments.positionsFor({ amountsCents: [amountCents] });
      const cart = await ec.old.payments.cart([position!], { identificativoPSP: channel.idPSP, identificativoIntermediarioPSP: channel.idBrokerPSP, identificativoCanale: channel.idChannel });
      if (!cart.url) return { problem: cart.problem ?? 'the Nodo gave no URL' };
      return { url: cart.url, idCarrello: cart.idCarrello, iuv: position!.iuv };
    },
  };
}
