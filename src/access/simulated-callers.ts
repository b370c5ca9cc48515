import { createHash, X509Certificate } from 'node:crypto';
import { Plan, PlanService, PlanSymbolKind } from '../plan';
import { SimulatedCertificate } from '../policy/simulator';
import { Caller, CallerKind, CallerRole } from './caller';

const DAY = 24 * 60 * 60 * 1000;
/** Validity assumed for a certificate whose dates the plan does not know: valid around "now". */
const ASSUMED_VALIDITY = 365 * DAY;

/**
 * Headers that gateways in front of APIM commonly use to forward a client certificate. A gate
 * that trusts one of them admits whoever sends it, unless the gateway strips it on every other
 * path; the forged-header caller sends them all.
 */
const FORWARDED_CERTIFICATE_HEADERS: readonly string[] = ['X-ARR-ClientCert', 'X-Client-Cert', 'X-Client-Certificate', 'X-SSL-Client-Cert', 'X-Forwarded-Client-Cert', 'SSL-Client-Cert'];
const FORGED_HEADER_VALUE = 'forged';

/** A caller with what the simulation needs: the certificate presented and the moment of the request. */
export interface CallerSetup {
  readonly caller: Caller;
  readonly presented?: SimulatedCertificate;
  /** Request headers sent. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly at: Date;
  /**
   * This caller presents the stand-in's certificate with one field changed, at the stand-in's
   * moment: it fares exactly as the stand-in wherever the policies neither test that field of
   * the stand-in against a text this caller's value passes, nor use it otherwise.
   */
  readonly represents?: Representation;
}

/** Fields of the presented certificate the simulation watches on stand-ins. */
export enum WatchedField {
  THUMBPRINT = 'thumbprint',
  SUBJECT = 'subject',
  ISSUER = 'issuer',
  COMMON_NAME = 'common-name',
  SERIAL_NUMBER = 'serial-number',
}

export interface Representation {
  /** Key of the stand-in caller. */
  readonly standIn: string;
  readonly field: WatchedField;
  /** This caller's value of the field. */
  readonly value: string;
}

/** The watched values of a presented certificate, by field. */
export function watchedValues(certificate: SimulatedCertificate): ReadonlyMap<WatchedField, string> {
  const values = new Map<WatchedField, string>([
    [WatchedField.THUMBPRINT, certificate.thumbprint],
    [WatchedField.SUBJECT, certificate.subject],
    [WatchedField.ISSUER, certificate.issuer],
  ]);
  if (certificate.commonName !== undefined) values.set(WatchedField.COMMON_NAME, certificate.commonName);
  if (certificate.serialNumber !== '') values.set(WatchedField.SERIAL_NUMBER, certificate.serialNumber);
  return values;
}

/** The service's uploaded and CA certificates, as the simulator sees them. */
export interface ServiceCertificates {
  /** By certificate name (APIM id), or address when the name is undecided. */
  readonly uploaded: Readonly<Record<string, SimulatedCertificate>>;
  /** CA certificates that can anchor chains: the Root store, or a store the plan does not know. */
  readonly cas: readonly SimulatedCertificate[];
  /** CA certificates of the CertificateAuthority store: intermediates only. */
  readonly intermediates: readonly SimulatedCertificate[];
}

const FORTY_HEX = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{40}(?![0-9A-Fa-f])/g;

/** The 40-digit thumbprints in a text, upper case. */
export function thumbprintsIn(text: string): string[] {
  return (text.match(FORTY_HEX) ?? []).map((value) => value.toUpperCase());
}

/** The simulator's view of the service's certificates. */
export function serviceCertificates(service: PlanService, now: Date): ServiceCertificates {
  const cas: SimulatedCertificate[] = [];
  const intermediates: SimulatedCertificate[] = [];
  for (const ca of service.caCertificates) {
    if (!ca.der.known) continue;
    const certificate = SimulatedCertificate.of(new X509Certificate(Buffer.from(ca.der.value, 'base64')));
    (ca.store.known && ca.store.value === 'CertificateAuthority' ? intermediates : cas).push(certificate);
  }
  const uploaded: Record<string, SimulatedCertificate> = {};
  for (const certificate of service.certificates) {
    const id = certificate.name.known ? certificate.name.value : certificate.address;
    uploaded[id] = certificateFacts(certificate, [...cas, ...intermediates], now);
  }
  return { uploaded, cas, intermediates };
}

