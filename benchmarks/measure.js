'use strict';
// What every benchmark section shares: fresh child processes, statistics, the machine's load.
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const { join } = require('node:path');

/** Runs a worker script in a fresh Node process and returns the JSON of its last output line. */
function runWorker(script, args, env = {}) {
  const out = execFileSync(process.execPath, [join(__dirname, script), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of a list of figures. */
function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** The 1-minute load average now, for the record of how busy the shared machine was. */
function load() {
  return os.loadavg()[0];
}

/** Load averages seen during a section: call `sample()` between runs, then `summary()`. */
class LoadRecorder {
  constructor() {
    this.samples = [load()];
  }

  sample() {
    this.samples.push(load());
  }

  summary() {
    return { min: Math.min(...this.samples), max: Math.max(...this.samples), median: median(this.samples) };
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown CPU',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

module.exports = { LoadRecorder, machine, median, runWorker, spread };
