import { InvalidPolicyError, PolicyFormat, SimulatedOutcome, simulatePolicy, UnknownNamedValueError, UnsupportedExpressionError } from '../../../src/policy/simulator';
import { admitted, testPki } from './fixtures';

function inbound(statements: string): string {
  return `<policies><inbound><base />${statements}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
}

const reject = '<return-response><set-status code="403" reason="Forbidden" /></return-response>';

describe('named values are substituted before the policy is read, as APIM does', () => {
  test('in an expression: a thumbprint list kept in a named value', () => {
    const p = testPki();
    // rawxml, as azurerm deploys it: C# quotes and a char literal inside a double-quoted attribute.
    const policy = inbound(`<choose><when condition="@(context.Request.Certificate == null || !"{{partner-thumbprints}}".Split(',').Contains(context.Request.Certificate.Thumbprint))">${reject}</when></choose>`);
    const namedValues = { 'partner-thumbprints': `${p.trusted.thumbprint},${p.expired.thumbprint}` };
    const trusted = simulatePolicy(policy, { namedValues, clientCertificate: p.trusted.x509 });
    expect(admitted(trusted)).toBe(true);
    expect(trusted.namedValues).toEqual(['partner-thumbprints']);
    expect(simulatePolicy(policy, { namedValues, clientCertificate: p.unknown.x509 }).statusCode).toBe(403);
    expect(simulatePolicy(policy, { namedValues }).statusCode).toBe(403);
  });

  test('in an attribute: validate-trust from a named value is a boolean, not "not true or false"', () => {
    const p = testPki();
    const policy = inbound(`<validate-client-certificate validate-trust="{{check-chain}}" validate-revocation="false"><identities><identity thumbprint="{{partner}}" /></identities></validate-client-certificate>`);
    const request = { namedValues: { 'check-chain': 'false', partner: p.trusted.thumbprint } };
    expect(admitted(simulatePolicy(policy, { ...request, clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(simulatePolicy(policy, { ...request, clientCertificate: p.unknown.x509 }).statusCode).toBe(401);
  });

  test('in element text and in enclosing scopes and fragments', () => {
    const namedValues = { 'backend-host': 'https://orders.example', gate: 'false' };
    const result = simulatePolicy(inbound('<include-fragment fragment-id="route" />'), {
      namedValues,
      fragments: { route: '<fragment><set-backend-service base-url="{{backend-host}}" /></fragment>' },
      basePolicy: inbound(`<choose><when condition="{{gate}}">${reject}</when></choose>`),
    });
    expect(result).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: 'https://orders.example', namedValues: ['backend-host', 'gate'] });
  });

  test('a named value that is not given is an UnknownNamedValueError carrying its name', () => {
    try {
      simulatePolicy(inbound('<set-backend-service backend-id="{{backend-name}}" />'));
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownNamedValueError);
      expect(error).toBeInstanceOf(UnsupportedExpressionError);
      expect((error as UnknownNamedValueError).namedValue).toBe('backend-name');
      expect((error as Error).message).toMatch(/secret, from Key Vault, or not defined/);
    }
  });

  test('a value is substituted unescaped, so a quote in it changes the document, as in APIM', () => {
    const p = testPki();
    const policy = inbound(`<choose><when condition='@(context.Request.Certificate?.Subject != "{{partner-subject}}")'>${reject}</when></choose>`);
    const subject = (value: string, format?: PolicyFormat) => ({ namedValues: { 'partner-subject': value }, clientCertificate: p.unknown.x509, format });
    // Read as XML, an apostrophe ends the single-quoted attribute early; rawxml keeps the expression whole.
    expect(() => simulatePolicy(policy, subject("CN=O'Brien", PolicyFormat.XML))).toThrow(InvalidPolicyError);
    expect(simulatePolicy(policy, subject("CN=O'Brien")).format).toBe(PolicyFormat.RAWXML);
    // A double quote ends the C# string literal instead: the expression no longer compiles.
    expect(() => simulatePolicy(policy, subject('CN="a, b"'))).toThrow(InvalidPolicyError);
    // A value that keeps the expression valid but changes its meaning is simulated as written: here it admits anyone.
    expect(admitted(simulatePolicy(policy, subject('x" && "" != "')))).toBe(true);
  });

  test('a value holding {{…}} is not guessed at, nor is {{ text }} that is not a name', () => {
    expect(() => simulatePolicy(inbound('<set-backend-service base-url="{{a}}" />'), { namedValues: { a: '{{b}}', b: 'x' } })).toThrow(/substitutes again/);
    expect(() => simulatePolicy(inbound('<set-backend-service base-url="{{ a }}" />'), { namedValues: { a: 'x' } })).toThrow(/not a named value name/);
  });
});
