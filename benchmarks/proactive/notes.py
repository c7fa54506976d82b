"""What limits the proactive figures, in words: notes from profiling that the page repeats."""

from __future__ import annotations

#: What limits the figures: from the breakdown above, cProfile of five chunks at 100,000
#: residents, EXPLAIN ANALYZE of the read statements and perf of the PostgreSQL backend (at
#: 868b127 and before it, 2026-11-30; profile again when src/ moves).
LIMITS: list[str] = [
    "- **OpenFisca is not what limits a run.** Over a million residents the chunks' compute "
    "adds up to under a second, no more than one simulation over everyone at once (building "
    "it takes longer than the calculations): the run is well over a thousand times "
    "OpenFisca's own calculating. One simulation over everyone peaks at about 1 GiB; chunks "
    "keep the run at 120–205 MiB whatever the population (memory grows with the chunk, not "
    "with the residents).",
    "- **Write (70–80% of a run).** At a million residents a run writes about 854,000 offers, "
    "571,000 inbox messages and as many inbox deliveries. The offers go in 500 rows a statement "
    "with `INSERT … ON CONFLICT DO NOTHING RETURNING` (every value prepared by Django in Python; "
    "at 100,000 residents 2.6 s on SQLite, 6.9 s on PostgreSQL), the messages and deliveries "
    "with `bulk_create` (a Django model instance per row, every field prepared in Python), "
    "after one Python `OfferRow` per offer (about 4 s at a million). Each message is "
    "rendered from its template for subject and body (2.2–2.5 s at 100,000). Going faster means "
    "writing these rows without per-value Python work (e.g. COPY) in `offers_write` "
    "(decisions/proactive.py) and `notifications_send_bulk`.",
    "- **Read (about 20–25%).** Per chunk: one statement for the residents (on PostgreSQL a bitmap "
    "scan of the residences in the address range: the current rows lie scattered among ten "
    "years of history, some 10,000 heap pages a chunk of 5,000 addresses), then their income "
    "and vehicles by person id, 500 ids a statement, then the access log: one keyed pseudonym "
    "(HMAC) and one row per resident, inserted with `executemany` (psycopg sends them in one "
    "pipeline). The access log is more than half of the read stage on both.",
    "- **Outside chunks.** On SQLite this is the commit of each chunk (the breakdown's "
    "“commits”): SQLite writes a chunk's new and changed pages to its write-ahead log at "
    "commit (the file grows by about 1 GiB over a run of a million, some 9 MiB a chunk, and "
    "every index page a chunk touched is written too). PostgreSQL writes its WAL while the "
    "chunk runs, so its commits are short.",
    "- **Larger chunks change little.** On PostgreSQL 20,000 addresses a chunk took 3 min 34 s "
    "against 3 min 46 s at 5,000 (reading 36 s against 52 s: the per-statement costs of three "
    "chunks in four saved), for about 40 MiB more memory; the 5,000 run had other processes "
    "keeping 0.23 CPUs busy, the 20,000 run 0.05. Without server-side prepared statements "
    "(`CIVIC_DB_PREPARED_STATEMENTS=false`) the 20,000 run took 4 min 04 s: more CPU in the "
    "process (psycopg then writes every parameter into the SQL text) and in the server (every "
    "statement planned: 79 s against 53 s).",
    "- **At 3f05404 the larger chunk went wrong on PostgreSQL (fixed since).** `offers_write` "
    "then looked up the offers a chunk's residents already had, 500 personal numbers a "
    "statement. psycopg prepares a statement once it has run five times, and after five more "
    "PostgreSQL may keep a generic plan for it. With 20,000 addresses a chunk the first chunk "
    "alone ran the lookup some 40 times, so the plan was made while the offers table was empty "
    "by its statistics (the seed is VACUUMed with the table empty, and autovacuum, off on this "
    "server, never analyses it as it fills): a sequential scan comparing each row with the 500 "
    "parameters one by one (perf of the backend: most of its time in `ExecEvalScalarArrayOp`, "
    "`memcmp` and `texteq`). Every lookup read the whole table, each chunk was slower than the "
    "one before, and the run took 29 min 44 s (the first 17 of 29 chunks 26 minutes, the "
    "slowest 173 s; then, for a reason not established, the last 12 under 4 minutes), a "
    "missed goal for that setting. At 5,000 a chunk the first chunk ran it about ten times, "
    "the plan was made once the table had rows, and the run was not affected (3 min 04 s). "
    "0ec9690, by another engineer during these measurements, inserts the offers with `ON "
    "CONFLICT DO NOTHING RETURNING` instead, so the unique index decides: the tables above are "
    "after it. It made the 20,000 run normal; the 5,000 run took 3 min 46 s after it against "
    "3 min 04 s before (write 2 min 48 s against 2 min 13 s; an hour apart, with more load "
    "from other processes the second time).",
    "- **One automated decision** is a few milliseconds: one household read through the "
    "exchange (the residents of one address, their income and vehicles, one access-log entry "
    "per household member, logged with the case), one OpenFisca simulation with its trace, "
    "the explanation (parameters with their legal references, the counterfactual threshold) "
    "and its wording. PostgreSQL pays a round trip per statement and its commit; the goal is "
    "met several times over on both. Deciding inside the submission adds about 10 ms to it on "
    "SQLite and 12 ms on PostgreSQL (the evaluation, the rule outcome, the case's decision and "
    "its message).",
    "- **The set-up.** Each run starts from a copy of a seed generated once (`--seed 1 "
    "--until 2026-11-30`) with the platform data; PostgreSQL seeds are VACUUMed after loading "
    "(autovacuum is off on this server), otherwise the first run to read each page also pays "
    "for setting its hint bits and writing it again (on the old read code: 66.6 s of reading "
    "at a million before VACUUM, 60.0 s after). Offers, messages and log entries are all new, "
    "so the write stage is at its largest; a second run in the same year writes only the "
    "offers that are new.",
    "- **Changes made while measuring, before → after.** Inbox messages: "
    "`notifications_send_bulk` parsed each template text twice per message and now parses it "
    "once per batch (987bd9e): at 100,000 residents a run went from 28.2 to 19.2 s on SQLite "
    "and from 25.1 to 17.9 s on PostgreSQL (write 22.1 → 14.3 s and 19.3 → 13.1 s). Reading: "
    "the income and vehicle statements evaluated again who lives in the chunk (on PostgreSQL "
    "a hash join over every person and address, once per statement, so reading grew faster "
    "than the population); they now take the residents' ids (d57f5e6): at a million on "
    "PostgreSQL, 5,000 a chunk, consecutive runs on the same seed: read 60.0 → 47.7 s, run "
    "198.1 → 188.1 s, server CPU 71 → 57 s; on SQLite reading every chunk of a million went "
    "from 45.9 to 32.5 s. Both give the same text and the same arrays as before (checked: "
    "every template in both languages; every resident of the million on both databases, and "
    "900 single-address reads). The tables above were measured with both.",
]
#: Why a goal was missed, by (chunk size, variant).
MISSED_WHY: dict[tuple[int, str], str] = {}
