/** Markdown as the public status site shows it: the HTML the server rendered and sanitized (platform/markdown.ts). */
import { Typography } from '@mantine/core';

export function RichText({ html, testId }: { html: string; testId?: string }) {
  return (
    <Typography fz="xs" className="tocsin-break" data-testid={testId}>
      <div
        // biome-ignore lint/security/noDangerouslySetInnerHtml: the server renders and sanitizes it (platform/markdown.ts), as on the public page
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </Typography>
  );
}
