import type { ConfiguredResource } from './terraform-configuration';
import { literalText } from './terraform-template';

/*
 * Ways a configuration can change API Management, or run code, outside the resources the plan
 * reader judges. The review cannot tell what they do, so each is reported, never ignored.
 */

/** Resource types that run a script or deploy an ARM template: whatever it holds is applied. */
const SCRIPTS: Readonly<Record<string, string>> = {
  azurerm_resource_deployment_script_azure_cli: 'runs an Azure CLI deployment script',
  azurerm_resource_deployment_script_azure_power_shell: 'runs an Azure PowerShell deployment script',
};

const TEMPLATE_DEPLOYMENTS = new Set([
  'azurerm_resource_group_template_deployment',
  'azurerm_subscription_template_deployment',
  'azurerm_management_group_template_deployment',
  'azurerm_tenant_template_deployment',
  'azurerm_template_deployment',
]);

/** azapi resources that write ARM resources of the type they name. */
const AZAPI_WRITES = new Set(['azapi_resource', 'azapi_update_resource', 'azapi_resource_action', 'azapi_data_plane_resource']);

const API_MANAGEMENT = /microsoft\.apimanagement/i;

/** Why `resource` is a side channel the review cannot judge, or undefined. */
export function sideChannelOf(resource: ConfiguredResource): string | undefined {
  const config = resource.config;
  if (config.provisioner !== undefined) return 'a provisioner runs commands at apply, outside what the plan shows';
  if (resource.type === 'data.external') return 'an external program runs at plan time, outside what the plan shows';
  if (resource.type in SCRIPTS) return `${SCRIPTS[resource.type]} at apply, outside what the plan shows`;
  if (TEMPLATE_DEPLOYMENTS.has(resource.type)) {
    const template = JSON.stringify(config.template_content ?? config.template_body ?? null);
    const literal = typeof config.template_content === 'string' ? literalText(config.template_content) : typeof config.template_body === 'string' ? literalText(config.template_body) : undefined;
    if (literal === undefined || API_MANAGEMENT.test(template)) return 'an ARM template deployment that can write API Management resources the plan does not show';
    return undefined;
  }
  if (AZAPI_WRITES.has(resource.type)) {
    const type = typeof config.type === 'string' ? literalText(config.type) : undefined;
    if (type !== undefined && !API_MANAGEMENT.test(type)) return undefined;
    if (type !== undefined && isClientCertificatePatch(resource, type)) return undefined;
    return `${resource.type} writes ${type ?? 'an ARM resource of a type Terraform decides'} through the ARM API, outside the resources the plan reader judges`;
  }
  return undefined;
}

/** The service patch the plan reader understands: `properties.enableClientCertificate` and nothing else. */
function isClientCertificatePatch(resource: ConfiguredResource, type: string): boolean {
  if (resource.type !== 'azapi_update_resource' || !/^microsoft\.apimanagement\/service@/i.test(type)) return false;
  let body: unknown = resource.config.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return false;
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  const properties = (body as Record<string, unknown>).properties;
  return keys.length === 1 && keys[0] === 'properties' && typeof properties === 'object' && properties !== null && Object.keys(properties).join() === 'enableClientCertificate';
}
