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

export interface PanelledBarsOptions {
  readonly title: string;
  /** One row per bar: `panel` names its panel, `bar` its bar within the panel, `value` its height. */
  readonly values: readonly { readonly panel: string; readonly bar: string; readonly value: number }[];
  readonly yTitle: string;
}

/**
 * Bars side by side in one panel per measure, each panel on its own scale: the quantities compared across panels
 * differ by an order of magnitude, and one shared axis would flatten the smaller ones.
 */
export function panelledBars({ title, values, yTitle }: PanelledBarsOptions): TopLevelSpec {
  return {
    ...CHART_CONFIG,
    title,
    data: { values: values.map((row) => ({ ...row })) },
    width: 160,
    height: 210,
    mark: 'bar',
    resolve: { scale: { y: 'independent' } },
    encoding: {
      column: { field: 'panel', type: 'nominal', title: null },
      x: { field: 'bar', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'bar', type: 'nominal', legend: null },
    },
  };
}
