/** Every migration, in order. Listed statically so the same set runs from source and from dist/. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_ingest.js';
import * as m0003 from './0003_alerts.js';
import * as m0004 from './0004_metrics.js';
import * as m0005 from './0005_probes.js';
import * as m0006 from './0006_rules.js';
import * as m0007 from './0007_sign_in.js';
import * as m0008 from './0008_bilingual.js';
import * as m0009 from './0009_need_to_know.js';
import * as m0010 from './0010_jobs.js';
import * as m0011 from './0011_oncall.js';
import * as m0012 from './0012_plans.js';
import * as m0013 from './0013_connectors.js';
import * as m0014 from './0014_paging.js';
import * as m0015 from './0015_response.js';
import * as m0016 from './0016_leases.js';
import * as m0017 from './0017_alert_matches.js';
import * as m0019 from './0019_status_site.js';
import * as m0021 from './0021_media.js';
import * as m0018 from './0018_statements.js';
import * as m0020 from './0020_subscriptions.js';
import * as m0022 from './0022_customers.js';
import * as m0024 from './0024_inquiries.js';
import * as m0025 from './0025_campaigns.js';
import * as m0023 from './0023_scoping.js';
import * as m0026 from './0026_owners.js';
import * as m0027 from './0027_inbound.js';
import * as m0028 from './0028_activity_cover.js';
import * as m0029 from './0029_obligation_clocks.js';
import * as m0030 from './0030_regulator_reports.js';
import * as m0031 from './0031_compensation.js';
import * as m0032 from './0032_plan_action_coverage.js';
import * as m0034 from './0034_campaign_message_indexes.js';
import * as m0035 from './0035_account_owner_cover.js';
import * as m0036 from './0036_compensation_inputs.js';
import * as m0037 from './0037_key_collation.js';
import * as m0038 from './0038_payout_batches.js';
import * as m0039 from './0039_compensation_portal.js';
import * as m0040 from './0040_compensation_filing.js';
import * as m0041 from './0041_evidence.js';
import * as m0042 from './0042_iocs.js';
import * as m0043 from './0043_attack.js';
import * as m0044 from './0044_evidence_packages.js';
import * as m0047 from './0047_investigation_report.js';
import * as m0048 from './0048_reviews.js';
import * as m0049 from './0049_vulnerabilities.js';
import * as m0050 from './0050_risk_training.js';
import * as m0051 from './0051_drills.js';
import * as m0053 from './0053_management_reports.js';
import * as m0054 from './0054_identity.js';
import * as m0055 from './0055_scim.js';
import * as m0056 from './0056_session_policy.js';
import * as m0057 from './0057_incident_kpi_facts.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_ingest': m0002,
  '0003_alerts': m0003,
  '0004_metrics': m0004,
  '0005_probes': m0005,
  '0006_rules': m0006,
  '0007_sign_in': m0007,
  '0008_bilingual': m0008,
  '0009_need_to_know': m0009,
  '0010_jobs': m0010,
  '0011_oncall': m0011,
  '0012_plans': m0012,
  '0013_connectors': m0013,
  '0014_paging': m0014,
  '0015_response': m0015,
  '0016_leases': m0016,
  '0017_alert_matches': m0017,
  '0019_status_site': m0019,
  '0021_media': m0021,
  '0018_statements': m0018,
  '0020_subscriptions': m0020,
  '0022_customers': m0022,
  '0024_inquiries': m0024,
  '0025_campaigns': m0025,
  '0023_scoping': m0023,
  '0026_owners': m0026,
  '0027_inbound': m0027,
  '0028_activity_cover': m0028,
  '0029_obligation_clocks': m0029,
  '0030_regulator_reports': m0030,
  '0031_compensation': m0031,
  '0032_plan_action_coverage': m0032,
  '0034_campaign_message_indexes': m0034,
  '0035_account_owner_cover': m0035,
  '0036_compensation_inputs': m0036,
  '0037_key_collation': m0037,
  '0038_payout_batches': m0038,
  '0039_compensation_portal': m0039,
  '0040_compensation_filing': m0040,
  '0041_evidence': m0041,
  '0042_iocs': m0042,
  '0043_attack': m0043,
  '0044_evidence_packages': m0044,
  '0047_investigation_report': m0047,
  '0048_reviews': m0048,
  '0049_vulnerabilities': m0049,
  '0050_risk_training': m0050,
  '0051_drills': m0051,
  '0053_management_reports': m0053,
  '0054_identity': m0054,
  '0055_scim': m0055,
  '0056_session_policy': m0056,
  '0057_incident_kpi_facts': m0057,
};
