'use strict';
// `npm run bench`: synth cost of the library against hand-written provider resources.
// Every figure comes from fresh child processes, run interleaved (library, direct, library, …)
// so both sides see the same machine noise; medians are printed. Not a test: it asserts nothing.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const PASSWORD = 'bench-password';
const work = mkdtempSync(join(os.tmpdir(), 'apim-mtls-bench-'));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function node(script, args, env = {}) {
  const out = execFileSync(process.execPath, [join(__dirname, script), ...args], {
    env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function makePfx(name, days = 90) {
  const key = join(work, `${name}.key`);
  const cert = join(work, `${name}.pem`);
  const pfx = join(work, `${name}.pfx`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${name}`], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', pfx, '-passout', `pass:${PASSWORD}`], { stdio: 'pipe' });
  return pfx;
}

function fmt(n, digits = 0) {
  return n.toFixed(digits);
}

console.log(`# cdktf-apim-mtls benchmark`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`rounds: ${ROUNDS} (loading: ${ROUNDS * 3}; medians; child processes interleaved)\n`);

// 1. Loading.
const loads = { library: [], submodules: [], root: [] };
// Loading is short and noisy: three times the rounds.
for (let round = 0; round < ROUNDS * 3; round++) {
  for (const what of ['library', 'submodules']) loads[what].push(node('load-worker.js', [what]).ms);
  if (round < Math.min(ROUNDS, 3)) loads.root.push(node('load-worker.js', ['root']).ms);
}
const libraryLoad = median(loads.library);
const submodulesLoad = median(loads.submodules);
console.log('## 1. Loading (require in a fresh process)\n');
console.log('| what | median ms | × submodules |');
console.log('|---|---:|---:|');
console.log(`| require('cdktf-apim-mtls') (built lib/) | ${fmt(libraryLoad)} | ${fmt(libraryLoad / submodulesLoad, 2)} |`);
console.log(`| cdktf + the provider submodules it uses | ${fmt(submodulesLoad)} | 1.00 |`);
console.log(`| cdktf + require('@cdktf/provider-azurerm') (root) | ${fmt(median(loads.root))} | ${fmt(median(loads.root) / submodulesLoad, 2)} |`);
console.log(`\ntarget: library ≤ 1.2 × submodules → ${libraryLoad / submodulesLoad <= 1.2 ? 'met' : 'MISSED'}\n`);

// 2. Synthesis.
const pfx = makePfx('bench-shared');
console.log('## 2. Synthesizing N gated APIs, each with a mutual-TLS backend and an uploaded PFX certificate\n');
console.log('| N | library ms | direct ms | ratio | library ms per API | library peak MB | direct peak MB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
let ratioAt1000;
for (const count of SIZES) {
  const runs = { library: [], direct: [] };
  const rounds = count >= 1000 ? Math.max(3, Math.ceil(ROUNDS / 2)) : ROUNDS;
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 ? ['direct', 'library'] : ['library', 'direct']) {
      const outdir = join(work, `out-${mode}-${count}`);
      runs[mode].push(node('synth-worker.js', [mode, String(count), pfx, outdir], { BENCH_PFX_PASSWORD: PASSWORD }));
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const lib = median(runs.library.map((r) => r.totalMs));
  const direct = median(runs.direct.map((r) => r.totalMs));
  if (count === 1000) ratioAt1000 = lib / direct;
  console.log(`| ${count} | ${fmt(lib)} | ${fmt(direct)} | ${fmt(lib / direct, 2)} | ${fmt(lib / count, 2)} | ${fmt(median(runs.library.map((r) => r.peakRssMb)))} | ${fmt(median(runs.direct.map((r) => r.peakRssMb)))} |`);
}
if (ratioAt1000 !== undefined) console.log(`\ntarget: library / direct ≤ 1.15 at N = 1000 → ${ratioAt1000 <= 1.15 ? 'met' : 'MISSED'} (${fmt(ratioAt1000, 2)})\n`);

// 3. PFX inspection.
const { inspectPfx, pfxInspectionCount } = require('../lib');
const files = Array.from({ length: 20 }, (_, i) => readFileSync(makePfx(`inspect-${i}`)));
const firstTimes = [];
const repeatTimes = [];
for (const content of files) {
  let t = performance.now();
  inspectPfx(content, PASSWORD);
  firstTimes.push(performance.now() - t);
  t = performance.now();
  inspectPfx(Buffer.from(content), PASSWORD);
  repeatTimes.push(performance.now() - t);
}
console.log('## 3. PFX inspection per certificate (20 distinct EC P-256 PFX files, AES-256)\n');
console.log('| | median ms | max ms |');
console.log('|---|---:|---:|');
console.log(`| first inspection of a file | ${fmt(median(firstTimes), 3)} | ${fmt(Math.max(...firstTimes), 3)} |`);
console.log(`| same file again (cached) | ${fmt(median(repeatTimes), 3)} | ${fmt(Math.max(...repeatTimes), 3)} |`);
console.log(`\nfiles opened: ${pfxInspectionCount()} for ${files.length * 2} inspections`);

// 4. Every API trusting any uploaded certificate: the stack-level check must stay linear.
const UPLOADED_SIZES = (process.env.BENCH_UPLOADED_SIZES ?? '1000,5000').split(',').map(Number);
const uploadedRuns = UPLOADED_SIZES.map((count) => {
  const outdir = join(work, `out-uploaded-${count}`);
  const run = node('synth-worker.js', ['uploaded', String(count), pfx, outdir], { TF_VAR_bench_pfx_password: PASSWORD });
  rmSync(outdir, { recursive: true, force: true });
  return run;
});
console.log('\n## 4. Synthesizing N gated APIs that each trust every uploaded certificate (one run each)\n');
console.log('| N | ms | ms per API | construct ms | synth ms | peak MB |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const run of uploadedRuns) {
  console.log(`| ${run.count} | ${fmt(run.totalMs)} | ${fmt(run.totalMs / run.count, 2)} | ${fmt(run.constructMs)} | ${fmt(run.synthMs)} | ${fmt(run.peakRssMb)} |`);
}
if (uploadedRuns.length > 1) {
  const [small, large] = [uploadedRuns[0], uploadedRuns[uploadedRuns.length - 1]];
  const growth = large.totalMs / small.totalMs / (large.count / small.count);
  console.log(`\nper-API cost at N = ${large.count} over N = ${small.count}: ${fmt(growth, 2)} (1.00 is linear; a per-API walk of the stack made it grow with N)`);
}
rmSync(work, { recursive: true, force: true });
