import { X509Certificate } from 'node:crypto';
import { ChainEnvironment, checkChain } from './certificate-chain';
import { evaluateCondition, evaluateText, ExpressionHost, PolicyExpressionException } from './csharp-interpreter';
import {
  BackendClientCertificate,
  NotSimulatedElement,
  PolicySimulation,
  SimulatedOutcome,
  SimulatedPolicyError,
} from './policy-simulation';
import { unsupportedParts } from './policy-support';
import { policyBoolean, policyCodeOf } from './policy-attributes';
import { attributeOf, PolicyFormat, PolicyXmlDocument, PolicyXmlElement, readPolicyXml } from './policy-xml-reader';
import { RevocationStatus } from './revocation-status';
import { SimulatedCertificate } from './simulated-certificate';
import { SimulatedRequest } from './simulated-request';
import { InvalidPolicyError, PolicySimulationError, UnsupportedExpressionError } from './simulation-errors';
import { validateClientCertificate, ValidationEnvironment } from './validate-client-certificate';

/**
 * What API Management would do with `request` under the policy document `policy` (XML or
 * azurerm's rawxml): answer the caller itself (REJECTED, with status, reason and the element
 * responsible) or forward the request (FORWARDED, with the backend and the client certificate
 * presented to it).
 *
 * The inbound and backend sections run, then on-error if a policy fails. A request that gets
 * through both without an answer counts as forwarded, as with APIM's default global policy
 * (`<forward-request />` in backend); the outbound section is not run. Elements outside the
 * supported set are listed in `notSimulated`; `outcomeUncertain` tells whether one of them could
 * have changed the result. An expression outside the supported C# subset throws
 * UnsupportedExpressionError, and a policy APIM would refuse throws InvalidPolicyError: the
 * simulator never guesses.
 */
export function simulatePolicy(policy: string, request: SimulatedRequest = {}): PolicySimulation {
  const env = environmentOf(request);
  if (request.basePolicy !== undefined && request.enclosingPolicies !== undefined) {
    throw new PolicySimulationError('give request.basePolicy or request.enclosingPolicies, not both');
  }
  const enclosing = request.enclosingPolicies ?? (request.basePolicy === undefined ? [] : [{ scope: 'base', policy: request.basePolicy }]);
  const scopes: ScopeDocument[] = enclosing.map((entry, i) => {
    if (typeof entry?.scope !== 'string' || entry.scope === '' || typeof entry.policy !== 'string') {
      throw new PolicySimulationError(`request.enclosingPolicies[${i}] needs a non-empty scope name and a policy text`);
    }
    const document = readPolicyXml(entry.policy, env.format, `${entry.scope}:`);
    expectRoot(document, 'policies', entry.scope === 'base' ? 'the base policy' : `the ${entry.scope} policy`);
    return { scope: entry.scope, document };
  });
  const own = request.scope ?? '';
  const document = readPolicyXml(policy, env.format, own === '' ? '' : `${own}:`);
  expectRoot(document, 'policies', 'a policy');
  scopes.push({ scope: own, document });
  return new PolicyRun(env, scopes).simulate();
}

/** One scope's policy in the chain APIM composes, outermost first. */
interface ScopeDocument {
  readonly scope: string;
  readonly document: PolicyXmlDocument;
}

/** The request with defaults applied and certificates seen the .NET way. */
interface RunEnvironment extends ValidationEnvironment {
  readonly certificate: SimulatedCertificate | undefined;
  readonly fragments: Readonly<Record<string, string>>;
  readonly format: PolicyFormat;
}

function environmentOf(request: SimulatedRequest): RunEnvironment {
  const now = request.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new PolicySimulationError('request.now must be a valid Date');
  const revocation = request.revocation ?? RevocationStatus.UNREACHABLE;
  if (!Object.values(RevocationStatus).includes(revocation)) {
    throw new PolicySimulationError(`request.revocation ${JSON.stringify(revocation)} is not a RevocationStatus`);
  }
  return {
    certificate: request.clientCertificate === undefined ? undefined : certificateOf(request.clientCertificate, 'request.clientCertificate'),
    uploadedCertificates: Object.entries(request.uploadedCertificates ?? {}).map(
      ([id, certificate]) => [id, certificateOf(certificate, `request.uploadedCertificates[${JSON.stringify(id)}]`)] as const,
    ),
    caCertificates: (request.caCertificates ?? []).map((certificate, i) => certificateOf(certificate, `request.caCertificates[${i}]`)),
    now,
    revocation,
    fragments: request.fragments ?? {},
    format: request.format ?? PolicyFormat.AUTO,
  };
}

