"""Rules as code: the OpenFisca rule sets, proactive offers, automated decisions with their
explanations, shadow mode and the public algorithm register."""
