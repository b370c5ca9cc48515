import { argumentNull, invoke, Library, property, stringKeyIndexer, takes, TypeMembers } from '../csharp/members';
import { staticType } from '../csharp/types';
import { DateTimeValue, DictionaryValue, EntryValue, HOST_OBJECT, LastErrorValue } from '../csharp/values';
import { SimulatedCertificate } from '../simulated-certificate';
import { findKey } from './text-rules';

/*
 * The `context` object a policy expression sees (the parts the simulator knows), the
 * certificates uploaded to the service, and DateTime. Everything else of `context`
 * (`Request.IpAddress`, `User`, `Subscription`, …) is outside the subset and raises
 * UnsupportedExpressionError when evaluation reaches it.
 */

const CERTIFICATES = 'IReadOnlyDictionary<string, X509Certificate2>';

const MEMBERS: Readonly<Record<string, TypeMembers>> = {
  IProxyRequestContext: {
    properties: {
      Request: property('IRequest', () => HOST_OBJECT),
      Deployment: property('IDeployment', () => HOST_OBJECT),
      Variables: property('IReadOnlyDictionary<string, object>', () => HOST_OBJECT),
      LastError: property('ProxyError', (_target, env) => (env.host.lastError ? HOST_OBJECT : null)),
    },
  },
  // Outside on-error LastError is null, so reading a member there is a NullReferenceException.
  ProxyError: {
    properties: {
      Source: property('string', (_target, env) => lastError(env.host.lastError).source),
      Reason: property('string', (_target, env) => lastError(env.host.lastError).reason),
      Message: property('string', (_target, env) => lastError(env.host.lastError).message),
      Section: property('string', (_target, env) => lastError(env.host.lastError).section),
      Path: property('string', (_target, env) => lastError(env.host.lastError).path),
    },
  },
  IRequest: {
    properties: {
      Certificate: property('X509Certificate2', (_target, env) => env.host.requestCertificate ?? null),
      Headers: property('IReadOnlyDictionary<string, string[]>', () => HOST_OBJECT),
    },
  },
  IDeployment: {
    properties: {
      Certificates: property(CERTIFICATES, (_target, env) => new DictionaryValue(env.host.deploymentCertificates)),
    },
  },
  [CERTIFICATES]: {
    properties: {
      Count: property('int', (target) => (target as DictionaryValue).entries.length),
      Keys: property('IEnumerable<string>', (target) => (target as DictionaryValue).entries.map(([key]) => key)),
      Values: property('IEnumerable<X509Certificate2>', (target) => (target as DictionaryValue).entries.map(([, certificate]) => certificate)),
    },
    indexer: stringKeyIndexer('X509Certificate2', (id, receiver, _env, site) => {
      const entries = (receiver as DictionaryValue).entries;
      const key = findKey(entries.map(([candidate]) => candidate), id, site);
      return key === undefined ? undefined : { value: entries.find(([candidate]) => candidate === key)![1] };
    }),
    methods: {
      ContainsKey: (site) =>
        takes(site, 'string')
          ? invoke(site, 'bool', (receiver, [id]) => {
              if (id === null) throw argumentNull(site, 'key');
              return findKey((receiver as DictionaryValue).entries.map(([key]) => key), id as string, site) !== undefined;
            })
          : undefined,
    },
  },
  'KeyValuePair<string, X509Certificate2>': {
    properties: {
      Key: property('string', (target) => (target as EntryValue).key),
      Value: property('X509Certificate2', (target) => (target as EntryValue).value as SimulatedCertificate),
    },
  },
  [staticType('DateTime')]: {
    properties: {
      Now: property('DateTime', (_target, env) => new DateTimeValue(env.host.now.getTime())),
      UtcNow: property('DateTime', (_target, env) => new DateTimeValue(env.host.now.getTime())),
    },
  },
  DateTime: {
    methods: {
      AddDays: (site) =>
        takes(site, 'int')
          ? invoke(site, 'DateTime', (receiver, [days]) => new DateTimeValue((receiver as DateTimeValue).time + (days as number) * 86_400_000))
          : undefined,
    },
  },
};

function lastError(error: LastErrorValue | undefined): LastErrorValue {
  // The property getter runs only on the non-null HOST_OBJECT that LastError returns when set.
  return error!;
}

export const CONTEXT: Library = {
  members: (type) => MEMBERS[type],
  globals: {
    context: { type: 'IProxyRequestContext', value: () => HOST_OBJECT },
    DateTime: { type: staticType('DateTime'), value: () => HOST_OBJECT },
  },
};
