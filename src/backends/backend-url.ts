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
// Scheme, "//" and the authority exactly as written, before any parser repairs them.
const WRITTEN_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]+)/;

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
  if (url.includes('\\')) {
    return { problem: 'contains a backslash, which URL parsers read as "/" or as part of the host, so the address shown is not where requests go. Use "/"' };
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
  const written = writtenFormProblem(url, parsed);
  if (written) return { problem: written };
  return { insecure: parsed.protocol === 'http:' };
}

/**
 * Why the URL as written differs from what a URL parser makes of it, or undefined. The text,
 * not the parsed form, reaches API Management and the review, so an address that parsers repair
 * (missing "//", an "@" before the host, an encoded or shortened host, "." and ".." segments
 * that are resolved away, port 0) is refused rather than shown as one place and used as another.
 */
function writtenFormProblem(url: string, parsed: URL): string | undefined {
  const authority = WRITTEN_AUTHORITY.exec(url)?.[1];
  if (authority === undefined) {
    return `is not written as "${parsed.protocol}//" followed by the host. Write it as ${JSON.stringify(parsed.href)}`;
  }
  if (authority.includes('@')) {
    return 'has an "@" before the host, so it reads as user information followed by another host. Remove everything up to the "@"';
  }
  const host = authority.startsWith('[') ? undefined : authority.replace(/:\d*$/, '').toLowerCase();
  if (host !== undefined && host !== parsed.hostname) {
    return `names host ${JSON.stringify(host)}, which URL parsers read as ${JSON.stringify(parsed.hostname)}. Write the host as ${JSON.stringify(parsed.hostname)}`;
  }
  if (/:0+$/.test(authority)) return 'has port 0, on which no backend can listen. Use the backend\'s real port';
  const path = url.slice(url.indexOf('://') + 3 + authority.length);
  const dotSegment = path.split('/').find((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  if (dotSegment !== undefined) {
    return `has a ${JSON.stringify(dotSegment)} path segment, which URL parsers resolve away, so requests would go to another path than the one shown. Remove it`;
  }
  return undefined;
}
