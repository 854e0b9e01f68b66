"""Open Referral HSDS 3.0 in and out: the read API, export, import and schema validation."""
