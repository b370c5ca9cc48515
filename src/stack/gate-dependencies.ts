import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { DataAzurermApiManagement } from '@cdktf/provider-azurerm/lib/data-azurerm-api-management';
import { DefaultTokenResolver, dependable, StringConcat, TerraformDataSource, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { GateTargetKind } from '../gates/gate-target';
import { ApiManagementService } from '../service/api-management-service';
import { GateRecord } from './audit-records';
import { ResourceNames, ResourceRecord } from './resource-names';

/** What this module has already ordered, so that repeated synths add nothing twice. */
export type WiredDependencies = WeakMap<TerraformResource, Set<TerraformResource>>;

/**
 * Orders the resources that make a gated scope reachable after the scope's gate, so that even a
 * failed or partial apply never leaves them live without it:
 * - operations of a gated API (its imported operations come with the API, which the gate's
 *   policy already follows),
 * - links of APIs to a gated product,
 * - APIs, operations and product links on a gated service,
 * and makes a gate on a v2 service wait for the setting that asks callers for certificates.
 * One pass over the stack, maps for every lookup.
 */
export function wireGateDependencies(stack: TerraformStack, gates: readonly GateRecord[], wired: WiredDependencies): void {
  if (gates.length === 0) return;
  const nodes = stack.node.findAll();
  const names = new ResourceNames(nodes.map((node) => recordOf(stack, node)).filter((r): r is ResourceRecord => r !== undefined));
  const resolve = (value: unknown) => resolveIn(stack, value);
  const serviceOf = (apiManagementName: unknown) => names.service(resolve(apiManagementName));

  const managedServices = new Map<string, ApiManagementService>();
  for (const node of nodes) if (node instanceof ApiManagementService) managedServices.set(serviceOf(node.name), node);
  const byKey = new Map<string, GateRecord[]>();
  const own = new Set<TerraformResource>();
  for (const gate of gates) {
    const service = serviceOf(gate.target.apiManagementName);
    const key =
      gate.target.kind === GateTargetKind.SERVICE
        ? `service|${service}`
        : `${gate.target.kind}|${names.scoped(resolve(gate.target.apiManagementName), resolve(gate.target.name))}`;
    byKey.set(key, [...(byKey.get(key) ?? []), gate]);
    gate.ownDependents.forEach((resource) => own.add(resource));
    // A gate given without its service learns it here: on v2 tiers it waits for the azapi setting.
    const setting = gate.target.service ? undefined : managedServices.get(service)?.clientCertificateSetting;
    if (setting) addDependency(gate.policy, setting, wired);
  }
  const gatesFor = (...keys: string[]) => keys.flatMap((key) => byKey.get(key) ?? []);

  for (const node of nodes) {
    if (own.has(node as TerraformResource)) continue;
    if (node instanceof ApiManagementApiOperation) {
      const service = serviceOf(node.apiManagementNameInput);
      const api = names.scoped(resolve(node.apiManagementNameInput), resolve(node.apiNameInput));
      dependOn(node, gatesFor(`api|${api}`, `service|${service}`), wired);
    } else if (node instanceof ApiManagementProductApi) {
      const service = serviceOf(node.apiManagementNameInput);
      const product = names.scoped(resolve(node.apiManagementNameInput), resolve(node.productIdInput));
      dependOn(node, gatesFor(`product|${product}`, `service|${service}`), wired);
    } else if (node instanceof ApiManagementApi) {
      dependOn(node, gatesFor(`service|${serviceOf(node.apiManagementNameInput)}`), wired);
    }
  }
}

/** Values the names need, for the resources that name services, APIs and products. */
function recordOf(stack: TerraformStack, node: IConstruct): ResourceRecord | undefined {
  const record = (element: TerraformResource | TerraformDataSource, values: Record<string, unknown>): ResourceRecord => {
    const type = element instanceof TerraformDataSource ? `data.${element.terraformResourceType}` : element.terraformResourceType;
    return { address: `${type}.${element.friendlyUniqueId}`, type, values: resolveIn(stack, values) };
  };
  if (node instanceof ApiManagement || node instanceof DataAzurermApiManagement) return record(node, { name: node.nameInput });
  if (node instanceof ApiManagementApi) return record(node, { name: node.nameInput, api_management_name: node.apiManagementNameInput });
  if (node instanceof ApiManagementProduct) return record(node, { product_id: node.productIdInput, api_management_name: node.apiManagementNameInput });
  return undefined;
}

function dependOn(resource: TerraformResource, gates: readonly GateRecord[], wired: WiredDependencies): void {
  for (const gate of gates) addDependency(resource, gate.policy, wired);
}

function addDependency(resource: TerraformResource, on: TerraformResource, wired: WiredDependencies): void {
  if (resource === on) return;
  const done = wired.get(resource) ?? new Set<TerraformResource>();
  if (done.has(on)) return;
  done.add(on);
  wired.set(resource, done);
  resource.dependsOn = [...(resource.dependsOn ?? []), dependable(on)];
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** A value as the stack's Terraform JSON writes it: references become `${type.name.attribute}`. */
export function resolveIn(stack: TerraformStack, value: unknown): any {
  return Tokenization.resolve(value, { scope: stack, resolver: RESOLVER });
}
