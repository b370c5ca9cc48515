import { CallerKind } from '../access';

/** A caller the synth-time proof simulates: none of them may pass a gate. */
export type UntrustedCaller = 'no-certificate' | 'unknown-certificate' | 'forged-certificate-header';

/** The proof's callers by the engine's kinds: no certificate, an unknown one, a forged forwarding header. */
export const UNTRUSTED: ReadonlyMap<CallerKind, UntrustedCaller> = new Map([
  [CallerKind.NO_CERTIFICATE, 'no-certificate'],
  [CallerKind.UNKNOWN_CERTIFICATE, 'unknown-certificate'],
  [CallerKind.FORGED_HEADER, 'forged-certificate-header'],
]);

/**
 * The callers let through, in a fixed order; a forged header is left out when a caller without a
 * certificate (who sends none) is let through already, since it adds nothing.
 */
export function reportedCallers(callers: Iterable<UntrustedCaller>): UntrustedCaller[] {
  const set = new Set(callers);
  if (set.has('no-certificate')) set.delete('forged-certificate-header');
  return [...UNTRUSTED.values()].filter((caller) => set.has(caller));
}
