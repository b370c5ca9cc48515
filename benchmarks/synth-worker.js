'use strict';
// One measurement in a fresh process: synthesize N gated APIs, each with a mutual-TLS backend and
// an uploaded PFX certificate, through the library or written by hand with the provider classes,
// and print JSON with CPU time (user + system of this process, loading included), wall time and
// peak RSS. Usage: node synth-worker.js <library|direct|uploaded> <N> <pfx-files.json> <outdir>
// `uploaded` is the library with every API trusting any uploaded certificate (issue 12 point 5).
const { performance } = require('node:perf_hooks');
const { readFileSync } = require('node:fs');

const [mode, countText, pfxFilesPath, outdir] = process.argv.slice(2);
const count = Number(countText);
const pfxFiles = JSON.parse(readFileSync(pfxFilesPath, 'utf8'));
process.env.BENCH_PFX_PASSWORD = pfxFiles.password;

const { App, TerraformStack } = require('cdktf');
const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
const app = new App({ outdir });
const stack = new TerraformStack(app, 'bench');
new AzurermProvider(stack, 'azurerm', { features: [{}] });

const build = mode === 'direct' ? require('./stacks/direct-stack') : require('./stacks/library-stack');
build(stack, { count, pfxFiles, trustUploaded: mode === 'uploaded' });
const built = { cpu: process.cpuUsage(), ms: performance.now() };
app.synth();
const cpu = process.cpuUsage();
const ms = performance.now();
const cpuMs = (usage) => (usage.user + usage.system) / 1000;
process.stdout.write(
  JSON.stringify({
    mode,
    count,
    cpuMs: cpuMs(cpu),
    wallMs: ms,
    constructCpuMs: cpuMs(built.cpu),
    synthCpuMs: cpuMs(cpu) - cpuMs(built.cpu),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