function certificateOf(value: unknown, what: string): SimulatedCertificate {
  if (value instanceof SimulatedCertificate) return value;
  if (!(value instanceof X509Certificate)) throw new PolicySimulationError(`${what} must be a crypto.X509Certificate or a SimulatedCertificate`);
  return SimulatedCertificate.of(value);
}

function expectRoot(document: PolicyXmlDocument, name: string, what: string): void {
  if (document.root.name !== name) {
    throw new InvalidPolicyError(`${what} must have the root element <${name}>, not <${document.root.name}>`);
  }
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Status APIM answers with when validate-client-certificate fails and on-error does not answer. */
const VALIDATION_FAILURE_STATUS = 401;
/** Status APIM answers with when a policy expression throws and on-error does not answer. */
const EXPRESSION_FAILURE_STATUS = 500;

/** A policy failed while running: the rest of the section is skipped and on-error runs. */
class PolicyFailure extends Error {
  constructor(
    public readonly error: SimulatedPolicyError,
    public readonly statusCode: number,
  ) {
    super(error.message);
  }
}

/** Whether a statement answered the caller (return-response), which ends the run. */
type Flow =
  | { readonly answered: false }
  | { readonly answered: true; readonly statusCode: number; readonly reason: string; readonly by: string };

const CONTINUE: Flow = { answered: false };

/** Where a statement runs: which section, at which level of the scope chain, which fragments are open. */
interface Scope {
  readonly section: string;
  /** Index in the scope chain (0 = outermost); `<base />` runs the section of `level - 1`. */
  readonly level: number;
  readonly fragments: readonly string[];
}

/** One simulated request going through a policy. */
class PolicyRun {
  private readonly reached = new Set<PolicyXmlElement>();
  private readonly trace: string[] = [];
  private readonly notes: NotSimulatedElement[] = [];
  private readonly documents: PolicyXmlDocument[];
  private readonly scopesRun: string[] = [];
  private readonly fragmentDocuments = new Map<string, PolicyXmlDocument>();
  private readonly host: ExpressionHost;
  private backendId?: string;
  private backendUrl?: string;
  private backendCertificate?: BackendClientCertificate;
  /** Set by `set-status` in on-error: the answer when on-error ends without return-response. */
  private errorResponse?: { readonly statusCode: number; readonly reason: string; readonly by: string };

  private readonly document: PolicyXmlDocument;

  constructor(
    private readonly env: RunEnvironment,
    /** Outermost first; the last one is the simulated policy. */
    private readonly scopes: readonly ScopeDocument[],
  ) {
    this.document = scopes[scopes.length - 1].document;
    this.documents = [...scopes].reverse().map((scope) => scope.document);
    const chainEnvironment: ChainEnvironment = env;
    this.host = {
      requestCertificate: env.certificate,
      deploymentCertificates: env.uploadedCertificates,
      now: env.now,
      verify: (certificate, checkRevocation) => {
        const chain = checkChain(certificate, chainEnvironment, checkRevocation);
        this.log(`${checkRevocation ? 'Verify()' : 'VerifyNoRevocation()'} is ${chain.valid}${chain.problem ? `: ${chain.problem}` : ''}`);
        return chain.valid;
      },
    };
  }

  simulate(): PolicySimulation {
    try {
      let flow = this.runSection('inbound');
      if (!flow.answered) flow = this.runSection('backend');
      return flow.answered ? this.rejected(flow) : this.forwarded();
    } catch (failure) {
      if (!(failure instanceof PolicyFailure)) throw failure;
      return this.handleFailure(failure);
    }
  }

  /** on-error runs; the caller gets its answer, or the failure's own status. */
  private handleFailure(failure: PolicyFailure): PolicySimulation {
    this.log(`error at ${failure.error.path}: ${failure.error.message}; on-error runs`);
    try {
      const flow = this.runSection('on-error');
      if (flow.answered) return this.rejected(flow, failure.error);
      const answer = this.errorResponse ?? {
        statusCode: failure.statusCode,
        reason: REASON_PHRASES[failure.statusCode],
        by: failure.error.path,
      };
      return this.rejected({ answered: true, ...answer }, failure.error);
    } catch (second) {
      if (!(second instanceof PolicyFailure)) throw second;
      this.log(`error in on-error at ${second.error.path}: ${second.error.message}`);
      const status = EXPRESSION_FAILURE_STATUS;
      return this.rejected({ answered: true, statusCode: status, reason: REASON_PHRASES[status], by: second.error.path }, failure.error);
    }
  }

  private runSection(name: string): Flow {
    const level = this.scopes.length - 1;
    const section = this.sectionOf(level, name);
    if (!section) return CONTINUE;
    this.ran(level);
    return this.runStatements(section.children, { section: name, level, fragments: [] });
  }

  /** The section `name` of the scope at `level`, checked to be unique. */
  private sectionOf(level: number, name: string): PolicyXmlElement | undefined {
    const { scope, document } = this.scopes[level];
    const sections = document.root.children.filter((child) => child.name === name);
    if (sections.length > 1) {
      const which = level === this.scopes.length - 1 ? 'the policy' : scope === 'base' ? 'the base policy' : `the ${scope} policy`;
      throw new InvalidPolicyError(`${which} has more than one <${name}> section`);
    }
    if (sections.length === 1) this.reached.add(sections[0]);
    return sections[0];
  }

  private ran(level: number): void {
    const scope = this.scopes[level].scope;
    if (!this.scopesRun.includes(scope)) this.scopesRun.push(scope);
  }

  private runStatements(statements: readonly PolicyXmlElement[], scope: Scope): Flow {
    for (const statement of statements) {
      const flow = this.runStatement(statement, scope);
      if (flow.answered) return flow;
    }
    return CONTINUE;
  }

  private runStatement(element: PolicyXmlElement, scope: Scope): Flow {
    this.reached.add(element);
    switch (element.name) {
      case 'base':
        return this.runBase(element, scope);
      case 'choose':
        return this.runChoose(element, scope);
      case 'return-response':
        return this.runReturnResponse(element);
      case 'validate-client-certificate':
        this.runValidateClientCertificate(element);
        return CONTINUE;
      case 'set-backend-service':
        this.runSetBackendService(element);
        return CONTINUE;
      case 'authentication-certificate':
        this.runAuthenticationCertificate(element);
        return CONTINUE;
      case 'include-fragment':
        return this.runIncludeFragment(element, scope);
      case 'forward-request':
        if (scope.section !== 'backend') this.note(element, `<forward-request> belongs in the backend section, not ${scope.section}`);
        return CONTINUE;
      case 'set-status':
        this.runSetStatus(element, scope);
        return CONTINUE;
      default:
        this.log(`${element.path}: <${element.name}> is not simulated; skipped`);
        return CONTINUE;
    }
  }

  private runBase(element: PolicyXmlElement, scope: Scope): Flow {
    if (scope.fragments.length > 0) throw new InvalidPolicyError(`${element.path}: <base /> is not allowed in a policy fragment`);
    const outer = scope.level - 1;
    const section = outer < 0 ? undefined : this.sectionOf(outer, scope.section);
    if (!section) {
      this.log(`${element.path}: <base /> stands for nothing here`);
      return CONTINUE;
    }
    this.ran(outer);
    this.log(`${element.path}: <base /> runs ${section.path}`);
    return this.runStatements(section.children, { ...scope, level: outer });
  }

  private runChoose(element: PolicyXmlElement, scope: Scope): Flow {
    for (const branch of element.children.filter((child) => child.name === 'when')) {
      this.reached.add(branch);
      const holds = this.condition(branch);
      this.log(`${branch.path}: condition is ${holds}`);
      if (holds) return this.runStatements(branch.children, scope);
    }
    const otherwise = element.children.find((child) => child.name === 'otherwise');
    if (!otherwise) return CONTINUE;
    this.reached.add(otherwise);
    this.log(`${otherwise.path}: taken`);
    return this.runStatements(otherwise.children, scope);
  }

  private runReturnResponse(element: PolicyXmlElement): Flow {
    // Everything inside takes part in the answer, including parts not simulated (headers, body).
    for (const child of element.children) this.reached.add(child);
    const status = element.children.filter((child) => child.name === 'set-status').pop();
    const { statusCode, reason } = status ? this.statusOf(status) : { statusCode: 200, reason: REASON_PHRASES[200] };
    this.log(`${element.path}: answers ${statusCode} ${reason}`);
    return { answered: true, statusCode, reason, by: element.path };
  }

  private runSetStatus(element: PolicyXmlElement, scope: Scope): void {
    if (scope.section !== 'on-error') {
      this.note(element, `<set-status> outside return-response and on-error sets the status of the backend's response, which is not simulated`);
      return;
    }
    this.errorResponse = { ...this.statusOf(element), by: element.path };
    this.log(`${element.path}: error response is ${this.errorResponse.statusCode} ${this.errorResponse.reason}`);
  }

  private statusOf(element: PolicyXmlElement): { statusCode: number; reason: string } {
    const code = this.text(element, 'code');
    if (code === undefined || !/^[1-5][0-9]{2}$/.test(code.trim())) {
      throw new InvalidPolicyError(`${element.path}: code=${JSON.stringify(code)} is not an HTTP status code`);
    }
    const statusCode = Number(code);
    return { statusCode, reason: this.text(element, 'reason') ?? REASON_PHRASES[statusCode] ?? '' };
  }

  private runValidateClientCertificate(element: PolicyXmlElement): void {
    for (const list of element.children) {
      this.reached.add(list);
      for (const identity of list.children) this.reached.add(identity);
    }
    const validation = validateClientCertificate(element, this.env.certificate, this.env);
    this.log(`${element.path}: ${validation.passed ? 'passed' : `failed: ${validation.problem}`}`);
    if (validation.passed) return;
    if (validation.ignoreError) {
      this.log(`${element.path}: ignore-error is true; the request goes on`);
      return;
    }
    throw new PolicyFailure(
      { source: element.name, path: element.path, reason: 'ClientCertificateValidationFailed', message: validation.problem! },
      VALIDATION_FAILURE_STATUS,
    );
  }

  private runSetBackendService(element: PolicyXmlElement): void {
    this.backendId = this.text(element, 'backend-id');
    this.backendUrl = this.text(element, 'base-url');
    if (this.backendId === undefined && this.backendUrl === undefined) {
      throw new InvalidPolicyError(`${element.path} needs backend-id or base-url`);
    }
    this.log(`${element.path}: backend ${this.backendId ?? this.backendUrl}`);
  }

  private runAuthenticationCertificate(element: PolicyXmlElement): void {
    const thumbprint = this.text(element, 'thumbprint');
    const certificateId = this.text(element, 'certificate-id');
    if (thumbprint !== undefined && certificateId !== undefined) {
      throw new InvalidPolicyError(`${element.path}: give thumbprint or certificate-id, not both`);
    }
    const uploaded = this.env.uploadedCertificates;
    if (thumbprint !== undefined) {
      const match = uploaded.find(([, certificate]) => certificate.thumbprint === thumbprint.toUpperCase());
      this.backendCertificate = { thumbprint: thumbprint.toUpperCase(), certificateId: match?.[0] };
    } else if (certificateId !== undefined) {
      const match = uploaded.find(([id]) => id === certificateId);
      this.backendCertificate = { certificateId, thumbprint: match?.[1].thumbprint };
    } else if (attributeOf(element, 'body') === undefined) {
      throw new InvalidPolicyError(`${element.path} needs thumbprint, certificate-id or body`);
    } else {
      this.backendCertificate = undefined; // body/password: reported as not simulated
      return;
    }
    this.log(`${element.path}: presents ${JSON.stringify(this.backendCertificate)} to the backend`);
  }

  private runIncludeFragment(element: PolicyXmlElement, scope: Scope): Flow {
    const id = attributeOf(element, 'fragment-id');
    if (id === undefined) throw new InvalidPolicyError(`${element.path} needs fragment-id`);
    if (scope.fragments.includes(id)) throw new InvalidPolicyError(`fragment "${id}" includes itself (${[...scope.fragments, id].join(' → ')})`);
    const fragment = this.fragment(id, element);
    this.reached.add(fragment.root);
    this.log(`${element.path}: runs fragment "${id}"`);
    return this.runStatements(fragment.root.children, { ...scope, fragments: [...scope.fragments, id] });
  }

  private fragment(id: string, element: PolicyXmlElement): PolicyXmlDocument {
    let fragment = this.fragmentDocuments.get(id);
    if (fragment) return fragment;
    if (!Object.prototype.hasOwnProperty.call(this.env.fragments, id)) {
      throw new InvalidPolicyError(`${element.path}: fragment "${id}" is not among request.fragments`);
    }
    fragment = readPolicyXml(this.env.fragments[id], this.env.format, `fragment(${id}):`);
    expectRoot(fragment, 'fragment', `fragment "${id}"`);
    this.fragmentDocuments.set(id, fragment);
    this.documents.push(fragment);
    return fragment;
  }

  /** A `when` condition: a bool expression, or the constant true or false. */
  private condition(branch: PolicyXmlElement): boolean {
    const value = attributeOf(branch, 'condition');
    if (value === undefined) throw new InvalidPolicyError(`${branch.path} needs a condition`);
    const code = policyCodeOf(value, branch, 'condition');
    if (code === undefined) {
      if (value.trim() === '') throw new InvalidPolicyError(`${branch.path}: condition must be a policy expression @(...) or true or false`);
      return policyBoolean(value, branch, 'condition');
    }
    return this.evaluate(branch, () => evaluateCondition(code, this.host));
  }

  /** An attribute's text: literal, or the value of its expression. */
  private text(element: PolicyXmlElement, name: string): string | undefined {
    const value = attributeOf(element, name);
    if (value === undefined) return undefined;
    const namedValue = /\{\{[^}]*\}\}/.exec(value);
    if (namedValue) throw new UnsupportedExpressionError(namedValue[0], value, `named values are not simulated (${element.path} ${name})`);
    const code = policyCodeOf(value, element, name);
    if (code === undefined) return value;
    return this.evaluate(element, () => evaluateText(code, this.host)) ?? '';
  }

  /** Runs an expression; a .NET exception becomes a policy failure (on-error, 500). */
  private evaluate<T>(element: PolicyXmlElement, run: () => T): T {
    try {
      return run();
    } catch (exception) {
      if (!(exception instanceof PolicyExpressionException)) throw exception;
      throw new PolicyFailure(
        { source: element.name, path: element.path, reason: exception.exceptionType, message: exception.message },
        EXPRESSION_FAILURE_STATUS,
      );
    }
  }

  private forwarded(): PolicySimulation {
    this.log(`forwarded to ${this.backendId ?? this.backendUrl ?? 'the API\'s backend'}`);
    return {
      ...this.common(),
      outcome: SimulatedOutcome.FORWARDED,
      backendId: this.backendId,
      backendUrl: this.backendUrl,
      backendCertificate: this.backendCertificate,
    };
  }

  private rejected(flow: Extract<Flow, { answered: true }>, error?: SimulatedPolicyError): PolicySimulation {
    return { ...this.common(), outcome: SimulatedOutcome.REJECTED, statusCode: flow.statusCode, reason: flow.reason, rejectedBy: flow.by, error };
  }

  private common() {
    const notSimulated = dedupe([...this.documents.flatMap((document) => unsupportedParts(document.root, this.reached)), ...this.notes]);
    return {
      notSimulated,
      outcomeUncertain: notSimulated.some((part) => part.reached && part.mayChangeOutcome),
      scopesRun: [...this.scopesRun].sort((a, b) => this.levelOf(b) - this.levelOf(a)),
      format: this.document.format,
      trace: [...this.trace],
    };
  }

  private levelOf(scope: string): number {
    return this.scopes.findIndex((entry) => entry.scope === scope);
  }

  private note(element: PolicyXmlElement, reason: string): void {
    this.notes.push({ path: element.path, element: element.name, reason, mayChangeOutcome: false, reached: true });
    this.log(`${element.path}: ${reason}`);
  }

  private log(line: string): void {
    this.trace.push(line);
  }
}

function dedupe(parts: NotSimulatedElement[]): NotSimulatedElement[] {
  const seen = new Set<string>();
  return parts.filter((part) => {
    const key = `${part.path}\u0000${part.attribute ?? ''}\u0000${part.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
