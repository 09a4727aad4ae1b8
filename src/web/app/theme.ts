/** Mantine theme: system fonts with CJK fallbacks so Chinese renders well on every platform. */
import { createTheme } from '@mantine/core';

const fontFamily =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

export const theme = createTheme({
  primaryColor: 'red',
  fontFamily,
  headings: { fontFamily },
  defaultRadius: 'sm',
});
