'use strict';
// The benchmark's fairness check: the library and the hand-written stack must write the same
// Terraform configuration. Logical ids differ by construction (the library nests constructs, so
// cdktf appends a hash: `Api0_Api_1EECD1AD` against `Api0_Api`), and so do construct paths
// (`bench/Api0/Api` against `bench/Api0_Api`); both are normalised, everything else must be equal.
const { readFileSync } = require('node:fs');

const HASHED_ID = /^(.+)_[0-9A-F]{8}$/;
const IDENTIFIER = /[A-Za-z0-9_]+/g;

/** cdk.tf.json with logical ids stripped of cdktf's hash and construct paths joined with "_". */
function normalisedConfig(file) {
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  const renames = new Map();
  const remember = (id) => {
    const match = HASHED_ID.exec(id);
    if (match) renames.set(id, match[1]);
  };
  for (const section of [json.resource, json.data]) {
    for (const blocks of Object.values(section ?? {})) Object.keys(blocks).forEach(remember);
  }
  for (const [, id] of text.matchAll(/assets\/([A-Za-z0-9_]+)\//g)) remember(id);
  const renamed = JSON.parse(text.replace(IDENTIFIER, (token) => renames.get(token) ?? token));
  for (const section of [renamed.resource, renamed.data]) {
    for (const blocks of Object.values(section ?? {})) {
      for (const config of Object.values(blocks)) {
        const metadata = config['//']?.metadata;
        if (metadata?.path) {
          const [stack, ...rest] = metadata.path.split('/');
          metadata.path = `${stack}/${rest.join('_')}`;
        }
      }
    }
  }
  return renamed;
}

/** The first place where two JSON values differ, as a path and both values; undefined when equal. */
function firstDifference(a, b, path = '') {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return a === b ? undefined : { path: path || '/', library: a, direct: b };
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    if (!(key in a) || !(key in b)) return { path: `${path}/${key}`, library: a[key], direct: b[key] };
    const found = firstDifference(a[key], b[key], `${path}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Throws when the two configurations differ after normalisation, naming the first difference. */
function assertSameConfiguration(libraryFile, directFile) {
  const difference = firstDifference(normalisedConfig(libraryFile), normalisedConfig(directFile));
  if (difference) {
    const show = (value) => (value === undefined ? '(absent)' : JSON.stringify(value).slice(0, 300));
    throw new Error(`the library and the hand-written stack write different configurations at ${difference.path}: library ${show(difference.library)}, direct ${show(difference.direct)}`);
  }
}

module.exports = { assertSameConfiguration, normalisedConfig };
