import { Token, Tokenization } from 'cdktf';
import { ClientCertificateTrust, InvalidTrustError, TrustKind } from './client-certificate-trust';
import * as cs from './csharp-expression';
import { CSharpExpression } from './csharp-expression';
import { GateOptions } from './gate-options';
import { GateStyle } from './gate-style';
import { element, expression, literal, PolicyElement, PolicyValue, terraformToken } from './policy-element';
import { invisibleCharactersProblem } from './invisible-characters';
import { literalTextProblem } from './policy-renderer';
import { isResourceThumbprint } from './resource-thumbprint';
import { guardedThumbprint } from './terraform-guard';
import { normalizeThumbprint } from './thumbprint';
import { ITrustedCertificate } from './trusted-certificate';

/** The options of `clientCertificateGate`: the gate options every construct shares. */
export interface ClientCertificateGateOptions extends GateOptions {
  /**
   * How the gate is written; the earlier name of `gateStyle`. Give one of the two.
   * @default GateStyle.VALIDATE_POLICY
   * @deprecated use `gateStyle`
   */
  readonly style?: GateStyle;
}

/** Thrown for gate options that cannot produce a correct, fail-closed gate. */
export class InvalidGateOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidGateOptionsError';
  }
}

export const DEFAULT_REJECT_STATUS_CODE = 401;
export const DEFAULT_REJECT_REASON = 'Invalid client certificate';
/** validate-client-certificate accepts at most this many `<identity>` elements. */
export const MAX_IDENTITIES = 10;

/** The options with every default applied and every value checked. */
interface ResolvedGate {
  readonly trust: ClientCertificateTrust;
  readonly style: GateStyle;
  readonly verifyChain: boolean;
  readonly checkRevocation: boolean;
  readonly checkValidityPeriod: boolean;
  readonly issuer?: string;
  readonly subject?: string;
  readonly rejectStatusCode: number;
  readonly rejectReason: string;
}

const REQUEST_CERTIFICATE = 'context.Request.Certificate';

/**
 * One inbound policy statement that admits only callers presenting an acceptable client
 * certificate and rejects everyone else, including callers without a certificate.
 */
export function clientCertificateGate(options: ClientCertificateGateOptions): PolicyElement {
  const gate = resolveGate(options);
  if (gate.style === GateStyle.EXPRESSION) return expressionGate(gate);
  const members = membersOf(gate);
  if (members.anyUploaded || members.certificateIds.length > 0) {
    // No <identity> claim can say "this uploaded certificate", so membership is an expression
    // and the declarative checks run only for members.
    return element('choose', [], [
      rejectWhen(cs.or(isMissing(), untrusted(members)), gate),
      element('otherwise', [], [validateClientCertificate(gate, [identityClaims(gate, undefined)])]),
    ]);
  }
  return validateClientCertificate(gate, members.thumbprints.map((thumbprint) => identityClaims(gate, thumbprint)));
}

/** Who the trust admits, in the terms a policy can test. */
interface TrustMembers {
  /** Any certificate in `context.Deployment.Certificates`. */
  readonly anyUploaded: boolean;
  /** Pinned thumbprints, literal or Terraform tokens, in the order given. */
  readonly thumbprints: readonly string[];
  /** Uploaded certificates matched by id because their thumbprint changes outside Terraform. */
  readonly certificateIds: readonly string[];
}

function membersOf(gate: ResolvedGate): TrustMembers {
  gate.trust.checkNotEmpty();
  switch (gate.trust.kind) {
    case TrustKind.UPLOADED_CERTIFICATES:
      return { anyUploaded: true, thumbprints: [], certificateIds: [] };
    case TrustKind.THUMBPRINTS:
      return { anyUploaded: false, thumbprints: gate.trust.pinnedThumbprints.map(comparableThumbprint), certificateIds: [] };
    default: {
      const certificates = gate.trust.trustedCertificates;
      return {
        anyUploaded: false,
        thumbprints: unique(certificates.filter((c) => !c.rotatesOutsideTerraform).map((c) => checkedThumbprint(c))).map(comparableThumbprint),
        certificateIds: unique(certificates.filter((c) => c.rotatesOutsideTerraform).map((c) => checkedCertificateId(c))),
      };
    }
  }
}

