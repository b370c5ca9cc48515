'use strict';
// BENCHMARKS.md from the results of one `npm run bench` run. Every figure in the file comes from
// that run; the text around them explains the method and never states a figure of its own.

/** The PFX set of the headline ratio (the last line of `npm run bench`). */
const HEADLINE_SET = 'distinct';
const TARGET_RATIO = 0.85;
/** Time per API counts as flat when N = 3000 costs at most this much more per API than N = 1000. */
const FLAT_PER_API = 1.1;
const REVIEW_GROWTH_LIMIT = 3.5;

const fixed = (n, digits = 0) => n.toFixed(digits);
const withRange = (s, digits = 0) => `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const loadText = (load) => `${fixed(load.min, 1)}–${fixed(load.max, 1)}`;

function machineSection(results) {
  const m = results.machine;
  const c = results.config;
  const loads = [
    results.loading.load,
    ...results.synthesis.rows.map((r) => r.load),
    ...results.uploaded.map((r) => r.load),
    ...results.review.map((r) => r.load),
  ];
  const low = Math.min(...loads.map((l) => l.min));
  const high = Math.max(...loads.map((l) => l.max));
  return [
    '## Machine and run',
    '',
    `- ${m.cpus} × ${m.cpuModel}, ${fixed(m.memoryGiB)} GiB, Node ${m.node}, ${m.platform}.`,
    `- Run from ${results.started} to ${results.finished}: ${c.rounds} rounds per figure (loading: ${c.rounds * 3}), synthesis at N = ${c.sizes.join(', ')}, ` +
      `uploaded trust at N = ${c.uploadedSizes.join(', ')} (one run each), review at N = ${c.reviewSizes.join(', ')}.`,
    `- 1-minute load average during the run: ${fixed(low, 1)} to ${fixed(high, 1)} on ${m.cpus} cores (other jobs share the machine). ` +
      'Wall time then includes waiting for a core, so every comparison is made on CPU time (user + system of the measuring process), ' +
      'which the load disturbs far less; wall times are shown for completeness.',
    '- Figures are medians of fresh child processes, with min–max in parentheses; the two sides of a comparison run interleaved ' +
      '(library, direct, direct, library, …) so both see the same noise.',
    '',
  ];
}

function loadingSection(loading) {
  const base = loading.submodules.cpuMs.median;
  const row = (what, f) => `| ${what} | ${withRange(f.wallMs)} | ${withRange(f.cpuMs)} | ${fixed(f.cpuMs.median / base, 2)} |`;
  const ratio = loading.library.cpuMs.median / base;
  return [
    '## 1. Loading (require in a fresh process)',
    '',
    '| what | wall ms | CPU ms | CPU × submodules |',
    '|---|---:|---:|---:|',
    row("require('cdktf-apim-mtls') (built lib/)", loading.library),
    row('cdktf + the provider submodules it uses', loading.submodules),
    row("cdktf + require('@cdktf/provider-azurerm') (root)", loading.root),
    '',
    `target: library ≤ 1.2 × submodules → ${verdict(ratio <= 1.2)} (${fixed(ratio, 2)})`,
    '',
  ];
}

function synthesisSection(synthesis) {
  const lines = [
    '## 2. Synthesizing N gated APIs: the library against the same resources written by hand',
    '',
    'Each API has an uploaded PFX certificate, a mutual-TLS backend presenting it, and a gated API (its policy and seven catch-all ' +
      'operations), on one Developer service. The direct side (`benchmarks/stacks/direct-stack.js`) writes the same resources with the ' +
      'provider classes, including the review claims the library writes under `//`, and takes the certificates\' thumbprints and names ' +
      'from the benchmark instead of reading the files (what a hand-written stack would hard-code). Before any figure is taken, ' +
      '`benchmarks/fairness.js` compares the two `cdk.tf.json` of the first round of every row after normalising logical ids and ' +
      'construct paths, and the run fails when they differ: every row below was checked equal.',
    '',
    'The library also does what the direct side does not: it opens and checks every PFX file at synth, and proves every gate ' +
      '(the stack checks and the synth-time simulation).',
    '',
  ];
  for (const set of synthesis.sets) {
    const rows = synthesis.rows.filter((r) => r.set === set.name);
    lines.push(`### ${set.description} (\`${set.name}\`)`, '');
    lines.push('| N | library CPU ms | direct CPU ms | CPU ratio | ratio per round | library wall ms | direct wall ms | library CPU ms per API | direct CPU ms per API | peak RSS MiB library / direct | load |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      const ratio = r.library.cpuMs.median / r.direct.cpuMs.median;
      lines.push(
        `| ${r.count} | ${withRange(r.library.cpuMs)} | ${withRange(r.direct.cpuMs)} | ${fixed(ratio, 2)} | ${fixed(r.cpuRatio.min, 2)}–${fixed(r.cpuRatio.max, 2)} | ` +
          `${withRange(r.library.wallMs)} | ${withRange(r.direct.wallMs)} | ${fixed(r.library.cpuMs.median / r.count, 2)} | ${fixed(r.direct.cpuMs.median / r.count, 2)} | ` +
          `${fixed(r.library.peakRssMb.median)} / ${fixed(r.direct.peakRssMb.median)} | ${loadText(r.load)} |`,
      );
    }
    lines.push('');
    const at = (n) => rows.find((r) => r.count === n);
    if (at(1000)) {
      const ratio = at(1000).library.cpuMs.median / at(1000).direct.cpuMs.median;
      lines.push(`- target: library / direct CPU ≤ ${TARGET_RATIO} at N = 1000 → ${verdict(ratio <= TARGET_RATIO)} (${fixed(ratio, 2)}; wall ${fixed(at(1000).library.wallMs.median / at(1000).direct.wallMs.median, 2)})`);
    }
    if (at(1000) && at(3000)) {
      const perApi = (r) => r.library.cpuMs.median / r.count;
      const growth = perApi(at(3000)) / perApi(at(1000));
      lines.push(
        `- library CPU per API at N = 3000 over N = 1000: ${fixed(growth, 2)} (${fixed(perApi(at(1000)), 2)} → ${fixed(perApi(at(3000)), 2)} ms; ` +
          `target: flat, at most ${FLAT_PER_API} → ${verdict(growth <= FLAT_PER_API)}); direct: ${fixed(at(3000).direct.cpuMs.median / 3000 / (at(1000).direct.cpuMs.median / 1000), 2)}`,
      );
    }
    lines.push('');
  }
  return lines;
}

