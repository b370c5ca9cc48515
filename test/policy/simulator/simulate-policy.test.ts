import { ClientCertificateTrust, GateStyle, PolicyDocument, clientCertificateGate, renderPolicyElement } from '../../../src';
import {
  InvalidPolicyError,
  PolicyFormat,
  PolicySimulation,
  PolicySimulationError,
  RevocationStatus,
  SimulatedCertificate,
  SimulatedOutcome,
  SimulatedRequest,
  simulatePolicy,
  UnsupportedExpressionError,
} from '../../../src/policy/simulator';
import { issueCertificate } from '../../support/x509';
import { admitted, gatePolicy, idOf, testPki } from './fixtures';

/** A policy document with these inbound statements (and `<base />` everywhere). */
function policy(inbound: string, { backend = '', onError = '', outbound = '' } = {}): string {
  return `<policies>
  <inbound><base />${inbound}</inbound>
  <backend><base />${backend}</backend>
  <outbound><base />${outbound}</outbound>
  <on-error><base />${onError}</on-error>
</policies>`;
}

const REQUIRE_CERTIFICATE = `<choose><when condition='@(context.Request.Certificate == null)'><return-response><set-status code="403" reason="No certificate" /></return-response></when></choose>`;

describe('sections, base and fragments', () => {
  test('<base /> runs the enclosing scope\'s policy in place; its own <base /> stands for nothing', () => {
    const basePolicy = policy(REQUIRE_CERTIFICATE);
    const result = simulatePolicy(policy(''), { basePolicy });
    expect(result).toMatchObject({ statusCode: 403, reason: 'No certificate', rejectedBy: 'base:/policies/inbound/choose/when/return-response' });
    expect(admitted(simulatePolicy(policy(''), {}))).toBe(true); // without a base policy, <base /> is nothing
  });

  test('dropping <base /> drops the enclosing scope\'s checks', () => {
    const withoutBase = new PolicyDocument({ inheritBase: false }).render();
    expect(admitted(simulatePolicy(withoutBase, { basePolicy: policy(REQUIRE_CERTIFICATE) }))).toBe(true);
  });

  test('include-fragment runs the fragment in place', () => {
    const p = testPki();
    const fragment = `<fragment>${renderPolicyElement(clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([p.trusted.thumbprint]) }))}</fragment>`;
    const document = policy('<include-fragment fragment-id="mtls-gate" />');
    const request = { fragments: { 'mtls-gate': fragment } };
    expect(admitted(simulatePolicy(document, { ...request, clientCertificate: p.trusted.x509 }))).toBe(true);
    const rejected = simulatePolicy(document, { ...request, clientCertificate: p.unknown.x509 });
    expect(rejected).toMatchObject({ statusCode: 401, rejectedBy: 'fragment(mtls-gate):/fragment/validate-client-certificate' });
  });

  test('a missing fragment, a fragment including itself and <base /> in a fragment are errors', () => {
    const document = policy('<include-fragment fragment-id="f" />');
    expect(() => simulatePolicy(document, {})).toThrow(/fragment "f" is not among request.fragments/);
    expect(() => simulatePolicy(document, { fragments: { f: '<fragment><include-fragment fragment-id="f" /></fragment>' } })).toThrow(/includes itself/);
    expect(() => simulatePolicy(document, { fragments: { f: '<fragment><base /></fragment>' } })).toThrow(/not allowed in a policy fragment/);
  });

  test('the policy must be a <policies> document', () => {
    expect(() => simulatePolicy('<fragment />')).toThrow(InvalidPolicyError);
  });
});

