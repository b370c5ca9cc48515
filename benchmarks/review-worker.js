'use strict';
// One measurement of review-bench.js in a fresh process: the review of a directory (and a base).
const { performance } = require('node:perf_hooks');
const { reviewChanges, reviewDirectory } = require('../lib/review');

const [directory, base] = process.argv.slice(2);
const now = new Date('2030-01-01T00:00:00Z');
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = base === undefined ? reviewDirectory(directory, { now }) : reviewChanges(directory, base, { now });
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS, markdownBytes: Buffer.byteLength(result.markdown) }));
