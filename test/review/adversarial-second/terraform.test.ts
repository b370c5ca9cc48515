import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ResourceGroupTemplateDeployment } from '@cdktf/provider-azurerm/lib/resource-group-template-deployment';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformHclModule } from 'cdktf';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceAt } from '../adversarial/heads';
import { Attempt, Outcome, runAttempts } from './harness';

/*
 * Terraform semantics the review must read as Terraform applies them: duplicate definitions,
 * side channels the plan cannot judge (provisioners, ARM and azapi writes), lifecycle rules,
 * literal meta-arguments, and configuration it cannot read that changes between base and head.
 */

const OPEN_POLICY = '<policies><inbound><set-backend-service backend-id="orders-backend" /></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';

/** A gate-less operation policy for GET /* of /orders, as a JSON resource block. */
function bypassOf(json: any): Record<string, unknown> {
  const operation = Object.entries<any>(json.resource.azurerm_api_management_api_operation).find(([name]) => name.startsWith('OrdersApi_GetAll'))!;
  return {
    api_management_name: operation[1].api_management_name,
    resource_group_name: operation[1].resource_group_name,
    api_name: operation[1].api_name,
    operation_id: `\${azurerm_api_management_api_operation.${operation[0]}.operation_id}`,
    xml_content: OPEN_POLICY,
  };
}

const ordersPolicy = (json: any) => resourceAt(json, 'azurerm_api_management_api_policy', 'OrdersApi/Policy');
const partnersPolicy = (json: any) => resourceAt(json, 'azurerm_api_management_api_policy', 'PartnersApi/Policy');

const MODULE = { source: 'contoso/apim-apis/azurerm', version: '1.0.0' };

