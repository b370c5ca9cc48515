const SEGMENT = '[A-Za-z0-9._~-]+';
const API_PATH = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
export const MAX_API_PATH_LENGTH = 400;

/** Why `path` cannot be an APIM API URL suffix, or undefined when it can. */
export function apiPathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) {
    return 'must not be empty. Use a URL suffix such as "orders" or "partners/v1"';
  }
  if (path.startsWith('/') || path.endsWith('/')) {
    return `must not start or end with "/". Write it as ${JSON.stringify(path.replace(/^\/+|\/+$/g, ''))}`;
  }
  if (path.length > MAX_API_PATH_LENGTH) return `is longer than ${MAX_API_PATH_LENGTH} characters`;
  if (!API_PATH.test(path)) {
    return 'may contain only letters, digits, ".", "_", "~", "-" and "/" between segments. Remove the other characters';
  }
  // Clients and proxies resolve "." and ".." before a request reaches APIM, so such an API
  // would answer under another path than the one reviewed.
  const dotSegment = path.split('/').find((segment) => segment === '.' || segment === '..');
  if (dotSegment !== undefined) {
    return `has a ${JSON.stringify(dotSegment)} segment, which URLs resolve away, so callers would reach the API under another path. Remove it`;
  }
  return undefined;
}