describe('answers and errors', () => {
  test('mock-response answers with its status code (200 when none is given): the request never reaches the backend', () => {
    expect(simulatePolicy(policy('<mock-response status-code="201" content-type="application/json" />'), {})).toMatchObject({
      outcome: SimulatedOutcome.ANSWERED,
      statusCode: 201,
      answeredBy: '/policies/inbound/mock-response',
      outcomeUncertain: false,
    });
    expect(simulatePolicy(policy('<mock-response />'), {})).toMatchObject({ outcome: SimulatedOutcome.ANSWERED, statusCode: 200 });
    expect(() => simulatePolicy(policy('<mock-response status-code="ok" />'), {})).toThrow(/status-code="ok" is not an HTTP status code/);
  });

  test('return-response without set-status answers 200: ANSWERED, not rejected, and still without the backend', () => {
    const result = simulatePolicy(policy('<return-response />'));
    expect(result).toMatchObject({ outcome: SimulatedOutcome.ANSWERED, statusCode: 200, reason: 'OK', answeredBy: '/policies/inbound/return-response' });
    expect(result.rejectedBy).toBeUndefined();
  });

  test.each([
    [200, SimulatedOutcome.ANSWERED],
    [204, SimulatedOutcome.ANSWERED],
    [302, SimulatedOutcome.ANSWERED],
    [101, SimulatedOutcome.ANSWERED],
    [399, SimulatedOutcome.ANSWERED],
    [400, SimulatedOutcome.REJECTED],
    [401, SimulatedOutcome.REJECTED],
    [503, SimulatedOutcome.REJECTED],
  ])('return-response with status %i is %s', (code, outcome) => {
    expect(simulatePolicy(policy(`<return-response><set-status code="${code}" /></return-response>`)).outcome).toBe(outcome);
  });

  test('on-error answering 200 after a failed check is ANSWERED, with the error kept', () => {
    const document = policy('<validate-client-certificate />', { onError: '<return-response><set-status code="200" reason="Handled" /></return-response>' });
    expect(simulatePolicy(document, {})).toMatchObject({ outcome: SimulatedOutcome.ANSWERED, statusCode: 200, error: { source: 'validate-client-certificate' } });
  });

  test('on-error can replace the 401 of a failed validate-client-certificate', () => {
    const document = policy('<validate-client-certificate />', {
      onError: '<return-response><set-status code="403" reason="Forbidden" /></return-response>',
    });
    const result = simulatePolicy(document, {});
    expect(result).toMatchObject({ statusCode: 403, reason: 'Forbidden', rejectedBy: '/policies/on-error/return-response' });
    expect(result.error).toMatchObject({ source: 'validate-client-certificate', message: 'no client certificate was presented' });
  });

  test('set-status in on-error sets the status of the error answer', () => {
    const document = policy('<validate-client-certificate />', { onError: '<set-status code="495" reason="Cert Error" />' });
    expect(simulatePolicy(document, {})).toMatchObject({ statusCode: 495, reason: 'Cert Error', rejectedBy: '/policies/on-error/set-status' });
  });

  test('the enclosing scope\'s on-error runs through <base />', () => {
    const basePolicy = policy('', { onError: '<return-response><set-status code="403" reason="Global" /></return-response>' });
    expect(simulatePolicy(policy('<validate-client-certificate />'), { basePolicy })).toMatchObject({ statusCode: 403, reason: 'Global' });
  });

  test('an expression that dereferences a missing certificate fails the policy: 500 via on-error', () => {
    const document = policy(`<choose><when condition='@(context.Request.Certificate.Thumbprint != "AB")'><return-response><set-status code="401" /></return-response></when></choose>`);
    const result = simulatePolicy(document, {});
    expect(result).toMatchObject({
      outcome: SimulatedOutcome.REJECTED,
      statusCode: 500,
      rejectedBy: '/policies/inbound/choose/when',
      error: { reason: 'NullReferenceException' },
    });
  });

  test('an error inside on-error ends with 500', () => {
    const document = policy('<validate-client-certificate />', {
      onError: `<choose><when condition='@(context.Request.Certificate.Subject == "x")'><return-response /></when></choose>`,
    });
    expect(simulatePolicy(document, {})).toMatchObject({ statusCode: 500, error: { source: 'validate-client-certificate' } });
  });
});

describe('backend and outbound client certificate', () => {
  test('reports the backend and the certificate presented to it, by thumbprint or certificate id', () => {
    const p = testPki();
    const uploadedCertificates = { 'backend-client': p.selfSigned.x509 };
    const byThumbprint = simulatePolicy(
      policy(`<set-backend-service backend-id="orders" /><authentication-certificate thumbprint="${p.selfSigned.thumbprint.toLowerCase()}" />`, {
        backend: '<forward-request timeout="30" />',
      }),
      { uploadedCertificates },
    );
    expect(byThumbprint).toMatchObject({
      outcome: SimulatedOutcome.FORWARDED,
      backendId: 'orders',
      backendCertificate: { thumbprint: p.selfSigned.thumbprint, certificateId: 'backend-client' },
      outcomeUncertain: false,
    });
    // forward-request's timeout cannot change where the request goes.
    expect(byThumbprint.notSimulated).toEqual([expect.objectContaining({ element: 'forward-request', attribute: 'timeout', mayChangeOutcome: false })]);

    const byId = simulatePolicy(policy('<authentication-certificate certificate-id="backend-client" />'), { uploadedCertificates });
    expect(byId.backendCertificate).toEqual({ certificateId: 'backend-client', thumbprint: p.selfSigned.thumbprint });
  });

  test('the outbound section is listed as not simulated, as it runs after forwarding', () => {
    const result = simulatePolicy(policy('', { outbound: '<set-header name="x" exists-action="override"><value>1</value></set-header>' }));
    expect(result.notSimulated).toEqual([expect.objectContaining({ path: '/policies/outbound/set-header', reached: false, mayChangeOutcome: false })]);
  });
});

