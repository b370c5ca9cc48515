import { CertificateSource } from '../certificates/certificate-source';
import { ClientCertificateNegotiation, ParsedSku } from './sku';

/** A custom host name of the service's gateway, e.g. `api.contoso.com`, with its TLS certificate. */
export interface GatewayCustomDomain {
  /**
   * The host name callers use; its DNS CNAME points at `<service>.azure-api.net`. A wildcard
   * (`*.contoso.com`) works on every tier but Consumption.
   */
  readonly hostName: string;
  /**
   * The TLS server certificate for the host name, with its private key:
   * `CertificateSource.fromKeyVaultSecret(...)` (read by the service's managed identity, rotations
   * followed) or `CertificateSource.fromPfxFile(...)` (read by Terraform with `filebase64()`; the
   * password reaches Terraform as a sensitive variable, never as text in `cdk.tf.json`).
   */
  readonly certificate: CertificateSource;
  /**
   * Serve this host's certificate to clients that send no SNI (`default_ssl_binding`).
   * @default false
   */
  readonly defaultSslBinding?: boolean;
}

const HOST_NAME = /^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
/** Tiers that take more than one custom gateway host name. */
const MULTIPLE_HOSTS_TIERS = ['Developer', 'Premium'];

/** Why a custom host name cannot be set on a service of this SKU, or undefined. */
export function customHostNameProblem(hostName: string, sku: ParsedSku | undefined): string | undefined {
  if (typeof hostName !== 'string' || hostName.length > 253 || !HOST_NAME.test(hostName)) {
    return `hostName ${JSON.stringify(hostName)} is not a DNS host name. Use a name such as "api.contoso.com" (or "*.contoso.com")`;
  }
  if (/\.azure-api\.net$/i.test(hostName)) {
    return `hostName ${JSON.stringify(hostName)} is a default domain of API Management; custom domains are your own, such as "api.contoso.com"`;
  }
  if (hostName.startsWith('*.') && sku?.negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG) {
    return `hostName ${JSON.stringify(hostName)} is a wildcard, which Consumption does not support. Name the host exactly`;
  }
  return undefined;
}

/** Why this list of custom host names cannot be set on a service of this SKU (when known), or undefined. */
export function customHostNamesProblem(hostNames: readonly string[], sku: ParsedSku | undefined): string | undefined {
  const seen = new Set<string>();
  for (const hostName of hostNames) {
    const problem = customHostNameProblem(hostName, sku);
    if (problem) return problem;
    if (seen.has(hostName.toLowerCase())) return `hostName ${JSON.stringify(hostName)} is given twice`;
    seen.add(hostName.toLowerCase());
  }
  if (sku && hostNames.length > 1 && !MULTIPLE_HOSTS_TIERS.includes(sku.tier)) {
    return `${hostNames.length} custom gateway host names are given, but ${sku.tier} takes one. Only ${MULTIPLE_HOSTS_TIERS.join(' and ')} take several`;
  }
  return undefined;
}
