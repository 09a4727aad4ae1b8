/** Mantine theme: system fonts with CJK fallbacks so Chinese renders well on every platform. */
import { Badge, createTheme } from '@mantine/core';

const fontFamily =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

export const theme = createTheme({
  primaryColor: 'red',
  fontFamily,
  headings: { fontFamily },
  defaultRadius: 'sm',
  components: {
    // A badge is a word or two (a state, a grade, a score): never narrower than that. Mantine's label
    // cuts with an ellipsis, and a table cell beside a long column squeezed states to "处…" / "COM…".
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
  },
});
