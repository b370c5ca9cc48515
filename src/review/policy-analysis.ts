import { PolicyFormat, PolicyXmlDocument, PolicyXmlElement, readPolicyXml } from '../policy/simulator/policy-xml-reader';
import { CertificateChecks, PolicyClaim, ReviewedGateStatus, ReviewedGateStyle, TrustMemberKind } from './security-model';

/*
 * Reads the client-certificate gate of a policy document. It knows the forms this library
 * generates and reads validate-client-certificate and choose/when conditions term by term;
 * anything else is reported as "not recognised" with what was found, never guessed at.
 */

/** A trust member as written in the policy, before it is matched to the plan's certificates. */
export interface WrittenTrustMember {
  readonly kind: TrustMemberKind;
  /** THUMBPRINT: the value as written (a literal or a `${…}` Terraform reference). */
  readonly thumbprint?: string;
  /** CERTIFICATE_ID: the id as written. */
  readonly certificateId?: string;
  /** IDENTITY: its claims, sorted by name. */
  readonly claims?: readonly PolicyClaim[];
}

export interface WrittenGate {
  readonly status: ReviewedGateStatus;
  readonly style?: ReviewedGateStyle;
  readonly members: readonly WrittenTrustMember[];
  readonly rules: readonly PolicyClaim[];
  readonly checks?: CertificateChecks;
  readonly rejectStatusCode?: number;
  readonly rejectReason?: string;
  readonly problem?: string;
  readonly details: readonly string[];
}

export interface WrittenCertificateReference {
  readonly thumbprint?: string;
  readonly certificateId?: string;
}

export interface PolicyAnalysis {
  readonly gate: WrittenGate;
  readonly backendId?: string;
  readonly baseUrl?: string;
  readonly authenticationCertificates: readonly WrittenCertificateReference[];
  /** Whether `<inbound>` contains `<base />` (the enclosing scopes' policies run). */
  readonly inboundHasBase: boolean;
  /** Findings about the policy itself, plain text. */
  readonly notes: readonly string[];
}

const CLAIMS = ['thumbprint', 'serial-number', 'common-name', 'subject', 'dns-name', 'issuer-subject', 'issuer-thumbprint', 'issuer-certificate-id'];
const VALIDATE_DEFAULTS: Readonly<Record<string, boolean>> = {
  'validate-revocation': true,
  'validate-trust': true,
  'validate-not-before': true,
  'validate-not-after': true,
  'ignore-error': false,
};
const MAX_DETAIL = 400;
/** Attributes that can hold certificate bytes or passwords: never copied into a report. */
const SECRET_ATTRIBUTES = new Set(['password', 'body', 'data']);

/** Analyses a policy document as written to `xml_content`. */
export function analysePolicy(text: string): PolicyAnalysis {
  const trimmed = text.trim();
  if (/^\$\{[\s\S]*\}$/.test(trimmed) && !trimmed.includes('<')) {
    return unreadable(`the policy is computed by Terraform at apply time (${shorten(trimmed)}), so the plan does not show it`);
  }
  let document: PolicyXmlDocument;
  try {
    document = readPolicyXml(text, PolicyFormat.AUTO);
  } catch (error) {
    return unreadable(`the policy cannot be read: ${(error as Error).message}`);
  }
  const analysis = analyseDocument(document);
  if (document.format === PolicyFormat.XML) {
    // azurerm sends the text as rawxml: if that reading means something else, say so.
    let raw: PolicyXmlDocument | undefined;
    try {
      raw = readPolicyXml(text, PolicyFormat.RAWXML);
    } catch {
      raw = undefined;
    }
    if (raw && JSON.stringify(analyseDocument(raw).gate) !== JSON.stringify(analysis.gate)) {
      return {
        ...analysis,
        gate: notRecognised(
          'the policy means different things read as XML and as rawxml (how azurerm sends it); make its expressions XML-neutral',
          analysis.gate.details,
        ),
      };
    }
  }
  return analysis;
}

function unreadable(problem: string): PolicyAnalysis {
  return { gate: notRecognised(problem, []), authenticationCertificates: [], inboundHasBase: false, notes: [] };
}

