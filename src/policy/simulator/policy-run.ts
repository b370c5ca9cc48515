import { AlternativeKind, decisionPointOf } from './alternative-outcomes';
import { ChainEnvironment, checkChain } from './certificate-chain';
import { CsValue, LastErrorValue, runtimeTypeName } from './csharp/values';
import { headerKey } from './dotnet/text-rules';
import { evaluateCondition, evaluateText, evaluateValue, ExpressionHost, isStorableVariable, PolicyExpressionException } from './csharp-interpreter';
import { policyBoolean, policyCodeOf } from './policy-attributes';
import { checkFragmentPlacement } from './policy-catalogue';
import { BackendClientCertificate, NotSimulatedElement, PolicySimulation, SimulatedOutcome, SimulatedPolicyError } from './policy-simulation';
import { loadPolicy } from './policy-source';
import { unsupportedParts } from './policy-support';
import { attributeOf, PolicyXmlDocument, PolicyXmlElement } from './policy-xml-reader';
import { RunEnvironment } from './simulation-environment';
import { InvalidPolicyError } from './simulation-errors';
import { validateClientCertificate } from './validate-client-certificate';

/** One scope's policy in the chain APIM composes, outermost first. */
export interface ScopeDocument {
  readonly scope: string;
  readonly document: PolicyXmlDocument;
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
/** Status APIM answers with when a policy fails otherwise (an expression throws, …) and on-error does not answer. */
const POLICY_FAILURE_STATUS = 500;
/** The first status that is an error: below it, an answer of the gateway is not a rejection. */
const FIRST_ERROR_STATUS = 400;

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

/** A policy the request reached that the simulator runs both ways (see alternative-outcomes.ts). */
export interface ReachedDecisionPoint {
  readonly path: string;
  readonly element: string;
  readonly kind: AlternativeKind;
}

/** One simulated request going through a chain of policies. */
export class PolicyRun {
  private readonly reached = new Set<PolicyXmlElement>();
  private readonly trace: string[] = [];
  private readonly notes: NotSimulatedElement[] = [];
  private readonly documents: PolicyXmlDocument[];
  private readonly scopesRun: string[] = [];
  private readonly inboundScopesRun: string[] = [];
  private readonly headersRead = new Set<string>();
  private readonly fragmentDocuments = new Map<string, PolicyXmlDocument>();
  private readonly namedValues: Set<string>;
  /** `context.Variables`, as set-variable leaves them. */
  private readonly variables = new Map<string, CsValue>();
  /** `context.Request.Headers`, as set-header leaves them (by lower-case name). */
  private readonly headers: Map<string, readonly string[]>;
  /** `context.LastError` once a failure sent the request to on-error. */
  private lastError?: LastErrorValue;
  /** Policies run both ways that the request reached, in order. */
  public readonly decisionPoints: ReachedDecisionPoint[] = [];
  private readonly host: ExpressionHost;
  private backendId?: string;
  private backendUrl?: string;
  private backendCertificate?: BackendClientCertificate;
  /** Set by `set-status` in on-error: the answer when on-error ends without return-response. */
  private errorResponse?: { readonly statusCode: number; readonly reason: string; readonly by: string };

  constructor(
    private readonly env: RunEnvironment,
    /** Outermost first; the last one is the simulated policy. */
    private readonly scopes: readonly ScopeDocument[],
    namedValues: readonly string[],
    /** Path of a policy run both ways that ends the request in this run (an alternative outcome). */
    private readonly endedAt?: string,
  ) {
    this.documents = [...scopes].reverse().map((scope) => scope.document);
    this.headers = new Map(env.headers);
    this.namedValues = new Set(namedValues);
    const chainEnvironment: ChainEnvironment = env;
    const run = this;
    this.host = {
      get lastError() {
        return run.lastError;
      },
      requestCertificate: env.certificate,
      deploymentCertificates: env.uploadedCertificates,
      now: env.now,
      requestHeaders: this.headers,
      onRequestHeaderRead: (name) => this.headersRead.add(name),
      variables: this.variables,
      ...(env.observer ? { observer: env.observer } : {}),
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
      return flow.answered ? this.answered(flow) : this.forwarded();
    } catch (failure) {
      if (!(failure instanceof PolicyFailure)) throw failure;
      return this.handleFailure(failure);
    }
  }

