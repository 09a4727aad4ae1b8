/** Durable jobs for administrators: the list and retrying dead jobs. */
export { createJobsService } from './jobs.service.js';
