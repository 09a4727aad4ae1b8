/** Statements for every audience with one approval path (issue 11): templates, versions, reviews, publishing. */
export { createStatementService } from './statement.service.js';
export { createTemplateStore } from './statement-templates.js';
