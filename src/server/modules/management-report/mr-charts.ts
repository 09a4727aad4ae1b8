/**
 * The report's charts: ECharts rendered on the server to SVG (`ssr: true`, no DOM), then sharp turns the
 * SVG into a PNG pdfkit can place. The SVG names the embedded font (Noto Sans SC); librsvg finds it
 * through fontconfig, which is pointed at the font's folder once (FONTCONFIG_FILE, unless the operator
 * set one), so Chinese labels render on a server without CJK fonts installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { echartsCore, sharpLib } from '../../platform/heavy-libs.js';
import { cjkFontPath } from '../report/index.js';

const FONT_FAMILY = 'Noto Sans SC';
let fontconfigReady = false;

/** A fontconfig file that adds the Noto Sans SC folder to the system's fonts (once per process). */
function useEmbeddedFont(): void {
  if (fontconfigReady) return;
  fontconfigReady = true;
  if (process.env.FONTCONFIG_FILE) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-fonts-'));
  const file = path.join(dir, 'fonts.conf');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.dirname(cjkFontPath())}</dir>
  <cachedir>${path.join(dir, 'cache')}</cachedir>
</fontconfig>
`,
  );
  process.env.FONTCONFIG_FILE = file;
}

export interface ChartSpec {
  kind: 'bar' | 'line';
  title: string;
  labels: string[];
  values: number[];
  width?: number;
  height?: number;
}

/** The chart as an SVG document (text in Noto Sans SC). */
export async function chartSvg(c: ChartSpec): Promise<string> {
  const echarts = await echartsCore();
  const width = c.width ?? 900;
  const height = c.height ?? 380;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: c.title, left: 'center', textStyle: { fontFamily: FONT_FAMILY, fontSize: 20 } },
      grid: { left: 60, right: 30, top: 70, bottom: c.labels.some((l) => l.length > 6) ? 90 : 50 },
      xAxis: {
        type: 'category',
        data: c.labels,
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 15, interval: 0, rotate: c.labels.length > 5 ? 30 : 0 },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        // Room above the highest bar for its label, below the title.
        max: (v: { max: number }) => Math.max(1, Math.ceil(v.max * 1.2)),
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 15 },
      },
      series: [
        {
          type: c.kind,
          data: c.values,
          itemStyle: { color: '#1c5d99' },
          label: { show: true, position: 'top', fontFamily: FONT_FAMILY, fontSize: 15 },
          barMaxWidth: 48,
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG (2× for print), on white without an alpha channel (one picture in the PDF, no soft mask). */
export async function chartPng(c: ChartSpec): Promise<Buffer> {
  useEmbeddedFont();
  const sharp = await sharpLib();
  return sharp(Buffer.from(await chartSvg(c)), { density: 144 })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}
