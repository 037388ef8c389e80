// The showcase's PHI incident product (contracts/platinum/phi_incidents_core.yml, in the platform design's orders_core
// shape) as each role sees it on a local build, through `charter query --role`: MASK_EMAIL keeps only an email's
// domain, as the design's REGEXP_REPLACE(val, '.+(@.*)', '#***\\1') does, for everyone but ANALYST_PHI; MASK_PHI
// redacts the patient token likewise; INCIDENT_REGION, written as the design's ORDER_REGION, gives a regional analyst
// its region's rows, ANALYST_PHI, DATA_SCI_HEALTH and ADMIN every row, and any other role none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { removeShowcaseCopies, showcaseCopy } from '../helpers/showcase.js';
import { buildDir } from '../helpers/warehouse.js';

const INCIDENTS = 'PHANTOM_SEC.PLATINUM.FCT_PHI_INCIDENTS';
// The first incident of each region in the generated register (seeds/fact_phi_incidents.csv.gz).
const PICKED = "('INC-00001', 'INC-00010', 'INC-00298')";
const PICKED_ROWS = `select incident_id, region, reporter_email, patient_pseudonym from ${INCIDENTS} where incident_id in ${PICKED} order by 1`;
const BY_REGION = `select region, count(*) as n from ${INCIDENTS} group by region order by region`;

/** As stored, which ANALYST_PHI and ADMIN see. */
const CLEAR = [
  ['INC-00001', 'NA', 'ingrid.thomas@harborbio.example.com', 'PSN-681B6D1662'],
  ['INC-00010', 'EMEA', 'daniel.garcia@brightlinecare.example.com', 'PSN-1A7F475B48'],
  ['INC-00298', 'APAC', 'hannah.anderson@onyxbio.example.com', 'PSN-932538D091'],
];
/** What REGEXP_REPLACE(val, '.+(@.*)', '#***\\1') makes of each email, written out by hand; MASK_PHI's redaction. */
const MASKED = [
  ['INC-00001', 'NA', '#***@harborbio.example.com', '*****'],
  ['INC-00010', 'EMEA', '#***@brightlinecare.example.com', '*****'],
  ['INC-00298', 'APAC', '#***@onyxbio.example.com', '*****'],
];
const ALL_REGIONS = [['APAC', 19], ['EMEA', 125], ['NA', 967]];

let dir: string;
const asRole = async (role: string | undefined, sql: string) => (await query({ projectDir: dir, sql, ...(role ? { role } : {}) })).rows;

beforeAll(async () => {
  dir = showcaseCopy({ contracts: true });
  // The product and what it is built from: seeds, bronze, silver and the mart (its tests run in tests/showcase).
  await buildDir(dir, { select: ['+fct_phi_incidents'] });
}, 120_000);
afterAll(removeShowcaseCopies);

describe('the PHI incident product, role by role', () => {
  it('gives a regional analyst only its region, with the reporter email masked to its domain and the patient token redacted', async () => {
    expect(await asRole('ANALYST_EMEA', BY_REGION)).toEqual([['EMEA', 125]]);
    expect(await asRole('ANALYST_EMEA', PICKED_ROWS)).toEqual([MASKED[1]]);
    expect(await asRole('ANALYST_NA', BY_REGION)).toEqual([['NA', 967]]);
    expect(await asRole('ANALYST_NA', PICKED_ROWS)).toEqual([MASKED[0]]);
  });

  it('gives DATA_SCI_HEALTH every region, pseudonymous: emails and patient tokens masked', async () => {
    expect(await asRole('DATA_SCI_HEALTH', BY_REGION)).toEqual(ALL_REGIONS);
    expect(await asRole('DATA_SCI_HEALTH', PICKED_ROWS)).toEqual(MASKED);
  });

  it('gives ANALYST_PHI, and ADMIN (which inherits it), every row in clear', async () => {
    for (const role of ['ANALYST_PHI', 'ADMIN']) {
      expect(await asRole(role, BY_REGION), role).toEqual(ALL_REGIONS);
      expect(await asRole(role, PICKED_ROWS), role).toEqual(CLEAR);
    }
  });

  it('gives any other role, and a session with no role, no row: the policy tests the role by its own name', async () => {
    for (const role of ['PII_READER', 'ANALYST_REVENUE', 'DATA_ENGINEER', undefined]) {
      expect(await asRole(role, `select count(*) from ${INCIDENTS}`), role ?? 'no role').toEqual([[0]]);
    }
  });

  it('protects the silver and bronze layers the same way', async () => {
    for (const relation of ['PHANTOM_SEC.SILVER.STG_PHI_INCIDENTS', 'PHANTOM_SEC.BRONZE.BRZ_PHI_INCIDENTS']) {
      const sql = `select incident_id, region, reporter_email, patient_pseudonym from ${relation} where incident_id in ${PICKED} order by 1`;
      expect(await asRole('ANALYST_EMEA', sql), relation).toEqual([MASKED[1]]);
      expect(await asRole('ANALYST_PHI', sql), relation).toEqual(CLEAR);
    }
  });

  it('leaves PII_READER as it was: ANALYST_PHI reads customer contacts masked by MASK_PII, PII_READER and ADMIN in clear', async () => {
    const contact = "select primary_contact_email from PHANTOM_SEC.SILVER.STG_CUSTOMERS where customer_id = 'CUST-0002'";
    expect(await asRole('ANALYST_PHI', contact)).toEqual([['*****@brightlinecare.example.com']]);
    expect(await asRole('PII_READER', contact)).toEqual([['mateo.bennett@brightlinecare.example.com']]);
    expect(await asRole('ADMIN', contact)).toEqual([['mateo.bennett@brightlinecare.example.com']]);
  });
});