describe('nothing is silently ignored', () => {
  test('a rate limit is run both ways: the request goes on, and in an alternative it is rejected through on-error', () => {
    const onError = `<return-response><set-status code="429" reason='@(context.LastError.Reason)' /></return-response>`;
    const result = simulatePolicy(policy('<rate-limit calls="5" renewal-period="60" /><set-header name="x"><value>1</value></set-header>', { onError }));
    expect(result.outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(result.outcomeUncertain).toBe(false);
    expect(result.notSimulated).toEqual([expect.objectContaining({ path: '/policies/inbound/rate-limit', element: 'rate-limit', mayChangeOutcome: false, reached: true })]);
    expect(result.alternatives).toHaveLength(1);
    expect(result.alternatives[0]).toMatchObject({ path: '/policies/inbound/rate-limit', element: 'rate-limit', kind: 'rejects' });
    expect(result.alternatives[0].simulation).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 429, reason: 'RateLimitExceeded', alternatives: [] });
  });

  test('a cache lookup before the gate may answer a caller the gate would reject', () => {
    const gate = `<choose><when condition='@(context.Request.Certificate == null)'><return-response><set-status code="401" /></return-response></when></choose>`;
    const result = simulatePolicy(policy(`<cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />${gate}`));
    expect(result).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401, outcomeUncertain: false });
    expect(result.alternatives.map((alternative) => alternative.simulation)).toEqual([
      expect.objectContaining({ outcome: SimulatedOutcome.ANSWERED, statusCode: 200, answeredBy: '/policies/inbound/cache-lookup' }),
    ]);
  });

  test('a token check in a branch not taken has no alternative', () => {
    const result = simulatePolicy(policy(`<choose><when condition="false"><validate-jwt header-name="Authorization" failed-validation-httpcode="403" /></when></choose>`));
    expect(result.alternatives).toEqual([]);
  });

  test('set-header runs its expressions; later expressions read the header it set, and a failing one is a policy failure', () => {
    const copyThumbprint = `<set-header name="X-Client-Thumbprint" exists-action="override"><value>@(context.Request.Certificate.Thumbprint)</value></set-header>`;
    const readBack = `<choose><when condition='@(context.Request.Headers.GetValueOrDefault("x-client-thumbprint", "") != "AB")'><return-response><set-status code="403" /></return-response></when></choose>`;
    const p = testPki();
    const withCertificate = simulatePolicy(policy(copyThumbprint + readBack), { clientCertificate: p.trusted.x509 });
    expect(withCertificate).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 403, outcomeUncertain: false });
    const forged = simulatePolicy(policy(readBack), { headers: { 'X-Client-Thumbprint': 'AB' } });
    expect(forged.outcome).toBe(SimulatedOutcome.FORWARDED);
    const overwritten = simulatePolicy(policy(copyThumbprint + readBack), { clientCertificate: p.trusted.x509, headers: { 'X-Client-Thumbprint': 'AB' } });
    expect(overwritten.outcome).toBe(SimulatedOutcome.REJECTED);
    const skipped = simulatePolicy(policy(copyThumbprint.replace('override', 'skip') + readBack), { clientCertificate: p.trusted.x509, headers: { 'X-Client-Thumbprint': 'AB' } });
    expect(skipped.outcome).toBe(SimulatedOutcome.FORWARDED);
    const withoutCertificate = simulatePolicy(policy(copyThumbprint));
    expect(withoutCertificate).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 500, error: { reason: 'NullReferenceException' } });
  });

  test('mock-response answers without calling the backend', () => {
    expect(simulatePolicy(policy('<mock-response status-code="200" content-type="application/json" />'))).toMatchObject({
      outcome: SimulatedOutcome.ANSWERED,
      statusCode: 200,
      answeredBy: '/policies/inbound/mock-response',
      outcomeUncertain: false,
    });
  });

  test('an element the simulator does not run still makes a reached outcome uncertain', () => {
    const result = simulatePolicy(policy('<send-request mode="new" response-variable-name="r" timeout="5" ignore-error="false"><set-url>https://example.com</set-url></send-request>'));
    expect(result.outcomeUncertain).toBe(true);
    expect(result.notSimulated).toEqual([expect.objectContaining({ element: 'send-request', mayChangeOutcome: true, reached: true })]);
  });

  test('an unsupported element in a branch not taken is listed but does not make the outcome uncertain', () => {
    const document = policy(`<choose><when condition='@(false)'><ip-filter action="allow" /></when></choose>`);
    const result = simulatePolicy(document);
    expect(result.notSimulated).toEqual([expect.objectContaining({ element: 'ip-filter', reached: false })]);
    expect(result.outcomeUncertain).toBe(false);
  });

  test('an unknown claim on an identity is listed: ignoring it could admit too much', () => {
    const p = testPki();
    const document = policy(`<validate-client-certificate validate-trust="false" validate-revocation="false"><identities><identity thumbprint="${p.trusted.thumbprint}" future-claim="x" /></identities></validate-client-certificate>`);
    const result = simulatePolicy(document, { clientCertificate: p.trusted.x509 });
    expect(result.notSimulated).toEqual([expect.objectContaining({ element: 'identity', attribute: 'future-claim', mayChangeOutcome: true, reached: true })]);
    expect(result.outcomeUncertain).toBe(true);
  });

  test('an unsupported expression is an error when the request reaches it, and only then', () => {
    const document = policy(`<choose><when condition='@(context.Request.IpAddress == "10.0.0.1")'><return-response /></when></choose>`);
    expect(() => simulatePolicy(document)).toThrow(UnsupportedExpressionError);
    const skipped = policy(`<choose><when condition="false"><set-backend-service base-url='@(context.Request.IpAddress)' /></when></choose>`);
    expect(simulatePolicy(skipped).outcome).toBe(SimulatedOutcome.FORWARDED);
  });

  test('a condition is an expression or the constant true or false; anything else is refused as APIM would', () => {
    expect(simulatePolicy(policy(`<choose><when condition="true"><return-response><set-status code="403" /></return-response></when></choose>`)).statusCode).toBe(403);
    expect(simulatePolicy(policy(`<choose><when condition="false"><return-response /></when></choose>`)).outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(() => simulatePolicy(policy(`<choose><when condition="yes"><return-response /></when></choose>`))).toThrow(/not true or false/);
    expect(() => simulatePolicy(policy(`<choose><when><return-response /></when></choose>`))).toThrow(/needs a condition/);
    expect(() => simulatePolicy(policy(`<choose><when condition="True"><return-response /></when></choose>`))).toThrow(UnsupportedExpressionError);
    expect(() => simulatePolicy(policy(`<choose><when condition='@("x")'><return-response /></when></choose>`))).toThrow(/not bool/);
  });
});

