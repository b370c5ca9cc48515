import { element, PolicyElement } from '../policy/policy-element';

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
