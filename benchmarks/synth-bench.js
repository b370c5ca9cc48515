'use strict';
// Synthesis: the library against the same stack written by hand with the provider classes, and
// the library with every gate trusting any uploaded certificate (issue 12 point 5).
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { assertSameConfiguration } = require('./fairness');
const { LoadRecorder, runWorker, spread } = require('./measure');
const { makePfxFiles } = require('./pfx-files');

const PASSWORD = 'bench-password';

/** Writes the PFX files of one set and their facts; returns the facts file's path. */
function pfxSet(work, name, count, log) {
  const dir = join(work, `pfx-${name}`);
  mkdirSync(dir, { recursive: true });
  log(`generating ${count} PFX file(s) for the "${name}" set`);
  const path = join(work, `pfx-${name}.json`);
  writeFileSync(path, JSON.stringify(makePfxFiles(dir, name, count, PASSWORD)));
  return path;
}

function synthesize(work, mode, count, setPath) {
  const outdir = join(work, `out-${mode}`);
  rmSync(outdir, { recursive: true, force: true });
  return { outdir, result: runWorker('synth-worker.js', [mode, String(count), setPath, outdir]) };
}

/**
 * For each PFX set (one file shared by every certificate; one file per certificate) and each N:
 * `rounds` rounds of library and direct, alternating which goes first. The first round compares
 * both configurations and throws when they differ, so no figure is printed for unequal work.
 */
function compareWithDirect({ work, rounds, sizes, log }) {
  const largest = Math.max(...sizes);
  const sets = [
    { name: 'shared', description: 'one PFX file shared by every certificate', path: pfxSet(work, 'shared', 1, log) },
    { name: 'distinct', description: 'one PFX file per certificate', path: pfxSet(work, 'distinct', largest, log) },
  ];
  const rows = [];
  for (const count of sizes) {
    for (const set of sets) {
      const runs = { library: [], direct: [] };
      const loads = new LoadRecorder();
      for (let round = 0; round < rounds; round++) {
        const outdirs = {};
        for (const mode of round % 2 ? ['direct', 'library'] : ['library', 'direct']) {
          const { outdir, result } = synthesize(work, mode, count, set.path);
          runs[mode].push(result);
          outdirs[mode] = outdir;
          loads.sample();
        }
        if (round === 0) assertSameConfiguration(join(outdirs.library, 'stacks/bench/cdk.tf.json'), join(outdirs.direct, 'stacks/bench/cdk.tf.json'));
        for (const outdir of Object.values(outdirs)) rmSync(outdir, { recursive: true, force: true });
        log(`N = ${count}, ${set.name}: round ${round + 1}/${rounds}, library ${runs.library[round].cpuMs.toFixed(0)} ms CPU, direct ${runs.direct[round].cpuMs.toFixed(0)} ms CPU`);
      }
      const figures = (list) => ({
        cpuMs: spread(list.map((r) => r.cpuMs)),
        wallMs: spread(list.map((r) => r.wallMs)),
        constructCpuMs: spread(list.map((r) => r.constructCpuMs)),
        synthCpuMs: spread(list.map((r) => r.synthCpuMs)),
        peakRssMb: spread(list.map((r) => r.peakRssMb)),
      });
      rows.push({
        set: set.name,
        count,
        sameConfiguration: true,
        library: figures(runs.library),
        direct: figures(runs.direct),
        cpuRatio: spread(runs.library.map((r, i) => r.cpuMs / runs.direct[i].cpuMs)),
        wallRatio: spread(runs.library.map((r, i) => r.wallMs / runs.direct[i].wallMs)),
        load: loads.summary(),
      });
    }
  }
  return { sets: sets.map(({ name, description }) => ({ name, description })), rows, sharedSetPath: sets[0].path };
}

/** Every gate trusts any uploaded certificate while N backend certificates are uploaded. */
function uploadedTrust({ work, sizes, rounds, setPath, log }) {
  return sizes.map((count) => {
    const loads = new LoadRecorder();
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      const { outdir, result } = synthesize(work, 'uploaded', count, setPath);
      rmSync(outdir, { recursive: true, force: true });
      runs.push(result);
      loads.sample();
      log(`uploaded trust, N = ${count}: round ${round + 1}/${rounds}, ${result.cpuMs.toFixed(0)} ms CPU`);
    }
    return {
      count,
      cpuMs: spread(runs.map((r) => r.cpuMs)),
      wallMs: spread(runs.map((r) => r.wallMs)),
      constructCpuMs: spread(runs.map((r) => r.constructCpuMs)),
      synthCpuMs: spread(runs.map((r) => r.synthCpuMs)),
      peakRssMb: spread(runs.map((r) => r.peakRssMb)),
      load: loads.summary(),
    };
  });
}

module.exports = { compareWithDirect, uploadedTrust };