  /** on-error runs; the caller gets its answer, or the failure's own status. */
  private handleFailure(failure: PolicyFailure): PolicySimulation {
    this.log(`error at ${failure.error.path}: ${failure.error.message}; on-error runs`);
    const separator = failure.error.path.indexOf(':/');
    const path = separator < 0 ? failure.error.path : failure.error.path.slice(separator + 1);
    this.lastError = {
      source: failure.error.source,
      reason: failure.error.reason,
      message: failure.error.message,
      section: path.split('/')[2] ?? '',
      path,
    };
    try {
      const flow = this.runSection('on-error');
      if (flow.answered) return this.answered(flow, failure.error);
      const answer = this.errorResponse ?? {
        statusCode: failure.statusCode,
        reason: REASON_PHRASES[failure.statusCode],
        by: failure.error.path,
      };
      return this.answered({ answered: true, ...answer }, failure.error);
    } catch (second) {
      if (!(second instanceof PolicyFailure)) throw second;
      this.log(`error in on-error at ${second.error.path}: ${second.error.message}`);
      const status = POLICY_FAILURE_STATUS;
      return this.answered({ answered: true, statusCode: status, reason: REASON_PHRASES[status], by: second.error.path }, failure.error);
    }
  }

  private runSection(name: string): Flow {
    const level = this.scopes.length - 1;
    const section = this.sectionOf(level, name);
    if (!section) return CONTINUE;
    this.ran(level, name);
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

  private ran(level: number, section: string): void {
    const scope = this.scopes[level].scope;
    if (!this.scopesRun.includes(scope)) this.scopesRun.push(scope);
    if (section === 'inbound' && !this.inboundScopesRun.includes(scope)) this.inboundScopesRun.push(scope);
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
      case 'set-variable':
        this.runSetVariable(element);
        return CONTINUE;
      case 'include-fragment':
        return this.runIncludeFragment(element, scope);
      case 'forward-request':
        if (scope.section !== 'backend') this.note(element, `<forward-request> belongs in the backend section, not ${scope.section}`);
        return CONTINUE;
      case 'set-status':
        this.runSetStatus(element, scope);
        return CONTINUE;
      case 'mock-response':
        return this.runMockResponse(element);
      case 'set-header':
        this.runSetHeader(element, scope);
        return CONTINUE;
      default:
        return this.runUndecidedPolicy(element);
    }
  }

  /**
   * A policy that decides on state the simulator does not have: the request goes on, unless this
   * run is the alternative in which it ends here.
   */
  private runUndecidedPolicy(element: PolicyXmlElement): Flow {
    const point = decisionPointOf(element);
    if (!point) {
      this.log(`${element.path}: <${element.name}> is not simulated; skipped`);
      return CONTINUE;
    }
    if (this.endedAt !== element.path) {
      this.decisionPoints.push({ path: element.path, element: element.name, kind: point.kind });
      this.log(`${element.path}: <${element.name}> lets the request go on (its other outcome is an alternative)`);
      return CONTINUE;
    }
    if (point.kind === AlternativeKind.ANSWERS) {
      this.log(`${element.path}: <${element.name}> answers ${point.statusCode} ${point.reason}`);
      return { answered: true, statusCode: point.statusCode, reason: point.reason, by: element.path };
    }
    throw new PolicyFailure(
      { source: element.name, path: element.path, reason: point.reason, message: `<${element.name}> ends the request (${point.reason})` },
      point.statusCode,
    );
  }

  /** `mock-response`: the gateway answers with `status-code` (200 by default) without calling the backend. */
  private runMockResponse(element: PolicyXmlElement): Flow {
    const code = this.text(element, 'status-code') ?? '200';
    if (!/^[1-5][0-9]{2}$/.test(code.trim())) {
      throw new InvalidPolicyError(`${element.path}: status-code=${JSON.stringify(code)} is not an HTTP status code`);
    }
    const statusCode = Number(code.trim());
    this.log(`${element.path}: answers ${statusCode} (mock response)`);
    return { answered: true, statusCode, reason: REASON_PHRASES[statusCode] ?? '', by: element.path };
  }

