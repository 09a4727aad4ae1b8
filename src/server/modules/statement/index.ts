/** Statements for every audience with one approval path (issue 11): templates, versions, reviews, publishing. */
export { createStatementService } from './statement.service.js';
export { createTemplateStore } from './statement-templates.js';
/** The template file format (front matter title, `<!-- zh -->` / `<!-- en -->` sections), for other bundled templates. */
export { parseTemplate } from './statement-templates.js';
