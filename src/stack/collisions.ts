import { ResourceNames, ResourceRecord } from './resource-names';

/** Two resources that Azure would take for the same object, so one fails or overwrites the other at apply. */
export enum CollisionKind {
  /** Two APIs (not versions or revisions of one) answer the same path on one service. */
  API_PATH = 'api-path',
  /** Two resources for the same API name and revision. */
  API = 'api',
  CERTIFICATE = 'certificate',
  BACKEND = 'backend',
  PRODUCT = 'product',
  OPERATION = 'operation',
  /** API Management keeps one policy per API, product, operation and service. */
  API_POLICY = 'api-policy',
  PRODUCT_POLICY = 'product-policy',
  OPERATION_POLICY = 'operation-policy',
  GLOBAL_POLICY = 'global-policy',
}

export interface Collision {
  readonly kind: CollisionKind;
  /** What both claim, e.g. the path or the certificate name, as Azure compares it. */
  readonly name: string;
  /** The service they are on. */
  readonly service: string;
  /** Terraform addresses of the two resources, in the stack's order. */
  readonly first: string;
  readonly second: string;
}

/** `{ resource: { type: { name: values } }, data: … }` as `stack.toTerraform()` returns it. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** Every resource and data source of the JSON as a record. */
export function recordsOf(json: TerraformJson): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (const [prefix, blocks] of [['', json.resource], ['data.', json.data]] as const) {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, values] of Object.entries(byName)) records.push({ address: `${prefix}${type}.${name}`, type: `${prefix}${type}`, values });
    }
  }
  return records;
}

/**
 * Collisions among the resources the stack itself defines, the user's plain provider resources
 * and overrides included. One pass with maps: linear in the number of resources. Resources with
 * `count` or `for_each` are left out, since how many exist is decided at apply.
 */
export function findCollisions(allRecords: readonly ResourceRecord[], names: ResourceNames): Collision[] {
  const records = allRecords.filter((r) => r.values.count === undefined && r.values.for_each === undefined);
  const collisions: Collision[] = [];
  const claimed = new Map<string, string>();
  const claim = (kind: CollisionKind, service: string, name: string, address: string) => {
    const key = `${kind}|${service}|${name}`;
    const first = claimed.get(key);
    if (first === undefined) claimed.set(key, address);
    else collisions.push({ kind, name, service, first, second: address });
  };
  // A scoped key is `<service>|<name>`; names never hold "|".
  const claimScoped = (kind: CollisionKind, scoped: string, suffix: string, address: string) => {
    const cut = scoped.indexOf('|');
    claim(kind, scoped.slice(0, cut), scoped.slice(cut + 1) + suffix, address);
  };
  const apisByPath = new Map<string, ApiOnPath[]>();

  for (const { address, type, values: v } of records) {
    const service = () => names.service(v.api_management_name);
    const lower = (value: unknown) => names.literal(value) ?? String(value);
    switch (type) {
      case 'azurerm_api_management_api': {
        const api: ApiOnPath = { address, name: lower(v.name), versionSet: String(v.version_set_id ?? ''), version: String(v.version ?? '') };
        claim(CollisionKind.API, service(), `${api.name};rev=${lower(v.revision)}`, address);
        // APIM takes "orders", "/orders" and "orders/" for one path, as the plan reader does.
        const path = names.literal(v.path)?.replace(/^\/+|\/+$/g, '');
        if (path === undefined) break;
        const key = `${service()}|${path}`;
        const onPath = apisByPath.get(key) ?? [];
        const other = onPath.find((o) => o.name !== api.name && !(o.versionSet !== '' && o.versionSet === api.versionSet && o.version !== api.version));
        if (other) collisions.push({ kind: CollisionKind.API_PATH, name: path, service: service(), first: other.address, second: address });
        else if (!onPath.some((o) => o.name === api.name)) onPath.push(api);
        apisByPath.set(key, onPath);
        break;
      }
      case 'azurerm_api_management_certificate':
        claim(CollisionKind.CERTIFICATE, service(), lower(v.name), address);
        break;
      case 'azurerm_api_management_backend':
        claim(CollisionKind.BACKEND, service(), lower(v.name), address);
        break;
      case 'azurerm_api_management_product':
        claim(CollisionKind.PRODUCT, service(), lower(v.product_id), address);
        break;
      case 'azurerm_api_management_api_operation':
        claimScoped(CollisionKind.OPERATION, names.scoped(v.api_management_name, v.api_name), `/${lower(v.operation_id)}`, address);
        break;
      case 'azurerm_api_management_api_policy':
        claimScoped(CollisionKind.API_POLICY, names.scoped(v.api_management_name, v.api_name), '', address);
        break;
      case 'azurerm_api_management_product_policy':
        claimScoped(CollisionKind.PRODUCT_POLICY, names.scoped(v.api_management_name, v.product_id), '', address);
        break;
      case 'azurerm_api_management_api_operation_policy':
        claimScoped(CollisionKind.OPERATION_POLICY, names.scoped(v.api_management_name, v.api_name), `/${lower(v.operation_id)}`, address);
        break;
      case 'azurerm_api_management_policy':
        claim(CollisionKind.GLOBAL_POLICY, names.serviceById(v.api_management_id), 'all APIs', address);
        break;
    }
  }
  return collisions;
}

interface ApiOnPath {
  readonly address: string;
  readonly name: string;
  readonly versionSet: string;
  readonly version: string;
}