/** A trusted certificate's thumbprint: a Terraform token, or a literal normalized like pinned ones. */
function checkedThumbprint(certificate: ITrustedCertificate): string {
  if (typeof certificate.thumbprint !== 'string') {
    throw new InvalidTrustError(
      `certificate ${JSON.stringify(certificate.certificateId)} has a thumbprint that is not a string (a number or list token?). ` +
        'Give the thumbprint as text, or a Terraform string value (Token.asString(...) of a string attribute).',
    );
  }
  if (Token.isUnresolved(certificate.thumbprint)) return certificate.thumbprint;
  const thumbprint = normalizeThumbprint(certificate.thumbprint);
  if (!thumbprint) {
    throw new InvalidTrustError(
      `certificate ${JSON.stringify(certificate.certificateId)} has thumbprint ${JSON.stringify(certificate.thumbprint)}, which is not a SHA-1 thumbprint (40 hexadecimal digits).`,
    );
  }
  return thumbprint;
}

/**
 * A thumbprint as the policy may compare it. A literal (already normalized) and the thumbprint
 * attribute of a certificate resource made by this library are written as they are; any other
 * Terraform value (a variable, a data source, text around a reference) is wrapped in
 * `regex("^[0-9A-F]{40}$", upper(...))`, so a value that could end the C# literal or the XML
 * attribute fails the plan instead of reaching the policy.
 */
function comparableThumbprint(thumbprint: string): string {
  if (!Token.isUnresolved(thumbprint) || isResourceThumbprint(thumbprint)) return thumbprint;
  const text = Tokenization.reverseString(thumbprint).literals.join('');
  if (/[^0-9A-Fa-f]/.test(text)) {
    // The guard would fail every plan; say so now, without Terraform's (or cdktf's) detour.
    throw new InvalidTrustError(
      `a thumbprint mixes a Terraform value with the text ${JSON.stringify(text)}, which can never be part of a thumbprint. ` +
        'Pass the Terraform value alone: it must resolve to 40 hexadecimal digits.',
    );
  }
  return guardedThumbprint(thumbprint);
}