function certificateFacts(certificate: PlanService['certificates'][number], cas: readonly SimulatedCertificate[], now: Date): SimulatedCertificate {
  const claims = certificate.claims;
  const notBefore = parseDate(claims?.notBefore) ?? new Date(now.getTime() - ASSUMED_VALIDITY);
  const notAfter = parseDate(claims?.notAfter) ?? new Date(now.getTime() + ASSUMED_VALIDITY);
  const issuer = claims?.issuer ?? `CN=unknown issuer of ${certificate.address}`;
  return SimulatedCertificate.fromFacts({
    thumbprint: certificate.thumbprint,
    subject: claims?.subject ?? `CN=unknown subject of ${certificate.address}`,
    issuer,
    notBefore,
    notAfter,
    issuedBy: claims?.selfSigned ? 'self' : cas.find((ca) => claims?.issuer !== undefined && ca.subject === issuer),
  });
}

/**
 * The fixed set of callers of one service: each certificate the plan knows (uploaded ones, a
 * leaf of each uploaded CA, each thumbprint pinned in a policy that no certificate of the plan
 * has), an unknown certificate, no certificate, an expired copy of each of those certificates
 * and an impostor of each one whose names are known.
 */
export function callersOf(plan: Plan, service: PlanService, certificates: ServiceCertificates, texts: readonly string[], now: Date): CallerSetup[] {
  // The simulated callers' own thumbprints and names depend on every text the policies can
  // read: a policy can never single them out (reject exactly them and admit everyone else).
  const salt = digest(texts.join('\u0000')).slice(0, 12);
  const unknown = SimulatedCertificate.fromFacts({
    thumbprint: digest(`a certificate the plan does not know ${salt}`),
    subject: `CN=unknown-caller-${salt.toLowerCase()}.example`,
    issuer: `CN=unknown issuer ${salt.toLowerCase()}`,
    serialNumber: salt,
    notBefore: new Date(now.getTime() - ASSUMED_VALIDITY),
    notAfter: new Date(now.getTime() + ASSUMED_VALIDITY),
  });
  const backendCertificates = new Set(service.backends.flatMap((backend) => backend.clientCertificates.flatMap((ref) => (ref.certificate ? [ref.certificate] : []))));
  const setups: CallerSetup[] = [];
  for (const certificate of service.certificates) {
    const id = certificate.name.known ? certificate.name.value : certificate.address;
    const presented = certificates.uploaded[id];
    setups.push({
      caller: {
        key: `certificate:${certificate.address}`,
        kind: CallerKind.CERTIFICATE,
        certificate: certificate.address,
        thumbprint: certificate.thumbprint,
        ...(certificate.thumbprintKnown ? {} : { placeholderThumbprint: true }),
        ...(certificate.claims?.subject !== undefined ? { subject: presented.subject } : {}),
        ...(certificate.claims?.issuer !== undefined ? { issuer: presented.issuer } : {}),
        roles: backendCertificates.has(certificate.address) ? [CallerRole.CLIENT, CallerRole.BACKEND_CLIENT] : [CallerRole.CLIENT],
      },
      presented,
      at: within(now, presented),
    });
  }
  for (const ca of [...certificates.cas, ...certificates.intermediates]) {
    const leaf = SimulatedCertificate.fromFacts({
      thumbprint: digest(`leaf of ${ca.thumbprint} ${salt}`),
      subject: `CN=client ${salt.toLowerCase()} issued by ${ca.commonName ?? ca.subject}`,
      issuer: ca.subject,
      notBefore: ca.notBefore,
      notAfter: ca.notAfter,
      issuedBy: ca,
    });
    setups.push({
      caller: { key: `ca-leaf:${ca.thumbprint}`, kind: CallerKind.CA_LEAF, thumbprint: leaf.thumbprint, subject: leaf.subject, issuer: leaf.issuer, issuedBy: ca.thumbprint, roles: [CallerRole.CLIENT] },
      presented: leaf,
      at: within(now, leaf),
    });
  }
  const known = new Set([
    ...plan.services.flatMap((other) => other.certificates.map((certificate) => certificate.thumbprint)),
    ...[...certificates.cas, ...certificates.intermediates].map((ca) => ca.thumbprint),
  ]);
  const guarded = new Set(plan.symbols.filter((symbol) => symbol.kind === PlanSymbolKind.GUARDED_THUMBPRINT).map((symbol) => symbol.value));
  const pinned = [...new Set(texts.flatMap(thumbprintsIn))].filter((thumbprint) => !known.has(thumbprint)).sort();
  for (const thumbprint of pinned) setups.push(pinnedCaller(unknown, thumbprint, guarded.has(thumbprint) ? CallerKind.GUARDED_THUMBPRINT : CallerKind.PINNED_THUMBPRINT, now));
  const copies: CallerSetup[] = [];
  for (const setup of setups) {
    const original = setup.caller;
    const presented = setup.presented!;
    copies.push(expiredCopy(setup));
    if (original.subject === undefined || original.issuer === undefined) continue;
    const impostor = SimulatedCertificate.fromFacts({
      thumbprint: digest(`impostor of ${original.key} ${salt}`),
      subject: presented.subject,
      issuer: presented.issuer,
      notBefore: presented.notBefore,
      notAfter: presented.notAfter,
    });
    copies.push({
      caller: {
        key: `impostor:${original.key}`,
        kind: CallerKind.IMPOSTOR,
        copyOf: original.key,
        thumbprint: impostor.thumbprint,
        subject: impostor.subject,
        issuer: impostor.issuer,
        ...(original.certificate ? { certificate: original.certificate } : {}),
        roles: [],
      },
      presented: impostor,
      at: setup.at,
    });
  }
  const unknownSetup: CallerSetup = {
    caller: { key: 'unknown', kind: CallerKind.UNKNOWN_CERTIFICATE, thumbprint: unknown.thumbprint, subject: unknown.subject, issuer: unknown.issuer, roles: [] },
    presented: unknown,
    at: now,
  };
  return [
    ...setups,
    unknownSetup,
    { caller: { key: 'none', kind: CallerKind.NO_CERTIFICATE, roles: [] }, at: now },
    {
      caller: { key: 'forged-header', kind: CallerKind.FORGED_HEADER, roles: [] },
      headers: Object.fromEntries(FORWARDED_CERTIFICATE_HEADERS.map((name) => [name, FORGED_HEADER_VALUE])),
      at: now,
    },
    expiredCopy(unknownSetup),
    ...copies,
  ];
}

