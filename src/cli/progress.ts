/**
 * @module cli/progress
 * A progress bar for long work, on stderr: redrawn in place on a terminal, a line every few seconds
 * otherwise (CI logs), with rates since the start.
 */

/** One progress reading. */
export interface ProgressReading {
  readonly done: number;
  readonly total: number;
  /** Secondary counters shown after the bar, e.g. chunks or failures. */
  readonly counters?: Readonly<Record<string, number>>;
  /** Counters to show as a rate per second. */
  readonly rates?: Readonly<Record<string, number>>;
}

/** Creates a bar; `update` as often as you like, `finish` once. */
export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  const interactive = stream.isTTY === true;
  let lastPrint = 0;
  let lastLine = '';
  const render = (reading: ProgressReading): string => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const fraction = reading.total > 0 ? Math.min(1, reading.done / reading.total) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const rates = Object.entries(reading.rates ?? {})
      .map(([name, value]) => `${(value / seconds).toFixed(1)} ${name}/s`)
      .join('  ');
    const counters = Object.entries(reading.counters ?? {})
      .map(([name, value]) => `${name} ${value}`)
      .join('  ');
    return `${label} ${bar} ${reading.done}/${reading.total}  ${rates}  ${counters}  ${seconds.toFixed(1)}s`.trimEnd();
  };
  return {
    update(reading: ProgressReading) {
      const now = performance.now();
      lastLine = render(reading);
      if (interactive) {
        if (now - lastPrint > 80) {
          stream.write(`\r\x1b[2K${lastLine}`);
          lastPrint = now;
        }
      } else if (now - lastPrint > 3000) {
        stream.write(`${lastLine}\n`);
        lastPrint = now;
      }
    },
    finish(reading?: ProgressReading) {
      if (reading) lastLine = render(reading);
      stream.write(interactive ? `\r\x1b[2K${lastLine}\n` : `${lastLine}\n`);
    },
  };
}