  /**
   * `set-header` in inbound or backend changes the request's headers, which later expressions
   * read; elsewhere it shapes the response, which the simulation does not model, but its
   * expressions still run and can fail.
   */
  private runSetHeader(element: PolicyXmlElement, scope: Scope): void {
    const name = this.text(element, 'name');
    if (name === undefined || name.trim() === '') throw new InvalidPolicyError(`${element.path} needs a name`);
    const action = this.text(element, 'exists-action') ?? 'override';
    if (!['override', 'skip', 'append', 'delete'].includes(action)) {
      throw new InvalidPolicyError(`${element.path}: exists-action="${action}" is not override, skip, append or delete`);
    }
    const values = element.children.map((child) => {
      if (child.name !== 'value') throw new InvalidPolicyError(`${child.path}: <set-header> holds only <value> elements`);
      this.reached.add(child);
      const code = policyCodeOf(child.text, child, 'value');
      return code === undefined ? child.text : (this.evaluate(child, () => evaluateText(code, this.host)) ?? '');
    });
    if (scope.section !== 'inbound' && scope.section !== 'backend') return;
    const key = headerKey(name);
    const existing = this.headers.get(key);
    if (action === 'delete') this.headers.delete(key);
    else if (action === 'skip' && existing !== undefined) return;
    else if (action === 'append' && existing !== undefined) this.headers.set(key, [...existing, ...values]);
    else if (values.length > 0) this.headers.set(key, values);
    else this.headers.delete(key);
    this.log(`${element.path}: header ${name} is ${JSON.stringify(this.headers.get(key) ?? null)}`);
  }

