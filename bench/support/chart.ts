// Charts for docs/benchmarks.md without a browser: a Vega-Lite spec compiled to Vega and rendered to SVG in Node
// (the headless 'none' renderer; text is measured by estimate, which is enough for labels).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { DOCS_DIR } from './report.js';

/** Renders the spec to docs/<name>.svg and returns the Markdown that shows it. */
export async function writeChart(name: string, spec: TopLevelSpec, alt: string, directory = DOCS_DIR): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  await writeFile(join(directory, `${name}.svg`), svg);
  return `![${alt}](${name}.svg)`;
}

/** Settings shared by every chart, so they look alike. */
export const CHART_CONFIG = {
  background: 'white',
  config: { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 } },
} as const;
