import { ITerraformDependable, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructConfigurationError } from '../construct-error';

export interface CatchAllOperationConfig {
  /** The API's name in API Management, usually a reference to `azurerm_api_management_api.name`. */
  readonly apiName: string;
  /** The name of the API Management service. */
  readonly apiManagementName: string;
  /** The resource group of the API Management service. */
  readonly resourceGroupName: string;
  /** The HTTP method the operation answers, in upper case (`GET`, `POST`, …). */
  readonly method: string;
  /**
   * Resources Terraform creates first, e.g. the API's policy with its gate.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

const RESOURCE_TYPE = 'azurerm_api_management_api_operation';
const HTTP_METHOD = /^[A-Z]{1,20}$/;

/**
 * An `azurerm_api_management_api_operation` with URL template `/*` for one HTTP method, so every
 * path of the API reaches its policy: operation id `<method>-all`, display name `<METHOD> /*`.
 *
 * It writes exactly what the provider's `ApiManagementApiOperation` writes for the same values,
 * through a minimal resource class: the generated class builds seven nested-attribute objects per
 * resource (request, responses, template parameters, timeouts), each capturing a stack trace,
 * which made these seven-per-API resources the largest cost of a synth. The attribute getters
 * (`operationId`, `apiName`, `id`, …) and the `…Input` getters are the provider class's, so
 * references to an operation (e.g. an operation policy's `operationId`) read the same.
 */
export class CatchAllOperation extends TerraformResource {
  /** The Terraform resource type written. */
  public static readonly tfResourceType = RESOURCE_TYPE;

  /** The operation id written, e.g. `get-all`. */
  public readonly operationIdInput: string;
  /** The display name written, e.g. `GET /*`. */
  public readonly displayNameInput: string;
  /** The URL template written: `/*`. */
  public readonly urlTemplateInput: string = '/*';
  /** The HTTP method written. */
  public readonly methodInput: string;
  /** The API name written (usually a reference). */
  public readonly apiNameInput: string;
  /** The service name written (usually a reference). */
  public readonly apiManagementNameInput: string;
  /** The resource group written (usually a reference). */
  public readonly resourceGroupNameInput: string;

  constructor(scope: Construct, id: string, config: CatchAllOperationConfig) {
    super(scope, id, {
      terraformResourceType: RESOURCE_TYPE,
      terraformGeneratorMetadata: { providerName: 'azurerm' },
      dependsOn: config.dependsOn,
    });
    if (Token.isUnresolved(config.method) || !HTTP_METHOD.test(config.method)) {
      throw new ConstructConfigurationError(this, `method ${JSON.stringify(config.method)} is not an HTTP method. Give it in upper case, e.g. "GET".`);
    }
    this.methodInput = config.method;
    this.operationIdInput = `${config.method.toLowerCase()}-all`;
    this.displayNameInput = `${config.method} /*`;
    this.apiNameInput = config.apiName;
    this.apiManagementNameInput = config.apiManagementName;
    this.resourceGroupNameInput = config.resourceGroupName;
  }

  /** The operation's ARM id (known after apply). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** Reference to the operation's `operation_id`, e.g. for an operation policy. */
  public get operationId(): string {
    return this.getStringAttribute('operation_id');
  }

  /** Reference to the operation's `api_name`. */
  public get apiName(): string {
    return this.getStringAttribute('api_name');
  }

  /** Reference to the operation's `api_management_name`. */
  public get apiManagementName(): string {
    return this.getStringAttribute('api_management_name');
  }

  /** Reference to the operation's `resource_group_name`. */
  public get resourceGroupName(): string {
    return this.getStringAttribute('resource_group_name');
  }

  /** Reference to the operation's `display_name`. */
  public get displayName(): string {
    return this.getStringAttribute('display_name');
  }

  /** Reference to the operation's `method`. */
  public get method(): string {
    return this.getStringAttribute('method');
  }

  /** Reference to the operation's `url_template`. */
  public get urlTemplate(): string {
    return this.getStringAttribute('url_template');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      api_management_name: this.apiManagementNameInput,
      api_name: this.apiNameInput,
      display_name: this.displayNameInput,
      method: this.methodInput,
      operation_id: this.operationIdInput,
      resource_group_name: this.resourceGroupNameInput,
      url_template: this.urlTemplateInput,
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const text = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'string' });
    return {
      api_management_name: text(this.apiManagementNameInput),
      api_name: text(this.apiNameInput),
      display_name: text(this.displayNameInput),
      method: text(this.methodInput),
      operation_id: text(this.operationIdInput),
      resource_group_name: text(this.resourceGroupNameInput),
      url_template: text(this.urlTemplateInput),
    };
  }
}
