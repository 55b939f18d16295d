// npm run bench [-- --quick] [-- NAME | --only NAME]: runs every benchmark (or one) and updates docs/PERFORMANCE.md.
import fs from 'node:fs';
import os from 'node:os';
import type { Bench, BenchSection } from './types';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// `npm run bench -- acd` is short for `--only acd`.
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : args.find((a) => !a.startsWith('--'));

const BENCHES: Record<string, () => Promise<{ run: Bench }>> = {
  search: () => import('./search.bench'),
  'search-eval': () => import('./search-eval'),
  'case-recording': () => import('./case-recording.bench'),
  'privacy-cost': () => import('./privacy-cost.bench'),
  acd: () => import('./acd.bench'),
  realtime: () => import('./realtime.bench'),
  directory: () => import('./directory.bench'),
  outbox: () => import('./outbox.bench'),
  stats: () => import('./stats.bench'),
  staffing: () => import('./staffing.bench'),
  lookups: () => import('./lookups.bench'),
  surveys: () => import('./surveys.bench'),
  sip: () => import('./sip.bench'),
  'recording-audio': () => import('./recording-audio.bench'),
};

const sections: BenchSection[] = [];
for (const [name, load] of Object.entries(BENCHES)) {
  if (only && only !== name) continue;
  console.log(`▶ ${name}${quick ? ' (quick)' : ''}`);
  const started = performance.now();
  const { run } = await load();
  const result = await run({ quick });
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const s of result) console.log(`\n## ${s.title}\n\n${s.markdown}\n`);
  sections.push(...result);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const stamp = `_Measured ${new Date().toISOString().slice(0, 10)}${quick ? ' (quick)' : ''} on ${machine}._`;

/**
 * docs/PERFORMANCE.md keeps one section per title: a run replaces the sections it measured and keeps the others
 * (each says when it was measured), so `npm run bench -- NAME` refreshes one benchmark without losing the rest.
 */
type Kept = { title: string; targetsMet: boolean; body: string };
function readExisting(file: string): Kept[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const met = new Map<string, boolean>();
  for (const m of text.matchAll(/^\| (.+?) \| (yes|\*\*no\*\*) \|$/gm)) met.set(m[1]!, m[2] === 'yes');
  return text
    .split(/^## /m)
    .slice(1)
    .map((block) => {
      const title = block.slice(0, block.indexOf('\n')).trim();
      return { title, targetsMet: met.get(title) ?? false, body: block.slice(block.indexOf('\n') + 1).trim() };
    });
}

const file = 'docs/PERFORMANCE.md';
const merged: Kept[] = readExisting(file);
for (const s of sections) {
  const entry = { title: s.title, targetsMet: s.targetsMet, body: `${stamp}\n\n${s.markdown}` };
  const at = merged.findIndex((k) => k.title === s.title);
  if (at >= 0) merged[at] = entry;
  else merged.push(entry);
}
const doc = [
  '# Performance',
  '',
  'Written by `npm run bench` (all benchmarks) or `npm run bench -- NAME` (one; the other sections are kept). Each',
  'section says when and on what it was measured. Numbers vary ±15% run to run on this class of machine and are only',
  'meaningful on a quiet machine; targets come from the issues that set them.',
  '',
  '| benchmark | targets met |',
  '|---|---|',
  ...merged.map((s) => `| ${s.title} | ${s.targetsMet ? 'yes' : '**no**'} |`),
  '',
  ...merged.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
].join('\n');
fs.writeFileSync(file, doc);
console.log(`${file}: ${sections.length} section(s) written, ${merged.length - sections.length} kept`);
