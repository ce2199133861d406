"""`newsdesk bench`: the memory of the daemon's process tree, each process named."""

from __future__ import annotations

import multiprocessing
import os
import time

from newsdesk.bench import describe_processes, tree_memory_mb


def test_the_tree_names_the_daemon_its_fork_server_and_a_worker_forked_from_it() -> None:
    ctx = multiprocessing.get_context("forkserver")
    worker = ctx.Process(target=time.sleep, args=(30,))
    worker.start()
    try:
        tree = tree_memory_mb(os.getpid())
    finally:
        worker.terminate()
        worker.join()
    roles = tree["roles"]
    assert roles[os.getpid()] == "daemon"
    assert roles[worker.pid] == "worker"
    assert "fork server" in roles.values()
    assert set(tree["per"]) == set(roles)
    rss, pss, uss = tree["per"][os.getpid()]
    assert rss >= pss >= uss > 0
    assert tree["pss"] == sum(m[1] for m in tree["per"].values())


def test_each_process_is_described_by_role_pid_and_its_rss_pss_uss() -> None:
    tree = {"per": {10: (400.4, 180.6, 70.2), 11: (13.0, 7.0, 6.0)},
            "roles": {10: "worker", 11: "resource tracker"}}
    assert describe_processes(tree) == "worker 10 400/181/70; resource tracker 11 13/7/6"
