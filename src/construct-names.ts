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
