export interface ServiceUrlCheck {
  /** Why the URL cannot be used, when it cannot. */
  readonly problem?: string;
  /** True for plain http:// URLs, which APIM may use but which expose traffic to the backend. */
  readonly insecure?: boolean;
}

/** Checks a backend URL: absolute, http(s), and without credentials that would land in cdk.tf.json. */
export function checkServiceUrl(url: string): ServiceUrlCheck {
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
  if (/[$%]\{/.test(url)) return { problem: 'contains "${" or "%{", which Terraform would interpolate' };
  if (parsed.search || parsed.hash) {
    return { problem: 'has a query string or fragment; API Management appends operation paths to the service URL. Remove them' };
  }
  return { insecure: parsed.protocol === 'http:' };
}
