"""The once-only exchange: purposes, grants, consent, purpose-bound register queries, the
verifiable access log and its checkpoints, the data tracker, register events.

The only app that may import ``civic.registers.models``: every read of personal data passes here.
"""