/**
 * The holder of a thumbprint only a policy names: the stand-in's certificate with that
 * thumbprint, since nothing else about it is known.
 */
export function pinnedCaller(standIn: SimulatedCertificate, thumbprint: string, kind: CallerKind.PINNED_THUMBPRINT | CallerKind.GUARDED_THUMBPRINT, now: Date): CallerSetup {
  return {
    caller: { key: `thumbprint:${thumbprint}`, kind, thumbprint, roles: [CallerRole.CLIENT] },
    presented: withFacts(standIn, { thumbprint }),
    at: now,
    represents: { standIn: 'unknown', field: WatchedField.THUMBPRINT, value: thumbprint },
  };
}

/** The same certificate presented a day after it expired; a copy of a represented caller represents the expired stand-in. */
export function expiredCopy(setup: CallerSetup): CallerSetup {
  const original = setup.caller;
  const presented = setup.presented!;
  return {
    caller: { ...original, key: `expired:${original.key}`, kind: CallerKind.EXPIRED, copyOf: original.key },
    presented,
    at: new Date(presented.notAfter.getTime() + DAY),
    ...(setup.represents ? { represents: { ...setup.represents, standIn: `expired:${setup.represents.standIn}` } } : {}),
  };
}

export interface ChosenFacts {
  readonly thumbprint?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly serialNumber?: string;
}

/** A certificate like `certificate` (signed by no CA) with some facts replaced. */
export function withFacts(certificate: SimulatedCertificate, facts: ChosenFacts): SimulatedCertificate {
  return SimulatedCertificate.fromFacts({
    thumbprint: facts.thumbprint ?? certificate.thumbprint,
    subject: facts.subject ?? certificate.subject,
    issuer: facts.issuer ?? certificate.issuer,
    serialNumber: facts.serialNumber ?? certificate.serialNumber,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  });
}

/** `now`, moved into the certificate's validity period: the certificate as presented while valid. */
function within(now: Date, certificate: SimulatedCertificate): Date {
  const time = Math.min(Math.max(now.getTime(), certificate.notBefore.getTime()), certificate.notAfter.getTime());
  return new Date(time);
}

function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').toUpperCase();
}
