"""Staff skills: training records per staff member, and the rule that only staff whose
data-protection training is current read personal data (checked by the exchange)."""
