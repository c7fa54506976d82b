"""The breach register and the 72-hour notification workflow of GDPR art. 33 and 34."""