/** The id of a certificate matched by id: it is compared as text, so it must be known at synth. */
function checkedCertificateId(certificate: ITrustedCertificate): string {
  if (Token.isUnresolved(certificate.certificateId)) {
    throw new InvalidTrustError(
      'a trusted certificate matched by id (rotatesOutsideTerraform) has a Terraform token as certificateId. ' +
        'The id is compared as text in the policy, so give it as literal text, e.g. the name of the azurerm_api_management_certificate.',
    );
  }
  return certificate.certificateId;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function resolveGate(options: ClientCertificateGateOptions): ResolvedGate {
  if (options.gateStyle !== undefined && options.style !== undefined && options.gateStyle !== options.style) {
    throw new InvalidGateOptionsError('gateStyle and style (its earlier name) disagree. Give only gateStyle.');
  }
  const style = options.gateStyle ?? options.style ?? GateStyle.VALIDATE_POLICY;
  if (!Object.values(GateStyle).includes(style)) {
    throw new InvalidGateOptionsError(`${options.gateStyle !== undefined ? 'gateStyle' : 'style'} ${JSON.stringify(style)} is not a GateStyle. Use GateStyle.VALIDATE_POLICY or GateStyle.EXPRESSION.`);
  }
  const verifyChain = options.verifyChain ?? false;
  const checkRevocation = options.checkRevocation ?? verifyChain;
  if (checkRevocation && !verifyChain) {
    throw new InvalidGateOptionsError(
      'checkRevocation: true needs verifyChain: true, since revocation is checked along the certificate chain. Set verifyChain: true or drop checkRevocation.',
    );
  }
  if (verifyChain && options.checkValidityPeriod === false) {
    // Chain validation (Verify(), validate-trust) checks validity periods itself, so the two
    // styles could not honour this combination alike.
    throw new InvalidGateOptionsError(
      'checkValidityPeriod: false cannot be combined with verifyChain: true, which checks validity periods as part of the chain. Drop one of them.',
    );
  }
  if (style === GateStyle.VALIDATE_POLICY && (options.rejectStatusCode !== undefined || options.rejectReason !== undefined)) {
    throw new InvalidGateOptionsError(
      'rejectStatusCode and rejectReason apply only to GateStyle.EXPRESSION; validate-client-certificate always answers 401. Set gateStyle: GateStyle.EXPRESSION or drop them.',
    );
  }
  const rejectStatusCode = options.rejectStatusCode ?? DEFAULT_REJECT_STATUS_CODE;
  if (!Number.isInteger(rejectStatusCode) || rejectStatusCode < 400 || rejectStatusCode > 499) {
    throw new InvalidGateOptionsError(
      `rejectStatusCode ${rejectStatusCode} is not a client error status. Use an integer from 400 to 499 (401 or 403), so a rejected caller never looks admitted.`,
    );
  }
  const rejectReason = options.rejectReason ?? DEFAULT_REJECT_REASON;
  checkPlainText('rejectReason', rejectReason, 200);
  if (options.issuer !== undefined) checkDistinguishedName('issuer', options.issuer);
  if (options.subject !== undefined) checkDistinguishedName('subject', options.subject);
  const gate: ResolvedGate = {
    trust: options.trust,
    style,
    verifyChain,
    checkRevocation,
    checkValidityPeriod: options.checkValidityPeriod ?? true,
    issuer: options.issuer,
    subject: options.subject,
    rejectStatusCode,
    rejectReason,
  };
  const members = membersOf(gate);
  if (style === GateStyle.VALIDATE_POLICY && !members.anyUploaded && members.certificateIds.length === 0) {
    const count = members.thumbprints.length;
    if (count > MAX_IDENTITIES) {
      throw new InvalidGateOptionsError(
        `validate-client-certificate accepts at most ${MAX_IDENTITIES} identities and this gate trusts ${count} certificates. ` +
          'Use gateStyle: GateStyle.EXPRESSION, or upload the certificates and trust ClientCertificateTrust.uploadedCertificates().',
      );
    }
  }
  return gate;
}

function checkPlainText(what: string, value: string, maxLength: number): void {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InvalidGateOptionsError(`${what} must be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  if (value.length > maxLength) {
    throw new InvalidGateOptionsError(`${what} is ${value.length} characters long; keep it to at most ${maxLength}.`);
  }
  // A bidirectional control reorders how the rest of the line displays in a diff or a portal.
  const hidden = invisibleCharactersProblem(value);
  if (hidden) throw new InvalidGateOptionsError(`${what} ${hidden}.`);
  const problem = literalTextProblem(value);
  if (problem) {
    throw new InvalidGateOptionsError(`${what} ${JSON.stringify(value)} ${problem}. Remove those characters.`);
  }
}

function checkDistinguishedName(what: string, value: string): void {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    throw new InvalidGateOptionsError(
      `${what} is a Terraform token (a variable or a data source). A gate's ${what} must be literal text: APIM compares it as written, ` +
        `and synth proves the gate against it. Give the distinguished name as a string, as .NET prints it (SimulatedCertificate.of(cert).${what === 'issuer' ? 'issuer' : 'subject'}).`,
    );
  }
  // checkPlainText refuses invisible characters too: in a name they match no certificate, so
  // every caller would be locked out, and the rule may display reversed.
  checkPlainText(what, value, 1024);
  if (value !== value.trim() || !/^[A-Za-z][A-Za-z0-9.]*\s*=/.test(value)) {
    throw new InvalidGateOptionsError(
      `${what} ${JSON.stringify(value)} is not a distinguished name as .NET prints it. ` +
        'Write it like "CN=Contoso CA, O=Contoso, C=US", without surrounding spaces.',
    );
  }
}

function thumbprintValue(thumbprint: string): PolicyValue {
  return Token.isUnresolved(thumbprint) ? terraformToken(thumbprint) : literal(thumbprint);
}

function thumbprintLiteral(thumbprint: string): CSharpExpression {
  return Token.isUnresolved(thumbprint) ? cs.tokenStringLiteral(thumbprint) : cs.stringLiteral(thumbprint);
}