function pfxSection(pfx) {
  return [
    `## 3. PFX inspection per certificate (${pfx.files} distinct EC P-256 PFX files, AES-256, in the bench process)`,
    '',
    '| | median ms (min–max) |',
    '|---|---:|',
    `| first inspection of a file | ${withRange(pfx.first, 3)} |`,
    `| same file again (cached) | ${withRange(pfx.repeat, 3)} |`,
    '',
    `files opened: ${pfx.opened} for ${pfx.files * 2} inspections. The first inspection's maximum includes initialising Node's TLS stack.`,
    '',
  ];
}

function uploadedSection(uploaded) {
  const lines = [
    '## 4. Synthesizing N gated APIs that each trust every uploaded certificate (issue 12 point 5)',
    '',
    'The library stack of section 2 (one shared PFX file), with `ClientCertificateTrust.uploadedCertificates()` on every gate: each ' +
      'gate\'s trust then also admits the N backend certificates, which once made synth quadratic. One run per N.',
    '',
    '| N | CPU ms | CPU ms per API | construct CPU ms | synth CPU ms | wall ms | peak RSS MiB | load |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of uploaded) {
    lines.push(
      `| ${r.count} | ${fixed(r.cpuMs.median)} | ${fixed(r.cpuMs.median / r.count, 2)} | ${fixed(r.constructCpuMs.median)} | ${fixed(r.synthCpuMs.median)} | ` +
        `${fixed(r.wallMs.median)} | ${fixed(r.peakRssMb.median)} | ${loadText(r.load)} |`,
    );
  }
  if (uploaded.length > 1) {
    const [small, large] = [uploaded[0], uploaded[uploaded.length - 1]];
    const growth = large.cpuMs.median / large.count / (small.cpuMs.median / small.count);
    lines.push('', `CPU per API at N = ${large.count} over N = ${small.count}: ${fixed(growth, 2)} (1.00 is linear).`);
  }
  lines.push('');
  return lines;
}

