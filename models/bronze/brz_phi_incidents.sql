-- Bronze: fact_phi_incidents as landed from the seed, one row per incident in a HIPAA customer's breach register.
-- No logic: a stable name to build on. patient_pseudonym (PHI) and reporter_email (PII) are masked by the contract.
select
    *
from
    {{ ref('fact_phi_incidents') }}
