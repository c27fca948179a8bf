// Writing results into docs/benchmarks.md: each benchmark owns the text between its two markers, so one benchmark can
// be rerun without touching the others (bench/emulator-throughput.ts writes its own section the same way).
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pinning } from './processes.js';

export const BENCHMARKS_FILE = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));
const PREAMBLE =
  '# Benchmarks\n\nResults of the scripts in `bench/`. Each section is written by its script; rerun the script to update it.\n';

/** Cores, CPU model and Node version, and how the processes were placed: the line every section starts with. */
export function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const placement = pinning
    ? 'the emulator on core 0 and the side measured on core 1 (`taskset`)'
    : 'no core pinning (taskset missing or one core)';
  return `Machine: ${availableParallelism()} cores (${model}), Node ${process.version}, Linux; ${placement}; load average ${loadavg()[0]!.toFixed(1)} when written (the machine is shared, so expect run-to-run spread).`;
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`, or appends the section. */
export async function writeSection(name: string, body: string, file = BENCHMARKS_FILE): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  let document: string;
  try {
    document = await readFile(file, 'utf8');
  } catch {
    document = PREAMBLE;
  }
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  const updated =
    from >= 0 && to > from ? document.slice(0, from) + section + document.slice(to + end.length) : `${document.trimEnd()}\n\n${section}\n`;
  await writeFile(file, updated);
}

/** A Markdown table; `align` per column, 'r' for numbers. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, index) => (align?.[index] === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** 1234.5 → "1,235"; NaN → "–". */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

/** Milliseconds as "850 ms" or "12.3 s". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 1_000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A ratio as "1.23×". */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)}×` : '–';
}

export function megabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : '–';
}
