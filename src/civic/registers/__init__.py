"""Base registers: bitemporal records of persons, addresses, residence, family relations,
businesses, income and vehicles; the register catalogue; the synthetic jurisdiction.

Only the exchange (and this app) may import ``registers.models``; others use its selectors.
"""
