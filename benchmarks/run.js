'use strict';
// `npm run bench`: every benchmark of the library, measured in fresh child processes, and
// BENCHMARKS.md written from the run (never edited by hand). Progress goes to stderr, the
// tables to stdout; the last line is `library/direct cpu at N=1000: <ratio>` for scripts.
// Not a test: nothing here asserts a speed, but the synthesis comparison fails when the library
// and the hand-written stack write different configurations.
//
// Environment: BENCH_ROUNDS (5), BENCH_SIZES (10,100,1000,3000), BENCH_UPLOADED_SIZES (1000,5000),
// BENCH_REVIEW_SIZES (100,1000,3000), BENCH_OUTPUT (BENCHMARKS.md next to package.json; a run
// with other sizes or rounds is recorded as such).
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join, resolve } = require('node:path');
const { performance } = require('node:perf_hooks');
const { LoadRecorder, machine, runWorker, spread } = require('./measure');
const { makePfxFiles } = require('./pfx-files');
const { renderBenchmarks, HEADLINE_SET } = require('./report');
const { reviewBenchmark } = require('./review-bench');
const { compareWithDirect, uploadedTrust } = require('./synth-bench');

const numbers = (text) => text.split(',').map(Number);
const config = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  sizes: numbers(process.env.BENCH_SIZES ?? '10,100,1000,3000'),
  uploadedSizes: numbers(process.env.BENCH_UPLOADED_SIZES ?? '1000,5000'),
  reviewSizes: numbers(process.env.BENCH_REVIEW_SIZES ?? '100,1000,3000'),
};
const output = resolve(process.env.BENCH_OUTPUT ?? join(__dirname, '..', 'BENCHMARKS.md'));
const work = mkdtempSync(join(os.tmpdir(), 'apim-mtls-bench-'));
const started = new Date();
const log = (line) => process.stderr.write(`[bench ${((performance.now()) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}] ${line}\n`);

/** Loading: short and noisy, so three times the rounds. */
function loading() {
  const loads = new LoadRecorder();
  const runs = { library: [], submodules: [], root: [] };
  for (let round = 0; round < config.rounds * 3; round++) {
    for (const what of round % 2 ? ['submodules', 'library'] : ['library', 'submodules']) runs[what].push(runWorker('load-worker.js', [what]));
    if (round < config.rounds) runs.root.push(runWorker('load-worker.js', ['root']));
    loads.sample();
  }
  const figures = (list) => ({ wallMs: spread(list.map((r) => r.ms)), cpuMs: spread(list.map((r) => r.cpuMs)) });
  return { library: figures(runs.library), submodules: figures(runs.submodules), root: figures(runs.root), load: loads.summary() };
}

/** PFX inspection of distinct files, each inspected twice (the second is a cache hit). */
function pfxInspection() {
  const dir = join(work, 'pfx-inspect');
  require('node:fs').mkdirSync(dir);
  const { password, files } = makePfxFiles(dir, 'inspect', 20, 'bench-password');
  const { inspectPfx, pfxInspectionCount } = require('../lib/certificates/pfx-inspection');
  const first = [];
  const repeat = [];
  for (const file of files) {
    const content = readFileSync(file.path);
    let start = performance.now();
    inspectPfx(content, password);
    first.push(performance.now() - start);
    start = performance.now();
    inspectPfx(Buffer.from(content), password);
    repeat.push(performance.now() - start);
  }
  return { files: files.length, first: spread(first), repeat: spread(repeat), opened: pfxInspectionCount() };
}

log(`rounds ${config.rounds}, sizes ${config.sizes}, uploaded ${config.uploadedSizes}, review ${config.reviewSizes}; writing ${output}`);
const results = { machine: machine(), started: started.toISOString(), config };
log('loading');
results.loading = loading();
log('PFX inspection');
results.pfx = pfxInspection();
results.synthesis = compareWithDirect({ work, rounds: config.rounds, sizes: config.sizes, log });
results.uploaded = uploadedTrust({ work, sizes: config.uploadedSizes, rounds: 1, setPath: results.synthesis.sharedSetPath, log });
results.review = reviewBenchmark({ work, rounds: config.rounds, sizes: config.reviewSizes, log });
results.finished = new Date().toISOString();
rmSync(work, { recursive: true, force: true });

const markdown = renderBenchmarks(results);
writeFileSync(output, markdown);
console.log(markdown);
log(`wrote ${output}`);
const headline = results.synthesis.rows.find((row) => row.count === 1000 && row.set === HEADLINE_SET);
if (headline) console.log(`library/direct cpu at N=1000: ${(headline.library.cpuMs.median / headline.direct.cpuMs.median).toFixed(2)}`);
