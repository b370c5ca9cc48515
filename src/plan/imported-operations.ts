import { known, PlanValue, undecided } from './plan-value';
import { isRecord } from './terraform-configuration';

/** An operation an API definition declares: what APIM creates from it on import. */
export interface ImportedOperation {
  readonly method: string;
  readonly urlTemplate: string;
  readonly operationId?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Formats whose inline content may be JSON. */
const INLINE_FORMATS = new Set(['openapi+json', 'swagger-json', 'openapi']);

/**
 * The operations of an `import` block whose content is inline OpenAPI/Swagger JSON. Any other
 * import (a link, YAML, WSDL, WADL, content computed by Terraform) defines operations the plan
 * cannot list: undecided, with the reason.
 */
export function importedOperations(format: PlanValue<string>, content: PlanValue<string>): PlanValue<readonly ImportedOperation[]> {
  if (!format.known) return undecided(`its import format is ${format.reason}`);
  if (!INLINE_FORMATS.has(format.value)) return undecided(`its operations are defined by the import (${format.value})`);
  if (!content.known) return undecided(`its operations are defined by the import, whose content is ${content.reason}`);
  let document: unknown;
  try {
    document = JSON.parse(content.value);
  } catch {
    return undecided(`its operations are defined by the import (${format.value} content that is not JSON)`);
  }
  const paths = isRecord(document) ? document.paths : undefined;
  if (!isRecord(paths)) return undecided('its operations are defined by the import (no "paths" object in the definition)');
  const operations: ImportedOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        urlTemplate: path,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
      });
    }
  }
  return known(operations);
}
