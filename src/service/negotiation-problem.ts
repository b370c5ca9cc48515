import { ClientCertificateNegotiation } from './sku';

/**
 * Why a service resource as synthesized (overrides included) no longer asks callers for a
 * client certificate the way its SKU needs, or undefined. Without that request every gate on the
 * service rejects every caller. `hostNames` are the gateway host names that must ask (the default
 * host and the custom ones).
 */
export function negotiationProblem(
  values: Readonly<Record<string, unknown>>,
  negotiation: ClientCertificateNegotiation,
  hostNames: readonly string[],
): string | undefined {
  if (negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG) {
    const flag = values.client_certificate_enabled;
    return flag === true || isUnresolved(flag) ? undefined : `client_certificate_enabled is ${JSON.stringify(flag ?? null)}, so Consumption never asks callers for a certificate`;
  }
  if (negotiation !== ClientCertificateNegotiation.HOSTNAME_NEGOTIATION) return undefined;
  const configuration = values.hostname_configuration as { proxy?: unknown } | undefined;
  if (isUnresolved(configuration) || isUnresolved(configuration?.proxy)) return undefined;
  const proxies = Array.isArray(configuration?.proxy) ? (configuration!.proxy as Array<Record<string, unknown>>) : [];
  const asks = (proxy: Record<string, unknown>) => proxy.negotiate_client_certificate === true || isUnresolved(proxy.negotiate_client_certificate);
  const declared = new Set(proxies.map((proxy) => String(proxy.host_name).toLowerCase()));
  // Every proxy block must ask, and every host that must ask must have a block.
  const missing = [
    ...proxies.filter((proxy) => !asks(proxy)).map((proxy) => String(proxy.host_name)),
    ...hostNames.filter((host) => !declared.has(host.toLowerCase())),
  ];
  return missing.length === 0 ? undefined : `gateway host ${[...new Set(missing)].map((h) => `"${h}"`).join(', ')} does not negotiate client certificates (hostname_configuration.proxy[*].negotiate_client_certificate)`;
}

function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}
