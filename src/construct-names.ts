/**
 * A stable resource name from a construct id: `PartnerApi` → `partner-api`. Used for the
 * default names of APIs, certificates and backends, so renaming nothing keeps every name.
 */
export function nameFromConstructId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** An API Management resource id (API name, product id, backend id): 1-80 letters, digits, ".", "_" and "-", starting with a letter or digit. */
export const APIM_RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
