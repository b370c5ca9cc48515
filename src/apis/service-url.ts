import { BackendUrlCheck, checkBackendUrl } from '../backends/backend-url';

/** The result of checking a `serviceUrl`: the same as for a backend's URL. */
export type ServiceUrlCheck = BackendUrlCheck;

/**
 * Checks a literal `serviceUrl` with exactly the rules of a backend URL (`checkBackendUrl`), so
 * both places accept and refuse the same values. Plain http is allowed here (and warned by the
 * caller); a mutual TLS backend refuses it.
 */
export function checkServiceUrl(url: string): ServiceUrlCheck {
  return checkBackendUrl(url);
}
