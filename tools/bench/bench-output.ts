import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a benchmark prints, kept: `log` prints a line and keeps it; `writeLatest` writes the lines kept
 * to docs/benchmarks.<name>.latest.md (not with BENCH_WRITE=0), under a heading and the command that
 * made them when `title` is given, and returns the file's path.
 */
export const benchOutput = () => {
  const lines: string[] = [];
  return {
    log: (line: string) => {
      console.log(line);
      lines.push(line);
    },
    writeLatest: (name: string, title?: { heading: string; command: string }): string | undefined => {
      if (process.env.BENCH_WRITE === '0') return undefined;
      const path = join(__dirname, `../../docs/benchmarks.${name}.latest.md`);
      const text = lines.join('\n');
      writeFileSync(path, title ? `# ${title.heading}\n\n\`${title.command}\`\n\n\`\`\`\n${text}\n\`\`\`\n` : `${text}\n`);
      return path;
    },
  };
};

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * A 95 % interval for the median of `values` (paired rounds): the 2.5th and 97.5th percentiles of the medians of
 * 2,000 resamples with replacement (a bootstrap, with a fixed seed, so the same rounds give the same interval).
 */
export const medianInterval = (values: number[]): [number, number] => {
  let seed = 1;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const medians = Array.from({ length: 2000 }, () => median(values.map(() => values[Math.floor(random() * values.length)]))).sort((a, b) => a - b);
  return [medians[50], medians[1949]];
};

/** Runs a benchmark's main; a failure is printed and exits 1. */
export const runBench = (main: () => Promise<unknown>) => main().catch((error) => {
  console.error(error);
  process.exit(1);
});
