"""Extraction on a real Dask cluster: a scheduler and two workers on 127.0.0.1 (marker ``cluster``).

The cluster's output must equal the one-process output byte for byte, a bad article must come
back as its own error line, and a worker killed mid-run must not lose a batch.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

pytestmark = pytest.mark.cluster

# texts nobody here wrote: shared/ beside the checkout (as CI lays it out), else the workplace's
ROOT = Path(__file__).resolve().parent.parent
DEV = next((p for p in (Path(os.environ.get("MAPPER_DEV_DATA", "")),
                        ROOT.parent / "shared" / "data" / "geoparsing-dev",
                        Path("/work/shared/data/geoparsing-dev")) if str(p) != "." and p.is_dir()),
           Path("/work/shared/data/geoparsing-dev"))


def _articles(folder: Path, seeds_dir: Path, n: int = 14) -> Path:
    """Seed articles, texts nobody here wrote (when the dev set is there), one bad file."""
    folder.mkdir()
    for name in ("000_e6726240562de5a9.txt", "003_32400a268fe11300.txt", "sources.yaml"):
        (folder / name).write_bytes((seeds_dir / name).read_bytes())
    dump = DEV / "geovirus.jsonl"
    if dump.exists():
        with open(dump, encoding="utf-8") as handle:
            for i, line in zip(range(n), handle, strict=False):
                record = json.loads(line)
                (folder / f"gv_{i:03d}.txt").write_text(record["text"], encoding="utf-8")
    (folder / "zz_bad.txt").write_bytes(b"Shelling hit Kharkiv \xff\xfe on Monday.\n")
    return folder


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture()
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes; yields (address, workers)."""
    sched_file = tmp_path / "scheduler.json"
    procs = [_spawn(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(sched_file)],
                    tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() or not sched_file.read_text():
            assert time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.2)
        time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [_spawn(["distributed.cli.dask_worker", address, "--nthreads", "1",
                           "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                          tmp_path / f"worker{i}.log") for i in range(2)]
        procs += workers
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _extract(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mapper", "extract", *args],
                          capture_output=True, text=True, timeout=300)


def test_cluster_output_equals_one_process(cluster, seeds_dir, tmp_path):
    address, _ = cluster
    folder = _articles(tmp_path / "articles", seeds_dir)
    one, many = tmp_path / "one.jsonl", tmp_path / "cluster.jsonl"
    local = _extract([str(folder), "--format", "jsonl", "-o", str(one)])
    remote = _extract([str(folder), "--scheduler", address, "--format", "jsonl", "-o", str(many)])
    assert local.returncode == remote.returncode == 1  # the bad article, reported
    assert one.read_bytes() == many.read_bytes()
    lines = [json.loads(line) for line in many.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len([p for p in folder.iterdir() if p.suffix == ".txt"])
    bad = lines[-1]
    assert bad["document"].endswith("zz_bad.txt") and "UTF-8" in bad["error"]
    assert all("mentions" in line for line in lines[:-1])
    assert sum(len(line["incidents"]) for line in lines[:-1]) > 0
    assert remote.stderr.count("Error:") == 1 and "zz_bad.txt" in remote.stderr

    # the environment variable names the scheduler too
    env_out = tmp_path / "env.jsonl"
    env = {**os.environ, "MAPPER_SCHEDULER": address}
    proc = subprocess.run([sys.executable, "-m", "mapper", "extract", str(folder), "--format",
                           "jsonl", "-o", str(env_out)], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 1 and env_out.read_bytes() == one.read_bytes()


def test_a_worker_killed_mid_run_loses_no_batch(cluster, seeds_dir, tmp_path, gazetteer_path):
    from distributed import Client

    from mapper.extract.articles import expand_inputs
    from mapper.extract.distributed import extract_on_cluster

    address, workers = cluster
    folder = _articles(tmp_path / "articles", seeds_dir, n=30)
    refs = expand_inputs([str(folder)])
    options = {"explicit": None, "published": None, "overrides": None}
    killed = []

    def kill_one(n: int) -> None:
        if not killed:  # the first batch is back: the other worker has batches of its own
            os.killpg(workers[1].pid, signal.SIGKILL)
            killed.append(n)

    with Client(address, timeout="30s") as client:
        results = list(extract_on_cluster(refs, client, gazetteer_path=str(gazetteer_path),
                                          options=options, on_progress=kill_one))
    assert killed and workers[1].wait(timeout=10) == -signal.SIGKILL
    names = [getattr(r, "name", None) or r.document.name for r in results]
    assert names == [r.where for r in refs]  # every article, in input order

    one = _extract([str(folder), "--format", "jsonl"])
    lines = [json.dumps(r.to_record(), sort_keys=True, ensure_ascii=False) for r in results]
    assert "".join(line + "\n" for line in lines) == one.stdout


def test_cluster_workers_load_the_ner_model(cluster, tmp_path):
    """``--ner`` on a cluster: each worker loads the pipeline (a real spaCy one, made here)
    and the lines equal the one-process run's.
    """
    spacy = pytest.importorskip("spacy")
    address, _ = cluster
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Florence"}])
    model = tmp_path / "ruler_en"
    nlp.to_disk(model)
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(f"The storm hit Florence and Lincoln overnight ({i}).\n",
                                         encoding="utf-8")
    one, many = tmp_path / "one.jsonl", tmp_path / "cluster.jsonl"
    args = [str(folder), "--format", "jsonl", "--published", "2024-03-04", "--ner", str(model)]
    local = _extract([*args, "-o", str(one)])
    remote = _extract([*args, "--scheduler", address, "-o", str(many)])
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert one.read_bytes() == many.read_bytes()
    assert many.read_text(encoding="utf-8").count('"source": "ner"') == 4