function notRecognised(problem: string, details: readonly string[]): WrittenGate {
  return { status: ReviewedGateStatus.NOT_RECOGNISED, members: [], rules: [], problem, details };
}

function analyseDocument(document: PolicyXmlDocument): PolicyAnalysis {
  const root = document.root;
  if (root.name !== 'policies') {
    return unreadable(`the document's root element is <${root.name}>, not <policies>`);
  }
  const notes: string[] = [];
  const inbounds = root.children.filter((child) => child.name === 'inbound');
  const inbound = inbounds[0];
  const candidates: PolicyXmlElement[] = [];
  const elsewhere: PolicyXmlElement[] = [];
  const fragments: string[] = [];
  const authenticationCertificates: WrittenCertificateReference[] = [];
  let backendId: string | undefined;
  let baseUrl: string | undefined;
  let inboundHasBase = false;

  for (const section of root.children) {
    if (section === inbound) continue;
    if (mentionsClientCertificate(section)) elsewhere.push(section);
  }
  for (const statement of inbound?.children ?? []) {
    switch (statement.name) {
      case 'base':
        inboundHasBase = true;
        break;
      case 'validate-client-certificate':
        candidates.push(statement);
        break;
      case 'choose':
        if (mentionsClientCertificate(statement)) candidates.push(statement);
        break;
      case 'set-backend-service':
        backendId = attribute(statement, 'backend-id') ?? backendId;
        baseUrl = attribute(statement, 'base-url') ?? baseUrl;
        break;
      case 'authentication-certificate':
        // Only the references: body and password are never read.
        authenticationCertificates.push(
          stripUndefined({ thumbprint: attribute(statement, 'thumbprint'), certificateId: attribute(statement, 'certificate-id') }),
        );
        break;
      case 'include-fragment':
        fragments.push(attribute(statement, 'fragment-id') ?? '?');
        break;
      default:
        if (mentionsClientCertificate(statement)) elsewhere.push(statement);
    }
  }
  if (inbound && !inboundHasBase) {
    notes.push('its inbound section has no <base />: policies of enclosing scopes (global, product) do not run for it');
  }
  if (fragments.length > 0) {
    notes.push(`it includes policy fragments ${fragments.map((f) => JSON.stringify(f)).join(', ')}, which this review does not read`);
  }

  let gate: WrittenGate;
  if (inbounds.length > 1) {
    gate = notRecognised('the policy has more than one <inbound> section', []);
  } else if (candidates.length === 0 && elsewhere.length === 0) {
    gate =
      fragments.length > 0
        ? notRecognised('no client-certificate check in the policy itself, but it includes fragments that may hold one', [])
        : { status: ReviewedGateStatus.NO_GATE, members: [], rules: [], details: [] };
  } else if (candidates.length === 1 && elsewhere.length === 0) {
    gate = recogniseGate(candidates[0]);
  } else {
    gate = notRecognised(
      `client certificates are checked in several places (${[...candidates, ...elsewhere].map((e) => e.path).join(', ')})`,
      detailsOf([...candidates, ...elsewhere]),
    );
  }
  return { gate, backendId, baseUrl, authenticationCertificates, inboundHasBase, notes };
}

const CERTIFICATE_MENTION = /Request\.Certificate|ClientCert|client-cert/i;

function mentionsClientCertificate(element: PolicyXmlElement): boolean {
  if (element.name === 'validate-client-certificate') return true;
  if (element.attributes.some((a) => CERTIFICATE_MENTION.test(a.value)) || CERTIFICATE_MENTION.test(element.text)) return true;
  return element.children.some(mentionsClientCertificate);
}

/** Conditions and elements of certificate logic, for a reviewer to read. */
function detailsOf(elements: PolicyXmlElement[]): string[] {
  const details: string[] = [];
  const visit = (element: PolicyXmlElement): void => {
    if (element.name === 'validate-client-certificate') {
      details.push([element.path, ...element.attributes.map((a) => `${a.name}="${a.value}"`)].join(' '));
    }
    for (const a of element.attributes) {
      if (SECRET_ATTRIBUTES.has(a.name)) continue;
      if (a.value.startsWith('@')) details.push(`${element.path} ${a.name}: ${shorten(a.value)}`);
    }
    if (element.text.trim().startsWith('@')) details.push(`${element.path}: ${shorten(element.text.trim())}`);
    element.children.forEach(visit);
  };
  elements.forEach(visit);
  return details;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_DETAIL ? oneLine.slice(0, MAX_DETAIL) + '…' : oneLine;
}

