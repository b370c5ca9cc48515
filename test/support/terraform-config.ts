import { ClientCertificateTrust, clientCertificateGate, ClientCertificateGateOptions, renderPolicyElement } from '../../src';
import type { TerraformJson } from '../../src/plan';

/*
 * Terraform JSON configurations written by hand for plan, access and rule tests: the shapes
 * cdktf writes, without synthesizing a stack. Each helper returns one resource block; `terraform`
 * merges them.
 */

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

export const SERVICE = 'apim';
export const SERVICE_NAME = '${azurerm_api_management.apim.name}';
export const SERVICE_ID = '${azurerm_api_management.apim.id}';
const RG = 'rg-gateway';

/** One configuration from resource blocks (`{ type: { name: config } }`); `data.` types go to `data`. */
export function terraform(...blocks: Blocks[]): TerraformJson {
  const resource: Blocks = {};
  const data: Blocks = {};
  for (const block of blocks) {
    for (const [type, byName] of Object.entries(block)) {
      const target = type.startsWith('data.') ? data : resource;
      const name = type.replace(/^data\./, '');
      target[name] = { ...(target[name] ?? {}), ...byName };
    }
  }
  return { resource, ...(Object.keys(data).length > 0 ? { data } : {}) };
}

export function service(config: Record<string, unknown> = {}, name = SERVICE): Blocks {
  return {
    azurerm_api_management: {
      [name]: { name: 'contoso-gateway', resource_group_name: RG, location: 'westeurope', publisher_name: 'C', publisher_email: 'c@example.com', sku_name: 'Consumption_0', client_certificate_enabled: true, ...config },
    },
  };
}

export function api(name: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_api: {
      [name]: { name: `${name}-api`, api_management_name: SERVICE_NAME, resource_group_name: RG, revision: '1', path: name, protocols: ['https'], service_url: `https://${name}.internal.example`, ...config },
    },
  };
}

export function operation(apiName: string, id: string, method: string, urlTemplate: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_api_operation: {
      [`${apiName}_${id}`]: {
        operation_id: id,
        api_name: `\${azurerm_api_management_api.${apiName}.name}`,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        display_name: `${method} ${urlTemplate}`,
        method,
        url_template: urlTemplate,
        ...config,
      },
    },
  };
}

export function apiPolicy(apiName: string, xml: string, config: Record<string, unknown> = {}, name = `${apiName}_policy`): Blocks {
  return {
    azurerm_api_management_api_policy: {
      [name]: { api_name: `\${azurerm_api_management_api.${apiName}.name}`, api_management_name: SERVICE_NAME, resource_group_name: RG, xml_content: xml, ...config },
    },
  };
}

export function operationPolicy(apiName: string, id: string, xml: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_api_operation_policy: {
      [`${apiName}_${id}_policy`]: {
        api_name: `\${azurerm_api_management_api.${apiName}.name}`,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        operation_id: `\${azurerm_api_management_api_operation.${apiName}_${id}.operation_id}`,
        xml_content: xml,
        ...config,
      },
    },
  };
}

export function globalPolicy(xml: string, config: Record<string, unknown> = {}): Blocks {
  return { azurerm_api_management_policy: { global: { api_management_id: SERVICE_ID, xml_content: xml, ...config } } };
}

export function product(id: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_product: {
      [id]: { product_id: id, api_management_name: SERVICE_NAME, resource_group_name: RG, display_name: id, published: true, subscription_required: true, ...config },
    },
  };
}

export function productLink(productId: string, apiName: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_product_api: {
      [`${productId}_${apiName}`]: {
        api_name: `\${azurerm_api_management_api.${apiName}.name}`,
        product_id: `\${azurerm_api_management_product.${productId}.product_id}`,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        ...config,
      },
    },
  };
}

export function productPolicy(productId: string, xml: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_product_policy: {
      [`${productId}_policy`]: {
        product_id: `\${azurerm_api_management_product.${productId}.product_id}`,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        xml_content: xml,
        ...config,
      },
    },
  };
}

/** A certificate uploaded from Key Vault, or with the claims a PFX certificate's construct writes. */
export function certificate(name: string, claims?: Record<string, unknown>, config: Record<string, unknown> = {}): Blocks {
  const source = claims
    ? { data: `\${filebase64("assets/${name}/0123456789ABCDEF0123456789ABCDEF/${name}.pfx")}`, password: '${var.pfx_password}' }
    : { key_vault_secret_id: `https://contoso-kv.vault.azure.net/secrets/${name}` };
  return {
    azurerm_api_management_certificate: {
      [name]: {
        name,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        ...source,
        ...(claims ? { '//': { 'cdktf-apim-mtls': { kind: 'certificate', source: 'pfx-file', inspected: true, ...claims } } } : {}),
        ...config,
      },
    },
  };
}

export function backend(name: string, config: Record<string, unknown> = {}): Blocks {
  return {
    azurerm_api_management_backend: {
      [name]: {
        name,
        api_management_name: SERVICE_NAME,
        resource_group_name: RG,
        protocol: 'http',
        url: `https://${name}.internal.example`,
        tls: { validate_certificate_chain: true, validate_certificate_name: true },
        ...config,
      },
    },
  };
}

/** A policy document: `<base />` first in each section (unless `base: false`), then the statements. */
export function policy(inbound: string, options: { base?: boolean; backend?: string } = {}): string {
  const base = options.base === false ? '' : '<base />';
  return `<policies><inbound>${base}${inbound}</inbound><backend>${base}${options.backend ?? ''}</backend><outbound>${base}</outbound><on-error>${base}</on-error></policies>`;
}

/** The gate this library generates, as one inbound statement. */
export function gate(options: Partial<ClientCertificateGateOptions> & { thumbprints?: string[] } = {}): string {
  const { thumbprints, ...rest } = options;
  return renderPolicyElement(clientCertificateGate({ trust: ClientCertificateTrust.thumbprints(thumbprints ?? [PARTNER]), ...rest }));
}

export const PARTNER = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
export const OTHER_PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

export const reject = (status: number): string => `<return-response><set-status code="${status}" reason="scope ${status}" /></return-response>`;
export const routeTo = (url: string): string => `<set-backend-service base-url="${url}" />`;