describe('validate-client-certificate', () => {
  const p = testPki();
  const trusted = SimulatedCertificate.of(p.trusted.x509);
  const noChain = 'validate-trust="false" validate-revocation="false"';
  const validate = (attributes: string, identities: string[] = []) =>
    policy(
      `<validate-client-certificate ${attributes}>${identities.length ? `<identities>${identities.map((i) => `<identity ${i} />`).join('')}</identities>` : ''}</validate-client-certificate>`,
    );
  const admits = (document: string, request: SimulatedRequest = {}) => admitted(simulatePolicy(document, { clientCertificate: p.trusted.x509, ...request }));

  test('defaults check the chain and revocation, so a private CA needs uploading and a reachable responder', () => {
    expect(admits(validate(''))).toBe(false);
    expect(admits(validate(''), { caCertificates: [p.partnerCa.x509] })).toBe(false);
    expect(admits(validate(''), { caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.GOOD })).toBe(true);
    expect(admits(validate(''), { caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.REVOKED })).toBe(false);
    expect(admits(validate('validate-revocation="false"'), { caCertificates: [p.partnerCa.x509] })).toBe(true);
  });

  test.each([
    ['thumbprint (any case)', `thumbprint="${p.trusted.thumbprint.toLowerCase()}"`],
    ['serial-number', `serial-number="${trusted.serialNumber}"`],
    ['common-name', 'common-name="partner-a"'],
    ['subject', 'subject="CN=partner-a, O=Partner A"'],
    ['dns-name (falls back to the common name)', 'dns-name="PARTNER-A"'],
    ['issuer-subject', `issuer-subject='CN=Contoso Partner CA, O="Contoso, Inc.", C=US'`],
    ['issuer-thumbprint', `issuer-thumbprint="${p.partnerCa.thumbprint}"`],
    ['issuer-certificate-id', `issuer-certificate-id="${idOf(p.partnerCa)}"`],
  ])('the %s claim admits the matching certificate and no other', (_label, claim) => {
    const request = { uploadedCertificates: { [idOf(p.partnerCa)]: p.partnerCa.x509 } };
    expect(admits(validate(noChain, [claim]), request)).toBe(true);
    const other = simulatePolicy(validate(noChain, [claim]), { ...request, clientCertificate: p.wrongIssuer.x509 });
    const sameIssuerClaims = ['serial-number', 'common-name', 'subject', 'dns-name'].some((c) => claim.startsWith(c));
    // wrongIssuer shares the subject; its serial number differs.
    expect(admitted(other)).toBe(sameIssuerClaims && !claim.startsWith('serial-number'));
  });

  test('every claim of an identity must hold; one identity is enough', () => {
    const both = `thumbprint="${p.trusted.thumbprint}" subject="CN=someone-else"`;
    expect(admits(validate(noChain, [both]))).toBe(false);
    expect(admits(validate(noChain, [both, `thumbprint="${p.trusted.thumbprint}"`]))).toBe(true);
  });

  test('ignore-error lets a failed certificate through (which is why the gate never sets it)', () => {
    expect(admitted(simulatePolicy(validate(`${noChain} ignore-error="true"`), {}))).toBe(true);
  });

  test('more than 10 identities, an identity without claims, and a non-boolean flag are refused', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `common-name="n${i}"`);
    expect(() => simulatePolicy(validate(noChain, eleven), {})).toThrow(/at most 10/);
    expect(() => simulatePolicy(validate(noChain, ['']), {})).toThrow(/makes no claim/);
    expect(() => simulatePolicy(validate('validate-trust="yes"'), {})).toThrow(/not true or false/);
    expect(() => simulatePolicy(validate(noChain, ['issuer-certificate-id="a" issuer-subject="CN=b"']), {})).toThrow(/excludes/);
  });

  test('chains through an uploaded intermediate to an uploaded root; a non-CA issuer breaks the chain', () => {
    const issuing = issueCertificate({ subject: 'CN=Issuing CA', issuer: p.partnerCa, ca: true });
    const viaIntermediate = issueCertificate({ subject: 'CN=c', issuer: issuing });
    const request = { clientCertificate: viaIntermediate.x509, revocation: RevocationStatus.GOOD };
    expect(admitted(simulatePolicy(validate(''), { ...request, caCertificates: [p.partnerCa.x509, issuing.x509] }))).toBe(true);
    expect(admitted(simulatePolicy(validate(''), { ...request, caCertificates: [p.partnerCa.x509] }))).toBe(false);
    expect(admitted(simulatePolicy(validate(''), { ...request, caCertificates: [issuing.x509] }))).toBe(false); // no root
    const fromLeaf = issueCertificate({ subject: 'CN=d', issuer: p.trusted });
    const leafAsCa = simulatePolicy(validate(''), { clientCertificate: fromLeaf.x509, caCertificates: [p.partnerCa.x509, p.trusted.x509], revocation: RevocationStatus.GOOD });
    expect(leafAsCa.error?.message).toMatch(/is not a certification authority/);
  });

  test('a self-signed certificate uploaded as a root is trusted as itself', () => {
    const request = { clientCertificate: p.selfSigned.x509, caCertificates: [p.selfSigned.x509] };
    expect(admitted(simulatePolicy(validate(''), request))).toBe(true); // a root is not checked for revocation
  });
});

