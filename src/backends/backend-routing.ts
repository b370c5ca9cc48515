import { Token } from 'cdktf';
import { element, PolicyElement, terraformToken } from '../policy/policy-element';
import { guardedUrl } from '../policy/terraform-guard';

export interface BackendRoutingOptions {
  /** The APIM backend id requests are sent to. */
  readonly backendId: string;
  /**
   * Present this uploaded certificate (by id) to the backend from the policy. Needed for Key
   * Vault certificates, whose thumbprint changes when Key Vault rotates them.
   * @default - the backend's own credentials present the certificate
   */
  readonly clientCertificateId?: string;
}

/** Inbound statements that send a request to a backend, presenting its client certificate if asked. */
export function backendRouting(options: BackendRoutingOptions): PolicyElement[] {
  const statements = [element('set-backend-service', [['backend-id', options.backendId]])];
  if (options.clientCertificateId !== undefined) {
    statements.push(element('authentication-certificate', [['certificate-id', options.clientCertificateId]]));
  }
  return statements;
}

/**
 * Sends a request to a plain backend URL from the policy. Routing from the policy rather than
 * the API's `service_url` keeps the API closed until its gate exists: without the policy it has
 * nowhere to forward to. A URL known only at apply time is written through `guardedUrl`, so a
 * value that could close the attribute or add policy text fails the plan instead.
 */
export function baseUrlRouting(baseUrl: string): PolicyElement {
  return element('set-backend-service', [['base-url', Token.isUnresolved(baseUrl) ? terraformToken(guardedUrl(baseUrl)) : baseUrl]]);
}