function validateClientCertificate(gate: ResolvedGate, identities: PolicyElement[]): PolicyElement {
  const claims = identities.filter((identity) => identity.attributes.length > 0);
  return element(
    'validate-client-certificate',
    [
      ['validate-revocation', gate.checkRevocation],
      ['validate-trust', gate.verifyChain],
      ['validate-not-before', gate.checkValidityPeriod],
      ['validate-not-after', gate.checkValidityPeriod],
      ['ignore-error', false],
    ],
    claims.length > 0 ? [element('identities', [], claims)] : [],
  );
}

function identityClaims(gate: ResolvedGate, thumbprint: string | undefined): PolicyElement {
  return element('identity', [
    ['thumbprint', thumbprint === undefined ? undefined : thumbprintValue(thumbprint)],
    ['subject', gate.subject],
    ['issuer-subject', gate.issuer],
  ]);
}

function expressionGate(gate: ResolvedGate): PolicyElement {
  const reasons: CSharpExpression[] = [isMissing(), untrusted(membersOf(gate))];
  const certificate = cs.code(REQUEST_CERTIFICATE);
  if (gate.verifyChain) {
    reasons.push(cs.not(cs.code(`${REQUEST_CERTIFICATE}.${gate.checkRevocation ? 'Verify()' : 'VerifyNoRevocation()'}`)));
  }
  if (gate.checkValidityPeriod) {
    reasons.push(cs.greaterThan(cs.code('DateTime.Now'), cs.code(`${certificate}.NotAfter`)));
    reasons.push(cs.greaterThan(cs.code(`${certificate}.NotBefore`), cs.code('DateTime.Now')));
  }
  if (gate.issuer !== undefined) {
    reasons.push(cs.notEquals(cs.code(`${certificate}.Issuer`), cs.stringLiteral(gate.issuer)));
  }
  if (gate.subject !== undefined) {
    reasons.push(cs.notEquals(cs.code(`${certificate}.SubjectName.Name`), cs.stringLiteral(gate.subject)));
  }
  return element('choose', [], [rejectWhen(cs.or(...reasons), gate)]);
}

function rejectWhen(condition: CSharpExpression, gate: ResolvedGate): PolicyElement {
  return element('when', [['condition', expression(condition)]], [
    element('return-response', [], [
      element('set-status', [
        ['code', gate.rejectStatusCode],
        ['reason', gate.rejectReason],
      ]),
    ]),
  ]);
}

function isMissing(): CSharpExpression {
  return cs.equals(cs.code(REQUEST_CERTIFICATE), cs.code('null'));
}

const PRESENTED_THUMBPRINT = `${REQUEST_CERTIFICATE}.Thumbprint`;

/**
 * True when the presented certificate is not one the trust admits. For "any uploaded
 * certificate" this is the corrected form of the check in Microsoft's original article on
 * client certificates: it lacked the `!` and admitted every unknown certificate while rejecting
 * every known one.
 */
function untrusted(members: TrustMembers): CSharpExpression {
  if (members.anyUploaded) {
    return cs.not(cs.code(`context.Deployment.Certificates.Any(c => c.Value.Thumbprint == ${PRESENTED_THUMBPRINT})`));
  }
  const presented = cs.code(PRESENTED_THUMBPRINT);
  if (members.thumbprints.length === 1 && members.certificateIds.length === 0) {
    return cs.notEquals(presented, thumbprintLiteral(members.thumbprints[0]));
  }
  return cs.not(
    cs.or(
      ...members.thumbprints.map((thumbprint) => cs.equals(presented, thumbprintLiteral(thumbprint))),
      ...members.certificateIds.map(uploadedUnderId),
    ),
  );
}

/** The certificate uploaded under `certificateId` is the presented one (written without `&&`). */
function uploadedUnderId(certificateId: string): CSharpExpression {
  const otherKey = cs.notEquals(cs.code('c.Key'), cs.stringLiteral(certificateId));
  const otherThumbprint = cs.notEquals(cs.code('c.Value.Thumbprint'), cs.code(PRESENTED_THUMBPRINT));
  return cs.code(`context.Deployment.Certificates.Any(c => ${cs.not(cs.or(otherKey, otherThumbprint)).code})`);
}
