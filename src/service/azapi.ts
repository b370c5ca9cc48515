import { TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/*
 * azurerm 4.55 refuses client_certificate_enabled on v2 tiers, and no prebuilt cdktf binding
 * exists for the azapi provider, so the two pieces we need are declared generically here.
 */

const AZAPI = { providerName: 'azapi', providerVersionConstraint: '~> 2.0' };
const PROVIDER_ID = 'AzapiProvider';

class AzapiProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'azapi',
      terraformGeneratorMetadata: AZAPI,
      terraformProviderSource: 'azure/azapi',
    });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {};
  }
}

/** The stack's single azapi provider, declared on first use. */
export function azapiProvider(scope: Construct): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(PROVIDER_ID);
  return existing instanceof TerraformProvider ? existing : new AzapiProvider(stack, PROVIDER_ID);
}

export interface AzapiUpdateResourceConfig {
  /** ARM type with API version, e.g. `Microsoft.ApiManagement/service@2024-05-01`. */
  readonly type: string;
  /** ARM id of the resource to patch. */
  readonly resourceId: string;
  /** The partial ARM body to apply. */
  readonly body: Record<string, unknown>;
}

/** `azapi_update_resource`: patches properties of a resource another provider manages. */
export class AzapiUpdateResource extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly config: AzapiUpdateResourceConfig) {
    super(scope, id, {
      terraformResourceType: 'azapi_update_resource',
      terraformGeneratorMetadata: AZAPI,
      provider: azapiProvider(scope),
    });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { type: this.config.type, resource_id: this.config.resourceId, body: this.config.body };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      type: { value: this.config.type, type: 'simple', storageClassType: 'string', isBlock: false },
      resource_id: { value: this.config.resourceId, type: 'simple', storageClassType: 'string', isBlock: false },
      body: { value: this.config.body, type: 'simple', storageClassType: 'any', isBlock: false },
    };
  }
}