  private runBase(element: PolicyXmlElement, scope: Scope): Flow {
    if (scope.fragments.length > 0) throw new InvalidPolicyError(`${element.path}: <base /> is not allowed in a policy fragment`);
    const outer = scope.level - 1;
    const section = outer < 0 ? undefined : this.sectionOf(outer, scope.section);
    if (!section) {
      this.log(`${element.path}: <base /> stands for nothing here`);
      return CONTINUE;
    }
    this.ran(outer, scope.section);
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

  /**
   * The certificate APIM presents to the backend, looked up among the uploaded certificates.
   * One that is not there fails the request (APIM cannot present it), which on-error handles.
   */
  private runAuthenticationCertificate(element: PolicyXmlElement): void {
    const thumbprint = this.text(element, 'thumbprint');
    const certificateId = this.text(element, 'certificate-id');
    if (thumbprint !== undefined && certificateId !== undefined) {
      throw new InvalidPolicyError(`${element.path}: give thumbprint or certificate-id, not both`);
    }
    const uploaded = this.env.uploadedCertificates;
    let match: readonly [string, { readonly thumbprint: string }] | undefined;
    if (thumbprint !== undefined) {
      match = uploaded.find(([, certificate]) => certificate.thumbprint === thumbprint.toUpperCase());
    } else if (certificateId !== undefined) {
      match = uploaded.find(([id]) => id === certificateId);
    } else if (attributeOf(element, 'body') === undefined) {
      throw new InvalidPolicyError(`${element.path} needs thumbprint, certificate-id or body`);
    } else {
      this.backendCertificate = undefined; // body/password: reported as not simulated
      return;
    }
    if (!match) {
      const named = thumbprint !== undefined ? `thumbprint ${thumbprint}` : `certificate id "${certificateId}"`;
      throw new PolicyFailure(
        {
          source: element.name,
          path: element.path,
          reason: 'CertificateNotFound',
          message: `no certificate with ${named} is uploaded to the service (request.uploadedCertificates), so APIM has no certificate to present to the backend`,
        },
        POLICY_FAILURE_STATUS,
      );
    }
    this.backendCertificate = { certificateId: match[0], thumbprint: match[1].thumbprint };
    this.log(`${element.path}: presents ${JSON.stringify(this.backendCertificate)} to the backend`);
  }

  /** `context.Variables[name] = value`: a literal is stored as a string, an expression as its value. */
  private runSetVariable(element: PolicyXmlElement): void {
    const name = attributeOf(element, 'name');
    const value = attributeOf(element, 'value');
    if (name === undefined || name === '' || value === undefined) throw new InvalidPolicyError(`${element.path} needs name and value`);
    if (name.startsWith('@')) throw new InvalidPolicyError(`${element.path}: the name of a variable cannot be a policy expression`);
    const code = policyCodeOf(value, element, 'value');
    const stored = code === undefined ? value : this.evaluate(element, () => evaluateValue(code, this.host));
    if (!isStorableVariable(stored)) {
      throw new InvalidPolicyError(`${element.path}: set-variable stores only basic types (bool, numbers, string, char, DateTime), not ${runtimeTypeName(stored)}`);
    }
    this.variables.set(name, stored);
    this.log(`${element.path}: ${name} = ${JSON.stringify(stored)}`);
  }

  private runIncludeFragment(element: PolicyXmlElement, scope: Scope): Flow {
    const id = attributeOf(element, 'fragment-id');
    if (id === undefined) throw new InvalidPolicyError(`${element.path} needs fragment-id`);
    if (scope.fragments.includes(id)) throw new InvalidPolicyError(`fragment "${id}" includes itself (${[...scope.fragments, id].join(' → ')})`);
    const fragment = this.fragment(id, element);
    checkFragmentPlacement(fragment.root, scope.section);
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
    const format = Object.prototype.hasOwnProperty.call(this.env.fragmentFormats, id) ? this.env.fragmentFormats[id] : this.env.format;
    const loaded = loadPolicy(this.env.fragments[id], this.env, `fragment(${id}):`, 'fragment', `fragment "${id}"`, format);
    fragment = loaded.document;
    for (const name of loaded.namedValues) this.namedValues.add(name);
    this.fragmentDocuments.set(id, fragment);
    this.documents.push(fragment);
    return fragment;
  }

  /** A `when` condition: a bool expression, or the constant true or false. */
  private condition(branch: PolicyXmlElement): boolean {
    const value = attributeOf(branch, 'condition');
    if (value === undefined) throw new InvalidPolicyError(`${branch.path} needs a condition`);
    const code = policyCodeOf(value, branch, 'condition');
    if (code === undefined) return policyBoolean(value, branch, 'condition');
    return this.evaluate(branch, () => evaluateCondition(code, this.host));
  }

  /** An attribute's text: literal, or the value of its expression. */
  private text(element: PolicyXmlElement, name: string): string | undefined {
    const value = attributeOf(element, name);
    if (value === undefined) return undefined;
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
        POLICY_FAILURE_STATUS,
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

  /** The gateway answered: a rejection for an error status, else an answer that is not one. */
  private answered(flow: Extract<Flow, { answered: true }>, error?: SimulatedPolicyError): PolicySimulation {
    const rejected = flow.statusCode >= FIRST_ERROR_STATUS;
    return {
      ...this.common(),
      outcome: rejected ? SimulatedOutcome.REJECTED : SimulatedOutcome.ANSWERED,
      statusCode: flow.statusCode,
      reason: flow.reason,
      ...(rejected ? { rejectedBy: flow.by } : { answeredBy: flow.by }),
      error,
    };
  }

  private common() {
    const notSimulated = dedupe([...this.documents.flatMap((document) => unsupportedParts(document.root, this.reached)), ...this.notes]);
    return {
      alternatives: [],
      notSimulated,
      outcomeUncertain: notSimulated.some((part) => part.reached && part.mayChangeOutcome),
      scopesRun: [...this.scopesRun].sort((a, b) => this.levelOf(b) - this.levelOf(a)),
      inboundScopesRun: [...this.inboundScopesRun].sort((a, b) => this.levelOf(b) - this.levelOf(a)),
      namedValues: [...this.namedValues].sort(),
      requestHeadersRead: [...this.headersRead].sort(),
      format: this.scopes[this.scopes.length - 1].document.format,
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
