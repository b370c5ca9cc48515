import { readFileSync } from 'node:fs';
import { Token } from 'cdktf';
import { escapeTemplateSequences } from '../certificates/secret';

/** The formats azurerm's `import` block takes (`content_format`). */
export enum ApiDefinitionFormat {
  /** OpenAPI 3 in YAML, inline. */
  OPENAPI = 'openapi',
  /** OpenAPI 3 in JSON, inline. */
  OPENAPI_JSON = 'openapi+json',
  /** OpenAPI 3 in YAML at a public URL. */
  OPENAPI_LINK = 'openapi-link',
  /** OpenAPI 3 in JSON at a public URL. */
  OPENAPI_JSON_LINK = 'openapi+json-link',
  /** Swagger 2 in JSON, inline. */
  SWAGGER_JSON = 'swagger-json',
  /** Swagger 2 in JSON at a public URL. */
  SWAGGER_LINK_JSON = 'swagger-link-json',
  /** WADL in XML, inline. */
  WADL_XML = 'wadl-xml',
  /** WADL at a public URL. */
  WADL_LINK_JSON = 'wadl-link-json',
  /** WSDL, inline (SOAP pass-through). */
  WSDL = 'wsdl',
  /** WSDL at a public URL. */
  WSDL_LINK = 'wsdl-link',
}

/** Which service and endpoint of a WSDL to import. */
export interface WsdlSelector {
  /** The WSDL service to import. */
  readonly serviceName: string;
  /** The endpoint (port) of that service. */
  readonly endpointName: string;
}

export interface ApiDefinitionOptions {
  /**
   * For WSDL formats: the one service and endpoint to import.
   * @default - the whole document
   */
  readonly wsdlSelector?: WsdlSelector;
}

const LINK_FORMATS: readonly ApiDefinitionFormat[] = [
  ApiDefinitionFormat.OPENAPI_LINK,
  ApiDefinitionFormat.OPENAPI_JSON_LINK,
  ApiDefinitionFormat.SWAGGER_LINK_JSON,
  ApiDefinitionFormat.WADL_LINK_JSON,
  ApiDefinitionFormat.WSDL_LINK,
];
const WSDL_FORMATS: readonly ApiDefinitionFormat[] = [ApiDefinitionFormat.WSDL, ApiDefinitionFormat.WSDL_LINK];

/**
 * The definition an API is imported from (azurerm's `import` block): API Management creates the
 * API's operations from it. Inline content is written into `cdk.tf.json` with Terraform's
 * interpolation sequences escaped (`$${`, `%%{`), so the document arrives unchanged.
 */
export class ApiDefinition {
  /**
   * An OpenAPI 3 (YAML or JSON) or Swagger 2 (JSON) document as text; the format is detected
   * (JSON with `"swagger": "2.0"` is Swagger, other JSON OpenAPI JSON, anything else OpenAPI YAML).
   */
  public static openApi(document: string): ApiDefinition {
    return new ApiDefinition(() => ({ format: detectFormat(document), value: document }));
  }

  /** Like `openApi`, read from a file at synth (relative paths from the directory cdktf runs the app in). */
  public static openApiFile(path: string): ApiDefinition {
    return new ApiDefinition(() => {
      let document: string;
      try {
        document = readFileSync(path, 'utf8');
      } catch (error) {
        throw new Error(`definition file ${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Check the path.`);
      }
      return { format: detectFormat(document), value: document };
    });
  }

  /** An OpenAPI 3 document (YAML) that API Management downloads from a public https URL at apply. */
  public static openApiLink(url: string): ApiDefinition {
    return ApiDefinition.of(ApiDefinitionFormat.OPENAPI_LINK, url);
  }

  /** Any format azurerm's `import` block takes: inline content, or a URL for the link formats. */
  public static of(format: ApiDefinitionFormat, value: string, options: ApiDefinitionOptions = {}): ApiDefinition {
    return new ApiDefinition(() => ({ format, value, wsdlSelector: options.wsdlSelector }));
  }

  private read?: ReadDefinition;

  private constructor(private readonly reader: () => ReadDefinition) {}

  /**
   * The checked `import` block, read on first use so that errors name the construct.
   * @internal
   */
  public importBlock(): { contentFormat: string; contentValue: string; wsdlSelector?: WsdlSelector } {
    this.read ??= this.reader();
    const { format, value, wsdlSelector } = this.read;
    const problem = definitionProblem(format, value, wsdlSelector);
    if (problem) throw new Error(`definition ${problem}.`);
    return {
      contentFormat: format,
      // Terraform interpolates "${" and "%{" in any string; doubled, they arrive as written.
      contentValue: LINK_FORMATS.includes(format) || Token.isUnresolved(value) ? value : escapeTemplateSequences(value),
      wsdlSelector,
    };
  }
}

interface ReadDefinition {
  readonly format: ApiDefinitionFormat;
  readonly value: string;
  readonly wsdlSelector?: WsdlSelector;
}

function detectFormat(document: string): ApiDefinitionFormat {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return ApiDefinitionFormat.OPENAPI;
  }
  const isObject = typeof parsed === 'object' && parsed !== null;
  return isObject && (parsed as { swagger?: unknown }).swagger !== undefined ? ApiDefinitionFormat.SWAGGER_JSON : ApiDefinitionFormat.OPENAPI_JSON;
}

function definitionProblem(format: ApiDefinitionFormat, value: string, wsdlSelector: WsdlSelector | undefined): string | undefined {
  if (!Object.values(ApiDefinitionFormat).includes(format)) {
    return `format ${JSON.stringify(format)} is not one azurerm imports. Use an ApiDefinitionFormat`;
  }
  if (typeof value !== 'string' || value.trim() === '') return 'is empty. Give the document, or its URL for a link format';
  if (wsdlSelector !== undefined && !WSDL_FORMATS.includes(format)) return `has a wsdlSelector, which applies only to WSDL formats, not ${format}`;
  for (const [field, name] of Object.entries(wsdlSelector ?? {})) {
    // Written into cdk.tf.json as is: Terraform would evaluate "${" and "%{" in it.
    if (typeof name !== 'string' || name.trim() === '' || Token.isUnresolved(name) || /[$%]\{|[\u0000-\u001f\u007f]/.test(name)) {
      return `wsdlSelector.${field} ${JSON.stringify(name)} is not a WSDL ${field === 'serviceName' ? 'service' : 'endpoint'} name. Give the name as the WSDL writes it, without "\${", "%{" or control characters`;
    }
  }
  if (Token.isUnresolved(value)) return undefined;
  if (LINK_FORMATS.includes(format)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || /[$%]\{/.test(value)) {
      return `URL ${JSON.stringify(value)} is not an https:// URL API Management can download (${format} is a link format)`;
    }
    if (url.username || url.password) return `URL ${JSON.stringify(value)} contains credentials, which would be written to cdk.tf.json. Remove them`;
  }
  return undefined;
}
