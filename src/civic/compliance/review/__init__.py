"""Access review: every staff read of personal data is explained by an open case, a task or a
self-explaining purpose, or it goes to the data protection officer's queue; break-glass reads
with a stated reason always do; bulk and odd-hours reading is flagged too."""
