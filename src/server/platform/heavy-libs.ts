/**
 * The document and image libraries, loaded on first use: together they took 1.4 of the 2.7 s every
 * `tocsin` command spent starting (exceljs 375 ms, echarts 563, pdfkit 206, sharp 157, docx 69), for the
 * few commands and requests that make a spreadsheet, a PDF, a chart or a picture preview. Each is
 * imported once; later calls get the same module.
 */
import type * as EChartsCore from 'echarts/core';

const once = <T>(load: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load();
    return p;
  };
};

/** exceljs's module (`new (await excelJs()).Workbook()`). */
export const excelJs = once(async () => (await import('exceljs')).default);

/** pdfkit's PDFDocument class. */
export const pdfKit = once(async () => (await import('pdfkit')).default);

/** sharp. */
export const sharpLib = once(async () => (await import('sharp')).default);

/** docx's builders. */
export const docxLib = once(() => import('docx'));

/** ECharts' core with the bar and line charts, grid and title, and the SVG renderer registered (server-side rendering). */
export const echartsCore = once(async (): Promise<typeof EChartsCore> => {
  const [core, charts, components, renderers] = await Promise.all([
    import('echarts/core'),
    import('echarts/charts'),
    import('echarts/components'),
    import('echarts/renderers'),
  ]);
  core.use([
    charts.BarChart,
    charts.LineChart,
    components.GridComponent,
    components.TitleComponent,
    renderers.SVGRenderer,
  ]);
  return core;
});