export const TERRAFORM_ATTEMPTS: readonly Attempt[] = [
  {
    name: 'a second "resource" key in cdk.tf.json (Terraform reads both, JSON.parse keeps the last) hides a gate-less operation policy',
    edit: (json) => {
      json.__hidden__ = { azurerm_api_management_api_operation_policy: { Hidden: bypassOf(json) } };
    },
    editText: (text) => text.replace('"__hidden__":', '"resource":'),
    outcome: Outcome.REFUSED,
    expect: /cdk\.tf\.json: .*"resource".* more than once/,
  },
  {
    name: 'xml_content written twice in one policy block, the gate-less text first',
    editText: (text) => text.replace(/("OrdersApi_Policy_[0-9A-F]+": \{)/, `$1\n      "xml_content": ${JSON.stringify(OPEN_POLICY)},`),
    outcome: Outcome.REFUSED,
    expect: /"xml_content".* more than once/,
  },
  {
    name: "a module's source changed, where the base already had the module",
    baseChange: (b) => new TerraformHclModule(b.stack, 'MoreApis', MODULE),
    change: (b) => (b.stack.node.findChild('MoreApis') as TerraformHclModule).addOverride('source', 'attacker/apim-open/azurerm'),
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration module\.MoreApis/,
  },
  {
    name: "a module's input changed, where the base already had the module",
    baseChange: (b) => new TerraformHclModule(b.stack, 'MoreApis', { ...MODULE, variables: { require_certificate: true } }),
    change: (b) => (b.stack.node.findChild('MoreApis') as TerraformHclModule).set('require_certificate', false),
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration module\.MoreApis/,
  },
  {
    name: 'the same module in base and head',
    baseChange: (b) => new TerraformHclModule(b.stack, 'MoreApis', MODULE),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'an override .tf file present in the base, its content changed in the head',
    editBase: (_, dir) => writeFileSync(join(dir, 'zz_override.tf'), 'resource "azurerm_api_management_api_policy" "x" {}\n'),
    edit: (_, dir) => writeFileSync(join(dir, 'zz_override.tf'), `resource "azurerm_api_management_api_policy" "x" {\n  xml_content = "<policies/>"\n}\n`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration zz_override\.tf/,
  },
  {
    name: 'terraform_data with a local-exec provisioner that runs az apim (a side channel the plan cannot judge)',
    edit: (json) => {
      json.resource.terraform_data = {
        open_orders: {
          provisioner: [{ 'local-exec': { command: 'az apim api policy delete --service-name contoso-edge -g rg-gateway --api-id orders-api --yes' } }],
        },
      };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration terraform_data\.open_orders/,
  },
  {
    name: 'a local-exec provisioner added to the existing product',
    change: (b) => b.product.addOverride('provisioner', [{ 'local-exec': { command: 'az apim product api add --product-id starter --api-id orders-api' } }]),
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration azurerm_api_management_product\.PartnersProduct/,
  },
  {
    name: 'an external data source (a program run at plan time)',
    edit: (json) => {
      json.data = { external: { token: { program: ['sh', '-c', 'az apim api policy delete --api-id orders-api --yes; echo {}'] } } };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration data\.external\.token/,
  },
  {
    name: 'azapi_resource writes the /orders API policy through ARM',
    edit: (json) => {
      json.resource.azapi_resource = {
        orders_policy: {
          type: 'Microsoft.ApiManagement/service/apis/policies@2022-08-01',
          name: 'policy',
          parent_id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-gateway/providers/Microsoft.ApiManagement/service/contoso-edge/apis/orders-api',
          body: { properties: { format: 'rawxml', value: OPEN_POLICY } },
        },
      };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration azapi_resource\.orders_policy/,
  },
  {
    name: 'an ARM template deployment that sets the /orders API policy',
    change: (b) =>
      new ResourceGroupTemplateDeployment(b.stack, 'Arm', {
        name: 'apim-tweaks',
        resourceGroupName: 'rg-gateway',
        deploymentMode: 'Incremental',
        templateContent: JSON.stringify({
          $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
          contentVersion: '1.0.0.0',
          resources: [{ type: 'Microsoft.ApiManagement/service/apis/policies', apiVersion: '2022-08-01', name: 'contoso-edge/orders-api/policy', properties: { format: 'rawxml', value: OPEN_POLICY } }],
        }),
      }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened finding unreadable-configuration azurerm_resource_group_template_deployment\.Arm/,
  },
  {
    name: 'lifecycle.ignore_changes = ["xml_content"] on the /orders policy (the deployed text is no longer governed by the plan)',
    edit: (json) => {
      ordersPolicy(json).lifecycle = { ignore_changes: ['xml_content'] };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'lifecycle.ignore_changes = all on the /partners policy',
    edit: (json) => {
      partnersPolicy(json).lifecycle = { ignore_changes: 'all' };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*partners/,
  },
  {
    name: 'lifecycle.ignore_changes on an attribute the review does not read (the policy resource group)',
    edit: (json) => {
      partnersPolicy(json).lifecycle = { ignore_changes: ['resource_group_name'] };
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'for_each over a literal one-entry map on the /partners policy, each not used',
    edit: (json) => {
      partnersPolicy(json).for_each = { partners: 'partners' };
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'count = 2 on the /orders policy (two resources for one scope)',
    edit: (json) => {
      ordersPolicy(json).count = 2;
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'a dynamic "tls" block on the backend that turns the chain check off',
    edit: (json) => {
      const backend = resourceAt(json, 'azurerm_api_management_backend', 'OrdersBackend/Backend');
      delete backend.tls;
      backend.dynamic = { tls: { for_each: '${toset(["on"])}', content: { validate_certificate_chain: false, validate_certificate_name: true } } };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened backend-tls chain/,
  },
  {
    name: 'a moved block and the gate policy resource renamed to match',
    edit: (json) => {
      const name = Object.keys(json.resource.azurerm_api_management_api_policy).find((key) => key.startsWith('OrdersApi_Policy'))!;
      json.resource.azurerm_api_management_api_policy.orders_gate = json.resource.azurerm_api_management_api_policy[name];
      delete json.resource.azurerm_api_management_api_policy[name];
      json.moved = [{ from: `azurerm_api_management_api_policy.${name}`, to: 'azurerm_api_management_api_policy.orders_gate' }];
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'an import block for the existing /orders API policy',
    edit: (json) => {
      const name = Object.keys(json.resource.azurerm_api_management_api_policy).find((key) => key.startsWith('OrdersApi_Policy'))!;
      json.import = [{ to: `azurerm_api_management_api_policy.${name}`, id: '/subscriptions/0/resourceGroups/rg-gateway/providers/Microsoft.ApiManagement/service/contoso-edge/apis/orders-api' }];
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a second azurerm provider alias for another subscription, the /orders policy moved to it',
    change: (b) => {
      const other = new AzurermProvider(b.stack, 'other', { alias: 'other', features: [{}], subscriptionId: '11111111-1111-1111-1111-111111111111' });
      b.orders.policy.provider = other;
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'an attribute key that differs only in case ("XML_CONTENT"), which Terraform refuses as unsupported',
    edit: (json) => {
      ordersPolicy(json).XML_CONTENT = OPEN_POLICY;
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'replace_triggered_by on the /orders gate policy (same text after the replacement)',
    edit: (json) => {
      ordersPolicy(json).lifecycle = { replace_triggered_by: ['terraform_data.rotation'] };
      json.resource.terraform_data = { rotation: { input: '2025-01' } };
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'depends_on removed from the operations of /orders',
    edit: (json) => {
      for (const [name, operation] of Object.entries<any>(json.resource.azurerm_api_management_api_operation)) if (name.startsWith('OrdersApi_')) delete operation.depends_on;
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'an operation policy written with a plain provider class whose operation_id is a literal in another case',
    change: (b) =>
      new ApiManagementApiOperationPolicy(b.stack, 'CaseBypass', {
        apiName: b.orders.api.name,
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        operationId: 'GET-ORDER',
        xmlContent: OPEN_POLICY,
      }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→undecided GET \/orders\/\{id\}/,
  },
];

runAttempts(TERRAFORM_ATTEMPTS);
