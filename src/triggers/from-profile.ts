// The trigger transport a profile names (`trigger.http`, `.command` or `.prompt`), for either seat:
// the one place a profile's trigger block becomes a transport. `triggerUrl` stands in for the
// profile's URL where the harness resolved an embedded hook.
import path from 'node:path';
import { clientTls, type LoadedProfile } from '../profile/index.js';
import { CommandTrigger, HttpTrigger, PromptTrigger, type TriggerTransport } from './index.js';

/** The profile's trigger transport; undefined when the profile names none (and no URL stands in). */
export function triggerOf(loaded: LoadedProfile, triggerUrl = loaded.profile.trigger?.http?.url): TriggerTransport | undefined {
  const t = loaded.profile.trigger;
  if (triggerUrl) return new HttpTrigger(triggerUrl, { headers: t?.http?.headers, tls: clientTls(loaded, t?.http?.tls) });
  if (t?.command) return new CommandTrigger(t.command, path.dirname(path.resolve(loaded.file)));
  if (t?.prompt) return new PromptTrigger();
  return undefined;
}

/** As triggerOf, for a seat that cannot run without a trigger (the PSP seat): none is a harness error. */
export function requiredTrigger(loaded: LoadedProfile, triggerUrl?: string): TriggerTransport {
  const t = triggerOf(loaded, triggerUrl);
  if (!t) throw new Error(`profile ${loaded.file} names no trigger (trigger.http, trigger.command or trigger.prompt)`);
  return t;
}
