import { invisibleCharactersProblem } from '../policy/invisible-characters';

export interface BackendUrlCheck {
  /** Why the URL cannot be used, when it cannot. */
  readonly problem?: string;
  /** True for plain http:// URLs, which APIM may use but which expose traffic to the backend. */
  readonly insecure?: boolean;
}

const MAX_PORT = 65535;
// The WHATWG parser would reject these ports as "not a URL"; read them first to say why.
const EXPLICIT_PORT = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/;

/**
 * Checks a URL that API Management forwards requests to: a `serviceUrl` written into a policy's
 * `set-backend-service`, or a backend's `url`. Both get the same rules, so a value accepted in
 * one place is accepted in the other. Only literal text is checked here; a Terraform token is
 * guarded where it is used (`guardedUrl`).
 *
 * The raw text is checked before it is parsed: the URL parser silently drops tabs, line breaks
 * and surrounding spaces, and the raw text, not the parsed form, is what reaches API Management.
 */
export function checkBackendUrl(url: string): BackendUrlCheck {
  if (typeof url !== 'string' || url.length === 0) {
    return { problem: 'is empty. Use the full backend address, e.g. "https://orders.internal.example.com/api"' };
  }
  if (url.includes('{{')) return { problem: 'contains "{{", which APIM would replace with a named value' };
  if (/[$%]\{/.test(url)) return { problem: 'contains "${" or "%{", which Terraform would interpolate. Pass a Terraform reference as a token instead' };
  const hidden = invisibleCharactersProblem(url);
  if (hidden) return { problem: hidden };
  if (/[\s\u0000-\u001F\u007F-\u009F]/.test(url)) {
    return { problem: 'contains spaces or control characters, which the URL parser drops or APIM rejects. Remove them (percent-encode a space in a path as %20)' };
  }
  if (/[^\u0020-\u007E]/.test(url)) {
    return { problem: 'contains non-ASCII characters. Write the host in its punycode form (xn--…) and percent-encode the path' };
  }
  const port = EXPLICIT_PORT.exec(url)?.[1];
  if (port !== undefined && Number(port) > MAX_PORT) {
    return { problem: `has port ${port}, above ${MAX_PORT}, the highest TCP port. Use the backend's real port` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'is not an absolute URL. Use the full backend address, e.g. "https://orders.internal.example.com/api"' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { problem: `uses "${parsed.protocol}"; API Management forwards only to http:// or https:// backends` };
  }
  if (parsed.username || parsed.password) {
    return { problem: 'contains credentials, which would be written to cdk.tf.json in plain text. Remove them and authenticate the backend another way' };
  }
  if (url.includes('?') || url.includes('#')) {
    return { problem: 'has a query string or fragment; API Management appends operation paths to the service URL. Remove them' };
  }
  return { insecure: parsed.protocol === 'http:' };
}