describe('XML and rawxml', () => {
  const HAND_WRITTEN_XML = policy(
    `<choose><when condition="@(context.Request.Certificate == null &amp;&amp; true || context.Request.Certificate.NotAfter &lt; DateTime.Now || context.Request.Certificate.Subject != &quot;CN=partner-a, O=Partner A&quot;)"><return-response><set-status code="403" reason="a &amp; b" /></return-response></when></choose>`,
  );
  const HAND_WRITTEN_RAW = policy(
    `<choose><when condition="@(context.Request.Certificate == null && true || context.Request.Certificate.NotAfter < DateTime.Now || context.Request.Certificate.Subject != "CN=partner-a, O=Partner A")"><return-response><set-status code="403" reason="a &amp; b" /></return-response></when></choose>`,
  );

  function comparable(result: PolicySimulation) {
    const { format: _format, ...rest } = result;
    return rest;
  }

  test('a rawxml condition with comments, apostrophes in them included, is read and decided', () => {
    const raw = policy(`<choose><when condition="@(
      // Callers without a certificate can't pass; we don't check anything else here.
      context.Request.Certificate == null /* that's the rule */)"><return-response><set-status code="403" /></return-response></when></choose>`);
    expect(simulatePolicy(raw, {})).toMatchObject({ format: PolicyFormat.RAWXML, statusCode: 403 });
    expect(admitted(simulatePolicy(raw, { clientCertificate: testPki().trusted.x509 }))).toBe(true);
  });

  test('the same policy written as XML and as rawxml gives the same result', () => {
    const p = testPki();
    for (const certificate of [undefined, p.trusted, p.expired, p.wrongSubject]) {
      const request = { clientCertificate: certificate?.x509 };
      const xml = simulatePolicy(HAND_WRITTEN_XML, request);
      const raw = simulatePolicy(HAND_WRITTEN_RAW, request);
      expect(xml.format).toBe(PolicyFormat.XML);
      expect(raw.format).toBe(PolicyFormat.RAWXML);
      expect(comparable(raw)).toEqual(comparable(xml));
    }
    expect(simulatePolicy(HAND_WRITTEN_RAW, {}).reason).toBe('a & b');
  });

  test('our generated gates read the same as XML and as rawxml (they are XML-neutral)', () => {
    const p = testPki();
    for (const style of [GateStyle.EXPRESSION, GateStyle.VALIDATE_POLICY]) {
      for (const trust of [ClientCertificateTrust.uploadedCertificates(), ClientCertificateTrust.thumbprints([p.trusted.thumbprint])]) {
        const document = gatePolicy({ trust, style, verifyChain: true, issuer: trusted(p).issuer, subject: trusted(p).subject });
        for (const certificate of [undefined, p.trusted, p.unknown, p.expired, p.wrongIssuer]) {
          const request = {
            clientCertificate: certificate?.x509,
            uploadedCertificates: { a: p.trusted.x509 },
            caCertificates: [p.partnerCa.x509],
            revocation: RevocationStatus.GOOD,
          };
          const xml = simulatePolicy(document, { ...request, format: PolicyFormat.XML });
          const raw = simulatePolicy(document, { ...request, format: PolicyFormat.RAWXML });
          expect(comparable(raw)).toEqual(comparable(xml));
          expect(admitted(xml)).toBe(certificate === p.trusted);
        }
      }
    }
  });

  function trusted(p: ReturnType<typeof testPki>) {
    return SimulatedCertificate.of(p.trusted.x509);
  }
});

describe('request checks', () => {
  test('certificates must be X509Certificate objects, the time a valid Date', () => {
    const document = policy('');
    expect(() => simulatePolicy(document, { clientCertificate: 'PEM' as never })).toThrow(PolicySimulationError);
    expect(() => simulatePolicy(document, { uploadedCertificates: { a: {} as never } })).toThrow(/uploadedCertificates\["a"\]/);
    expect(() => simulatePolicy(document, { now: new Date('nope') })).toThrow(/valid Date/);
  });

  test('the current time decides validity', () => {
    const p = testPki();
    const document = gatePolicy({ trust: ClientCertificateTrust.thumbprints([p.trusted.thumbprint]), style: GateStyle.EXPRESSION });
    expect(admitted(simulatePolicy(document, { clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(admitted(simulatePolicy(document, { clientCertificate: p.trusted.x509, now: new Date(p.trusted.notAfter.getTime() + 1000) }))).toBe(false);
    expect(admitted(simulatePolicy(document, { clientCertificate: p.trusted.x509, now: new Date(p.trusted.notBefore.getTime() - 1000) }))).toBe(false);
  });
});
