import { ValueObserver, ValueTest } from '../policy/simulator';
import { ChainScope } from './access-matrix';
import { CallerSetup } from './simulated-callers';
import { ChainOutcome, SimulationEnvironment, simulateChain } from './simulate-chain';

/*
 * Request headers are the caller's to choose. Where the policies read a header a caller did not
 * send, the caller may send it with any value; the values worth trying are found by behaviour:
 * the caller's own thumbprint (a policy comparing a header with the certificate), then whatever
 * the policies test a sent header against (a run with a marker value in each header is watched).
 */

/** At most this many header values are tried per caller and chain, so a policy cannot make the review slow. */
const MAX_TRIES = 16;
const MARKER = 'apim-mtls-review-header-';

export interface ChosenHeaders {
  readonly outcome: ChainOutcome;
  /** The headers (lower-case names) the caller sends to get that outcome. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A way for `setup`'s caller to get further than `admitted` says it does by also sending some of
 * the headers `names`, or undefined when none of the values tried gets it admitted.
 */
export function headersThatAdmit(
  chain: readonly ChainScope[],
  setup: CallerSetup,
  names: readonly string[],
  env: SimulationEnvironment,
  admitted: (outcome: ChainOutcome) => boolean,
): ChosenHeaders | undefined {
  const attempt = (headers: Record<string, string>): ChosenHeaders | undefined => {
    const outcome = simulateChain(chain, { ...setup, headers: { ...setup.headers, ...headers } }, env);
    return admitted(outcome) ? { outcome, headers } : undefined;
  };
  if (setup.presented) {
    const echoed = attempt(Object.fromEntries(names.map((name) => [name, setup.presented!.thumbprint])));
    if (echoed) return echoed;
  }
  const markers = Object.fromEntries(names.map((name, i) => [name, `${MARKER}${i}`]));
  const observer = new ValueObserver(Object.values(markers));
  const marked = simulateChain(chain, { ...setup, headers: { ...setup.headers, ...markers } }, env, observer);
  if (admitted(marked)) return { outcome: marked, headers: markers };
  let tries = 0;
  for (const name of names) {
    for (const test of observer.observationOf(markers[name]).tests) {
      if (++tries > MAX_TRIES) return undefined;
      const found = attempt({ ...markers, [name]: valuePassing(test.test, test.against) });
      if (found) return found;
    }
  }
  return undefined;
}

function valuePassing(test: ValueTest, against: string): string {
  switch (test) {
    case ValueTest.STARTS_WITH:
      return `${against}x`;
    case ValueTest.ENDS_WITH:
      return `x${against}`;
    default:
      return against;
  }
}
