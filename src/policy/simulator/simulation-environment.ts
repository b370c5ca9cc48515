import { X509Certificate } from 'node:crypto';
import { headerKey } from './dotnet/text-rules';
import { PolicyFormat } from './policy-xml-reader';
import { RevocationStatus } from './revocation-status';
import { SimulatedCertificate } from './simulated-certificate';
import { SimulatedCertificateInput, SimulatedRequest } from './simulated-request';
import { PolicySimulationError } from './simulation-errors';
import { ValidationEnvironment } from './validate-client-certificate';

/* The simulated request checked, with defaults applied and certificates seen the .NET way. */

export interface RunEnvironment extends ValidationEnvironment {
  readonly certificate: SimulatedCertificate | undefined;
  /** Request headers by lower-case name. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly namedValues: Readonly<Record<string, string>>;
  readonly fragments: Readonly<Record<string, string>>;
  readonly format: PolicyFormat;
  readonly fragmentFormats: Readonly<Record<string, PolicyFormat>>;
}

/** An HTTP header name (RFC 9110 token). */
/** An HTTP header name (RFC 9110 token): what a request can carry. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function environmentOf(request: SimulatedRequest): RunEnvironment {
  const now = request.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new PolicySimulationError('request.now must be a valid Date');
  const revocation = request.revocation ?? RevocationStatus.UNREACHABLE;
  if (!Object.values(RevocationStatus).includes(revocation)) {
    throw new PolicySimulationError(`request.revocation ${JSON.stringify(revocation)} is not a RevocationStatus`);
  }
  return {
    certificate: request.clientCertificate === undefined ? undefined : certificateOf(request.clientCertificate, 'request.clientCertificate'),
    uploadedCertificates: uploadedCertificatesOf(request.uploadedCertificates ?? {}),
    caCertificates: (request.caCertificates ?? []).map((certificate, i) => certificateOf(certificate, `request.caCertificates[${i}]`)),
    intermediateCertificates: (request.intermediateCertificates ?? []).map((certificate, i) => certificateOf(certificate, `request.intermediateCertificates[${i}]`)),
    now,
    revocation,
    headers: headersOf(request.headers ?? {}),
    namedValues: namedValuesOf(request.namedValues ?? {}),
    fragments: request.fragments ?? {},
    format: request.format ?? PolicyFormat.AUTO,
    fragmentFormats: request.fragmentFormats ?? {},
    ...(request.observer ? { observer: request.observer } : {}),
  };
}

/**
 * Callers such as the access matrix simulate thousands of requests against one service's
 * certificates: converting them once per record keeps each simulation independent of their number.
 */
const UPLOADED_SEEN = new WeakMap<object, ReadonlyArray<readonly [string, SimulatedCertificate]>>();

function uploadedCertificatesOf(uploaded: Readonly<Record<string, SimulatedCertificateInput>>): ReadonlyArray<readonly [string, SimulatedCertificate]> {
  let converted = UPLOADED_SEEN.get(uploaded);
  if (!converted) {
    converted = Object.entries(uploaded).map(([id, certificate]) => [id, certificateOf(certificate, `request.uploadedCertificates[${JSON.stringify(id)}]`)] as const);
    UPLOADED_SEEN.set(uploaded, converted);
  }
  return converted;
}

function certificateOf(value: unknown, what: string): SimulatedCertificate {
  if (value instanceof SimulatedCertificate) return value;
  if (!(value instanceof X509Certificate)) throw new PolicySimulationError(`${what} must be a crypto.X509Certificate or a SimulatedCertificate`);
  return SimulatedCertificate.of(value);
}

function headersOf(headers: Readonly<Record<string, string | readonly string[]>>): ReadonlyMap<string, readonly string[]> {
  const byName = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new PolicySimulationError(`request.headers: ${JSON.stringify(name)} is not an HTTP header name`);
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && !/[\r\n\0]/.test(v))) {
      throw new PolicySimulationError(`request.headers[${JSON.stringify(name)}] must be a string or a non-empty list of strings without line breaks`);
    }
    const key = headerKey(name);
    if (byName.has(key)) throw new PolicySimulationError(`request.headers names ${JSON.stringify(name)} twice (header names ignore case); give its values as one list`);
    byName.set(key, [...values]);
  }
  return byName;
}

function namedValuesOf(namedValues: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [name, value] of Object.entries(namedValues)) {
    if (typeof value !== 'string') throw new PolicySimulationError(`request.namedValues[${JSON.stringify(name)}] must be a string`);
  }
  return namedValues;
}