/** The review table; also printed by `node benchmarks/review-bench.js`. */
function reviewTable(rows) {
  const lines = [
    '| APIs | operations | mode | wall ms | CPU ms | CPU × previous N | peak RSS MiB | RSS × previous N | markdown KiB | load |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const previous = {};
  for (const r of rows) {
    const before = previous[r.mode];
    const grow = (now, then) => (before ? `${fixed(now / then, 2)} (N ×${fixed(r.count / before.count)})` : '');
    lines.push(
      `| ${r.count} | ${r.operations} | ${r.mode} | ${withRange(r.wallMs)} | ${withRange(r.cpuMs)} | ${grow(r.cpuMs.median, before?.cpuMs.median)} | ` +
        `${fixed(r.peakRssMb.median)} | ${grow(r.peakRssMb.median, before?.peakRssMb.median)} | ${fixed(r.markdownKiB)} | ${loadText(r.load)} |`,
    );
    previous[r.mode] = r;
  }
  return lines.join('\n');
}

function reviewSection(review) {
  const lines = [
    '## 5. Reviewing a generated plan (`benchmarks/review-bench.js`)',
    '',
    'Plans written directly (no synth): one Developer service, N gated APIs with seven catch-all operations each, every API pinning ' +
      'its own partner thumbprint and a shared one (so no two API policies are alike), ten mutual-TLS backends, five Key Vault client ' +
      'certificates, a product with its own gate on every tenth API and an operation policy on every twentieth. The head adds a ' +
      'thumbprint to one API. Each process runs `reviewDirectory` (full report) or `reviewChanges` (`--base`): reading, composing every ' +
      'scope, simulating every caller, judging and rendering.',
    '',
    reviewTable(review),
    '',
  ];
  for (const mode of [...new Set(review.map((r) => r.mode))]) {
    const at = (n) => review.find((r) => r.mode === mode && r.count === n);
    if (at(1000) && at(3000)) {
      const growth = at(3000).cpuMs.median / at(1000).cpuMs.median;
      lines.push(`- ${mode}: CPU at N = 3000 is ${fixed(growth, 2)} × N = 1000 (target: at most ${REVIEW_GROWTH_LIMIT} → ${verdict(growth <= REVIEW_GROWTH_LIMIT)})`);
    }
  }
  lines.push('');
  return lines;
}

function renderBenchmarks(results) {
  return [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (benchmarks/run.js, benchmarks/report.js). Do not edit: run it again. -->',
    '',
    '`npm run bench` builds the library, runs every benchmark below in fresh child processes and writes this file. It is a record of ' +
      'one run, not a test: nothing asserts a speed, but the run fails when the two sides of the synthesis comparison write different ' +
      'configurations. To see where time goes, profile one worker, e.g. ' +
      '`node --cpu-prof benchmarks/synth-worker.js library 1000 <pfx-files.json> <outdir>`.',
    '',
    ...machineSection(results),
    ...loadingSection(results.loading),
    ...synthesisSection(results.synthesis),
    ...pfxSection(results.pfx),
    ...uploadedSection(results.uploaded),
    ...reviewSection(results.review),
  ].join('\n');
}

module.exports = { HEADLINE_SET, renderBenchmarks, reviewTable };