function attribute(element: PolicyXmlElement, name: string): string | undefined {
  return element.attributes.find((a) => a.name === name)?.value;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

class GateNotRecognised extends Error {}

function fail(problem: string): never {
  throw new GateNotRecognised(problem);
}

function recogniseGate(element: PolicyXmlElement): WrittenGate {
  try {
    return element.name === 'validate-client-certificate' ? recogniseValidate(element) : recogniseChoose(element);
  } catch (error) {
    if (error instanceof GateNotRecognised) return notRecognised(error.message, detailsOf([element]));
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// validate-client-certificate

interface ValidateReading {
  readonly checks: CertificateChecks;
  readonly ignoreError: boolean;
  readonly identities: ReadonlyArray<readonly PolicyClaim[]>;
}

function readValidate(element: PolicyXmlElement): ValidateReading {
  const flags: Record<string, boolean> = { ...VALIDATE_DEFAULTS };
  for (const a of element.attributes) {
    if (!(a.name in VALIDATE_DEFAULTS)) fail(`${element.path} has an unknown attribute ${a.name}`);
    const value = a.value.trim().toLowerCase();
    if (value !== 'true' && value !== 'false') fail(`${element.path} ${a.name}="${shorten(a.value)}" is not true or false`);
    flags[a.name] = value === 'true';
  }
  const identities: PolicyClaim[][] = [];
  for (const child of element.children) {
    if (child.name !== 'identities') fail(`${element.path} contains <${child.name}>`);
    for (const identity of child.children) {
      if (identity.name !== 'identity') fail(`${child.path} contains <${identity.name}>`);
      const claims: PolicyClaim[] = [];
      for (const a of identity.attributes) {
        if (!CLAIMS.includes(a.name)) fail(`${identity.path} has an unknown claim ${a.name}`);
        if (a.value.startsWith('@')) fail(`${identity.path} ${a.name} is an expression`);
        claims.push({ name: a.name, value: a.value });
      }
      if (claims.length === 0) fail(`${identity.path} makes no claim, which API Management refuses`);
      identities.push(claims.sort(byName));
    }
  }
  return {
    checks: {
      chain: flags['validate-trust'],
      revocation: flags['validate-revocation'],
      notBefore: flags['validate-not-before'],
      notAfter: flags['validate-not-after'],
    },
    ignoreError: flags['ignore-error'],
    identities,
  };
}

function byName(a: PolicyClaim, b: PolicyClaim): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

function recogniseValidate(element: PolicyXmlElement): WrittenGate {
  const reading = readValidate(element);
  const { members, rules } = identitiesAsTrust(reading.identities);
  return {
    status: ReviewedGateStatus.RECOGNISED,
    style: ReviewedGateStyle.VALIDATE_POLICY,
    members: reading.ignoreError ? [{ kind: TrustMemberKind.ANYONE }] : members,
    rules,
    checks: reading.checks,
    rejectStatusCode: 401,
    details: [],
  };
}

/**
 * Identities that differ only in their thumbprint are pinned thumbprints plus common rules;
 * other sets are listed identity by identity.
 */
function identitiesAsTrust(identities: ReadonlyArray<readonly PolicyClaim[]>): { members: WrittenTrustMember[]; rules: PolicyClaim[] } {
  if (identities.length === 0) return { members: [{ kind: TrustMemberKind.ANY_CERTIFICATE }], rules: [] };
  const others = identities.map((claims) => claims.filter((c) => c.name !== 'thumbprint'));
  const signature = (claims: readonly PolicyClaim[]) => JSON.stringify(claims);
  if (others.every((claims) => signature(claims) === signature(others[0]))) {
    const members: WrittenTrustMember[] = identities.map((claims) => {
      const thumbprint = claims.find((c) => c.name === 'thumbprint')?.value;
      return thumbprint === undefined ? { kind: TrustMemberKind.ANY_CERTIFICATE } : { kind: TrustMemberKind.THUMBPRINT, thumbprint };
    });
    return { members: members.some((m) => m.kind === TrustMemberKind.ANY_CERTIFICATE) ? [{ kind: TrustMemberKind.ANY_CERTIFICATE }] : members, rules: [...others[0]] };
  }
  return { members: identities.map((claims) => ({ kind: TrustMemberKind.IDENTITY, claims })), rules: [] };
}

// ---------------------------------------------------------------------------------------------
// choose / when expressions

const C = 'context\\.Request\\.Certificate';
const STR = '("(?:[^"\\\\]|\\\\.)*")';
const ID = '([A-Za-z_][A-Za-z0-9_]*)';
const NOW = 'DateTime\\.(?:Now|UtcNow)';
const re = (source: string) => new RegExp(`^(?:${source})$`);

const MISSING = re(`${C}==null|null==${C}`);
const THUMBPRINT_NOT_EQUALS = re(`${C}\\.Thumbprint!=${STR}|${STR}!=${C}\\.Thumbprint`);
const THUMBPRINT_EQUALS = re(`${C}\\.Thumbprint==${STR}|${STR}==${C}\\.Thumbprint`);
const ANY_UPLOADED = re(
  `context\\.Deployment\\.Certificates\\.Any\\(${ID}=>${ID}\\.Value\\.Thumbprint==${C}\\.Thumbprint\\)|` +
    `context\\.Deployment\\.Certificates\\.Any\\(${ID}=>${C}\\.Thumbprint==${ID}\\.Value\\.Thumbprint\\)`,
);
const UPLOADED_UNDER_ID = [
  re(`context\\.Deployment\\.Certificates\\.Any\\(${ID}=>!\\(${ID}\\.Key!=${STR}\\|\\|${ID}\\.Value\\.Thumbprint!=${C}\\.Thumbprint\\)\\)`),
  re(`context\\.Deployment\\.Certificates\\.Any\\(${ID}=>${ID}\\.Key==${STR}&&${ID}\\.Value\\.Thumbprint==${C}\\.Thumbprint\\)`),
];
const VERIFY = re(`!${C}\\.Verify\\(\\)`);
const VERIFY_NO_REVOCATION = re(`!${C}\\.VerifyNoRevocation\\(\\)`);
const NOT_AFTER = re(`${NOW}>${C}\\.NotAfter|${C}\\.NotAfter<${NOW}`);
const NOT_BEFORE = re(`${C}\\.NotBefore>${NOW}|${NOW}<${C}\\.NotBefore`);
const ISSUER = re(`${C}\\.Issuer!=${STR}`);
const SUBJECT = re(`${C}\\.SubjectName\\.Name!=${STR}|${C}\\.Subject!=${STR}`);

interface ConditionReading {
  members?: WrittenTrustMember[];
  missingRejected: boolean;
  checks: { chain: boolean; revocation: boolean; notBefore: boolean; notAfter: boolean };
  rules: PolicyClaim[];
}

function recogniseChoose(choose: PolicyXmlElement): WrittenGate {
  const whens = choose.children.filter((c) => c.name === 'when');
  const otherwise = choose.children.filter((c) => c.name === 'otherwise');
  if (whens.length !== 1 || otherwise.length > 1 || whens.length + otherwise.length !== choose.children.length) {
    fail(`${choose.path} is not a single <when> that rejects (with an optional <otherwise>)`);
  }
  const when = whens[0];
  const condition = attribute(when, 'condition');
  if (condition === undefined) fail(`${when.path} has no condition`);
  const reading = readCondition(condition);
  const response = when.children.find((c) => c.name === 'return-response');
  if (!response) fail(`${when.path} does not return a response, so a caller it matches is not rejected`);
  const status = response.children.find((c) => c.name === 'set-status');
  const code = status === undefined ? undefined : attribute(status, 'code');
  if (code === undefined || !/^\d{3}$/.test(code)) fail(`${response.path} sets no literal status code`);
  const rejectStatusCode = Number(code);
  const rejectReason = status === undefined ? undefined : attribute(status, 'reason');

  if (!reading.missingRejected) {
    fail('the condition does not test "context.Request.Certificate == null", so a caller without a certificate is not handled');
  }
  let style = ReviewedGateStyle.EXPRESSION;
  let checks = reading.checks;
  let rules = reading.rules;
  if (otherwise.length === 1) {
    const inside = otherwise[0].children;
    if (inside.length !== 1 || inside[0].name !== 'validate-client-certificate') {
      fail(`${otherwise[0].path} does more than validate-client-certificate`);
    }
    const validate = readValidate(inside[0]);
    if (validate.ignoreError) fail(`${inside[0].path} has ignore-error="true"`);
    if (validate.identities.length > 1 || validate.identities.some((claims) => claims.some((c) => c.name === 'thumbprint'))) {
      fail(`${inside[0].path} pins its own identities as well as the expression's`);
    }
    style = ReviewedGateStyle.VALIDATE_POLICY_WITH_EXPRESSION;
    checks = {
      chain: checks.chain || validate.checks.chain,
      revocation: checks.revocation || validate.checks.revocation,
      notBefore: checks.notBefore || validate.checks.notBefore,
      notAfter: checks.notAfter || validate.checks.notAfter,
    };
    rules = mergeRules(rules, validate.identities[0] ?? []);
  }
  return {
    status: ReviewedGateStatus.RECOGNISED,
    style,
    members: reading.members ?? [{ kind: TrustMemberKind.ANY_CERTIFICATE }],
    rules,
    checks,
    rejectStatusCode,
    rejectReason,
    details: [],
  };
}

function mergeRules(a: readonly PolicyClaim[], b: readonly PolicyClaim[]): PolicyClaim[] {
  const merged = [...a];
  for (const rule of b) {
    if (merged.some((r) => r.name === rule.name && r.value !== rule.value)) fail(`the gate requires two different ${rule.name} values`);
    if (!merged.some((r) => r.name === rule.name)) merged.push(rule);
  }
  return merged.sort(byName);
}

function readCondition(condition: string): ConditionReading {
  const code = condition.trim();
  if (!code.startsWith('@(') || !code.endsWith(')')) fail(`the condition ${shorten(code)} is not a single @(…) expression`);
  if (/Headers/.test(code) && /ClientCert|client-cert/i.test(code)) {
    fail(
      'the condition reads a client certificate forwarded in a request header, which any caller can forge unless the gateway in front ' +
        'sets that header itself and API Management is reachable only through it',
    );
  }
  const terms = splitTopLevel(code.slice(2, -1), '||');
  if (!terms) fail('the condition has unbalanced brackets or quotes');
  const reading: ConditionReading = {
    missingRejected: false,
    checks: { chain: false, revocation: false, notBefore: false, notAfter: false },
    rules: [],
  };
  const setMembers = (members: WrittenTrustMember[]) => {
    if (reading.members) fail('the condition tests membership more than once');
    reading.members = members;
  };
  const addRule = (name: string, literal: string) => {
    if (reading.rules.some((r) => r.name === name)) fail(`the condition tests ${name} more than once`);
    reading.rules.push({ name, value: decodeCSharpString(literal) });
  };
  for (const original of terms) {
    const term = stripParentheses(canonical(original));
    let m: RegExpExecArray | null;
    if (MISSING.test(term)) reading.missingRejected = true;
    else if ((m = THUMBPRINT_NOT_EQUALS.exec(term))) setMembers([{ kind: TrustMemberKind.THUMBPRINT, thumbprint: decodeCSharpString(m[1] ?? m[2]) }]);
    else if (VERIFY.test(term)) reading.checks = { ...reading.checks, chain: true, revocation: true };
    else if (VERIFY_NO_REVOCATION.test(term)) reading.checks = { ...reading.checks, chain: true };
    else if (NOT_AFTER.test(term)) reading.checks = { ...reading.checks, notAfter: true };
    else if (NOT_BEFORE.test(term)) reading.checks = { ...reading.checks, notBefore: true };
    else if ((m = ISSUER.exec(term))) addRule('issuer-subject', m[1]);
    else if ((m = SUBJECT.exec(term))) addRule('subject', m[1] ?? m[2]);
    else if (term.startsWith('!')) setMembers(membershipList(stripParentheses(term.slice(1)), original));
    else if (positiveMember(term)?.kind === TrustMemberKind.ANY_UPLOADED) {
      // The 2017 documentation's check without "!": it rejects the uploaded certificates.
      setMembers([{ kind: TrustMemberKind.NOT_UPLOADED }]);
    } else if (positiveMember(term)) {
      fail(`the term ${shorten(original.trim())} rejects the certificates it names and admits every other one`);
    } else {
      fail(`the term ${shorten(original.trim())} is not a client-certificate check this review knows`);
    }
  }
  return reading;
}

/** `A || B || …` of positive membership tests (the operand of a `!`). */
function membershipList(code: string, original: string): WrittenTrustMember[] {
  const parts = splitTopLevel(code, '||');
  const members = parts?.map((part) => positiveMember(stripParentheses(part)));
  if (!members || members.some((m) => m === undefined)) {
    fail(`the term ${shorten(original.trim())} is not a client-certificate check this review knows`);
  }
  return members as WrittenTrustMember[];
}

/** A test that is true when the presented certificate is the one named. */
function positiveMember(term: string): WrittenTrustMember | undefined {
  let m: RegExpExecArray | null;
  if ((m = THUMBPRINT_EQUALS.exec(term))) return { kind: TrustMemberKind.THUMBPRINT, thumbprint: decodeCSharpString(m[1] ?? m[2]) };
  if ((m = ANY_UPLOADED.exec(term))) {
    const [variable, used] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
    return variable === used ? { kind: TrustMemberKind.ANY_UPLOADED } : undefined;
  }
  for (const pattern of UPLOADED_UNDER_ID) {
    if ((m = pattern.exec(term)) && m[1] === m[2] && m[1] === m[4]) {
      return { kind: TrustMemberKind.CERTIFICATE_ID, certificateId: decodeCSharpString(m[3]) };
    }
  }
  return undefined;
}

/**
 * Splits C# code at top-level occurrences of `operator`, outside brackets and literals.
 * Undefined when brackets or literals are unbalanced.
 */
export function splitTopLevel(code: string, operator: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || (ch === '@' && code[i + 1] === '"')) {
      const end = literalEnd(code, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth < 0) return undefined;
    } else if (depth === 0 && code.startsWith(operator, i)) {
      parts.push(code.slice(start, i));
      i += operator.length;
      start = i;
      continue;
    }
    i++;
  }
  if (depth !== 0) return undefined;
  parts.push(code.slice(start));
  return parts;
}

/** The index after the string or character literal starting at `start`, or -1. */
function literalEnd(code: string, start: number): number {
  if (code[start] === '@') {
    for (let i = start + 2; i < code.length; i++) {
      if (code[i] !== '"') continue;
      if (code[i + 1] === '"') i++;
      else return i + 1;
    }
    return -1;
  }
  const quote = code[start];
  for (let i = start + 1; i < code.length; i++) {
    if (code[i] === '\\') i++;
    else if (code[i] === quote) return i + 1;
  }
  return -1;
}

/** The code without whitespace outside literals, so spacing does not matter when matching. */
function canonical(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || (ch === '@' && code[i + 1] === '"')) {
      const end = literalEnd(code, i);
      const stop = end < 0 ? code.length : end;
      out += code.slice(i, stop);
      i = stop;
    } else {
      if (!/\s/.test(ch)) out += ch;
      i++;
    }
  }
  return out;
}

/** Removes parentheses around the whole term: `((a))` → `a`. */
function stripParentheses(term: string): string {
  let t = term.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    const inner = t.slice(1, -1);
    // The outer pair wraps everything only when the inner text is balanced on its own.
    if (!balanced(inner)) break;
    t = inner.trim();
  }
  return t;
}

function balanced(code: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || (ch === '@' && code[i + 1] === '"')) {
      const end = literalEnd(code, i);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
    i++;
  }
  return depth === 0;
}

/** The value of a regular C# string literal (with its quotes). */
export function decodeCSharpString(literal: string): string {
  const body = literal.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '"': '"', "'": "'", '\\': '\\' };
  return body.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{1,4}|.)/g, (_, escape: string) => {
    if (/^[uUx]/.test(escape) && escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return simple[escape] ?? escape;
  });
}
