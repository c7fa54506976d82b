"""Retention and field-key rotation, the data protection officer's scheduled duties: the
retention run (what the registers' catalogue and the case types say may be kept, and no
longer) and the background re-encryption of register fields under a new key. Both leave a
record the DPO reads at /staff/privacy/retention/. Reach the registers through the exchange's
services and cases through theirs."""
