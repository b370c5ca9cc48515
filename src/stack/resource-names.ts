/** One Terraform resource or data source: its address (`type.name`, `data.type.name`) and values. */
export interface ResourceRecord {
  readonly address: string;
  readonly type: string;
  readonly values: Readonly<Record<string, unknown>>;
}

const REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z_]+)\}$/;
const ARM_SERVICE_ID = /\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)$/i;

/**
 * Names the same service, API or product the same way however a resource writes it: as a
 * literal or as a reference to a resource or data source of the stack whose name is literal.
 * Service names are global in Azure (`<name>.azure-api.net`), so a service is known by its
 * name; names are compared case-insensitively, as Azure does. A value that cannot be resolved
 * keeps its text, so only identical unresolved values are the same.
 */
export class ResourceNames {
  private readonly literalNames = new Map<string, string>();

  constructor(records: readonly ResourceRecord[]) {
    for (const record of records) {
      if (record.type === 'azurerm_api_management' || record.type === 'data.azurerm_api_management') {
        this.remember(record.address, 'name', this.literal(record.values.name));
        this.remember(record.address, 'id', this.literal(record.values.name));
      }
    }
    for (const record of records) {
      if (record.type === 'azurerm_api_management_api') {
        this.remember(record.address, 'name', this.scoped(record.values.api_management_name, record.values.name));
      } else if (record.type === 'azurerm_api_management_product') {
        this.remember(record.address, 'product_id', this.scoped(record.values.api_management_name, record.values.product_id));
      }
      if (record.type === 'azurerm_api_management_api' || record.type === 'azurerm_api_management_product') {
        // Policies of a plain API or product name the service through it.
        this.remember(record.address, 'api_management_name', this.service(record.values.api_management_name));
      }
    }
  }

  /** The service an `api_management_name` value names. */
  public service(apiManagementName: unknown): string {
    return this.literal(apiManagementName) ?? this.reference(apiManagementName) ?? text(apiManagementName);
  }

  /** The service an `api_management_id` value names (a reference or an ARM id). */
  public serviceById(apiManagementId: unknown): string {
    const referenced = this.reference(apiManagementId);
    if (referenced !== undefined) return referenced;
    const match = this.literal(apiManagementId) !== undefined ? ARM_SERVICE_ID.exec(apiManagementId as string) : null;
    return match ? match[1].toLowerCase() : text(apiManagementId);
  }

  /** An API (or product) on a service: `<service>|<name>`, the same for a literal and a reference. */
  public scoped(apiManagementName: unknown, name: unknown): string {
    return this.reference(name) ?? `${this.service(apiManagementName)}|${this.literal(name) ?? text(name)}`;
  }

  /** The value written without interpolation, in lower case; undefined when it holds any. */
  public literal(value: unknown): string | undefined {
    return typeof value === 'string' && !value.includes('${') && !value.includes('%{') ? value.toLowerCase() : undefined;
  }

  private remember(address: string, attribute: string, key: string | undefined): void {
    // A key that still holds an unresolved part would make unrelated values look equal.
    if (key !== undefined && !key.includes('${')) this.literalNames.set(`${address}.${attribute}`, key);
  }

  /** The key a reference to a resource of the stack stands for, when that resource's name is literal. */
  private reference(value: unknown): string | undefined {
    const reference = typeof value === 'string' ? REFERENCE.exec(value) : null;
    return reference ? this.literalNames.get(`${reference[1]}.${reference[2]}`) : undefined;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
}
