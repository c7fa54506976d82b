"""gunicorn's configuration for `civic serve` (settings beyond the command line).

Each worker process writes its request metrics to files in PROMETHEUS_MULTIPROC_DIR, which
`civic serve` empties at start; a worker that exits has its live gauges removed.
"""


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
