/**
 * How an API Management tier is made to ask callers for their client certificate. Without it,
 * `context.Request.Certificate` is always null and every client-certificate gate rejects every
 * caller.
 */
export enum ClientCertificateNegotiation {
  /** Consumption: `client_certificate_enabled = true` on the service. */
  CONSUMPTION_FLAG = 'consumption-flag',
  /** Classic tiers: `negotiate_client_certificate = true` on the gateway's proxy hostname. */
  HOSTNAME_NEGOTIATION = 'hostname-negotiation',
  /** v2 tiers: `properties.enableClientCertificate = true`, set through azapi (azurerm refuses it). */
  AZAPI_ENABLE_CLIENT_CERTIFICATE = 'azapi-enable-client-certificate',
}

export interface ParsedSku {
  readonly tier: string;
  readonly capacity: number;
  readonly negotiation: ClientCertificateNegotiation;
}

const TIERS: Record<string, ClientCertificateNegotiation> = {
  Consumption: ClientCertificateNegotiation.CONSUMPTION_FLAG,
  Developer: ClientCertificateNegotiation.HOSTNAME_NEGOTIATION,
  Basic: ClientCertificateNegotiation.HOSTNAME_NEGOTIATION,
  Standard: ClientCertificateNegotiation.HOSTNAME_NEGOTIATION,
  Premium: ClientCertificateNegotiation.HOSTNAME_NEGOTIATION,
  BasicV2: ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE,
  StandardV2: ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE,
  PremiumV2: ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE,
};

/**
 * Parses an azurerm `sku_name` such as `Consumption_0` or `Premium_2`.
 * Throws with the list of valid forms for anything else.
 */
export function parseSku(skuName: string): ParsedSku {
  const match = /^([A-Za-z0-9]+)_(\d+)$/.exec(skuName);
  const tier = match?.[1];
  const negotiation = tier === undefined ? undefined : TIERS[tier];
  if (!match || !tier || negotiation === undefined) {
    throw new Error(
      `skuName ${JSON.stringify(skuName)} is not an API Management SKU. Use <tier>_<capacity> with a tier of ` +
        `${Object.keys(TIERS).join(', ')}, e.g. "Consumption_0" or "Developer_1".`,
    );
  }
  const capacity = Number(match[2]);
  if (tier === 'Consumption' ? capacity !== 0 : capacity < 1) {
    throw new Error(
      `skuName ${JSON.stringify(skuName)} has capacity ${capacity}; ` +
        (tier === 'Consumption' ? 'Consumption is always "Consumption_0".' : `use at least 1, e.g. "${tier}_1".`),
    );
  }
  return { tier, capacity, negotiation };
}

/**
 * What a person must do by hand so that a tier asks for client certificates, on the given
 * gateway host names (the default one and any custom ones).
 */
export function manualNegotiationInstructions(negotiation: ClientCertificateNegotiation | undefined, hostNames: readonly string[] = []): string {
  const hosts = hostNames.map((host) => `"${host}"`).join(', ');
  const everyHost = hostNames.length > 1 ? ` (it covers every gateway host name: ${hosts})` : '';
  switch (negotiation) {
    case ClientCertificateNegotiation.CONSUMPTION_FLAG:
      return `turn on "Request client certificate" (client_certificate_enabled = true)${everyHost}`;
    case ClientCertificateNegotiation.HOSTNAME_NEGOTIATION:
      return hostNames.length > 0
        ? `turn on "Negotiate client certificate" for each gateway host name, ${hosts} (hostname_configuration.proxy[*].negotiate_client_certificate = true)`
        : 'turn on "Negotiate client certificate" for the gateway hostname (hostname_configuration.proxy.negotiate_client_certificate = true)';
    case ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE:
      return `set properties.enableClientCertificate = true (portal: "Request client certificate"; azurerm cannot set it on v2 tiers)${everyHost}`;
    default:
      return (
        'make it request client certificates (Consumption: client_certificate_enabled; classic tiers: negotiate_client_certificate on ' +
        (hostNames.length > 0 ? `each gateway host name, ${hosts}` : 'the gateway hostname') +
        '; v2 tiers: enableClientCertificate)'
      );
  }
}
