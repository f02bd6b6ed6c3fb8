"""The Spark job (deploy/spark/score_job.py) at local[2] gives exactly what `loanrisk score`
gives on one machine for the same rows: every column as text, probabilities bit for bit.

    python3 -m venv .build/spark-venv
    .build/spark-venv/bin/pip install -r tests/spark/requirements.txt
    LOANRISK_BIN=.build/release/loanrisk .build/spark-venv/bin/python -m pytest -q tests/spark

Needs Java (Debian's default-jre-headless). Without it the suite skips, unless
LOANRISK_SPARK_REQUIRED=1 (CI), which turns the skip into a failure.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT / "deploy" / "spark"))
from loanrisk_server import find_binary  # noqa: E402

MODEL = ROOT / "Data" / "models" / "lending-club"
SAMPLE = ROOT / "Data" / "samples" / "lending-club-sample.csv"
COPIES = 10  # 300 sample rows x 10 = 3,000 rows
PARTITIONS = 4
REASONS = 2

# PySpark 3.5's version checks use distutils' LooseVersion; the warning is theirs, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:distutils Version classes are deprecated:DeprecationWarning")


def java_or_skip() -> None:
    home = os.environ.get("JAVA_HOME")
    if shutil.which("java") or (home and (Path(home) / "bin" / "java").exists()):
        return
    message = "Java is missing (apt-get install default-jre-headless)"
    if os.environ.get("LOANRISK_SPARK_REQUIRED") == "1":
        pytest.fail(message + " and LOANRISK_SPARK_REQUIRED=1", pytrace=False)
    pytest.skip(message)


def write_applicants(path: Path) -> None:
    """The sample rows COPIES times over, each copy nudged so that no two rows score alike, with
    ids unique across copies; a few rows carry an unknown category (a warning), a non-number
    (an error, whose quoted message has commas) or a missing value, so that those paths of the
    scorer go through the job too."""
    with SAMPLE.open(newline="") as source:
        reader = csv.DictReader(source)
        header, rows = reader.fieldnames, list(reader)
    with path.open("w", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for copy in range(COPIES):
            for number, row in enumerate(rows):
                row = dict(row, applicant_id=f"{row['applicant_id']}-{copy:02d}")
                row["funded_amnt"] = str(int(row["funded_amnt"]) + 25 * copy)
                row["int_rate"] = f"{float(row['int_rate']) + 0.01 * copy:.2f}"
                if (copy * len(rows) + number) % 211 == 7:
                    row["term"] = "term_99"
                if (copy * len(rows) + number) % 173 == 5:
                    row["funded_amnt"] = "lots"
                if (copy * len(rows) + number) % 97 == 3:
                    row["revol_util"] = ""
                writer.writerow(row)


def read_csv(path_or_text) -> list[dict]:
    lines = path_or_text.splitlines() if isinstance(path_or_text, str) else path_or_text.open(newline="")
    return list(csv.DictReader(lines))


@pytest.fixture(scope="module")
def binary() -> Path:
    return find_binary()


@pytest.fixture(scope="module")
def spark():
    java_or_skip()
    try:
        from pyspark.sql import SparkSession
        import pyarrow  # noqa: F401
    except ImportError as error:
        pytest.fail(f"{error}: install tests/spark/requirements.txt into this Python", pytrace=False)
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors' Python: this venv, with pyarrow
    session = (SparkSession.builder.master("local[2]").appName("loanrisk-spark-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(PARTITIONS))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def applicants(tmp_path_factory, binary):
    """The input split into PARTITIONS files (one partition each), and the single-machine result."""
    directory = tmp_path_factory.mktemp("spark")
    whole = directory / "applicants.csv"
    write_applicants(whole)
    header, *lines = whole.read_text().splitlines()
    parts = directory / "input"
    parts.mkdir()
    size = -(-len(lines) // PARTITIONS)
    for index in range(PARTITIONS):
        (parts / f"part-{index}.csv").write_text("\n".join([header, *lines[index * size:(index + 1) * size]]) + "\n")
    expected = subprocess.run([str(binary), "score", "--model", str(MODEL), "--input", str(whole), "--reasons", str(REASONS),
                               "--threads", "2"], check=True, capture_output=True, text=True).stdout
    return directory, parts, read_csv(expected)


def run_job(spark, binary, source, output, **options):
    from score_job import score

    score(spark, binary=str(binary), model=str(MODEL), input_path=str(source), output_path=str(output),
          reasons=REASONS, partitions=PARTITIONS, **options)


def by_id(rows) -> dict:
    return {row["applicant_id"]: row for row in rows}


def test_parquet_output_equals_single_machine_scoring(spark, binary, applicants):
    import pyarrow.parquet as pq

    directory, parts, expected = applicants
    output = directory / "scored.parquet"
    run_job(spark, binary, parts, output)
    files = sorted(output.glob("part-*.parquet"))
    assert len(files) == PARTITIONS, files
    table = pq.read_table(output)
    assert table.schema.field("probability_of_default").type == "double"
    actual = by_id(table.to_pylist())
    assert len(actual) == len(expected) == COPIES * 300
    assert list(table.schema.names) == list(expected[0].keys())
    statuses = set()
    for want in expected:
        got = actual[want["applicant_id"]]
        for name, text in want.items():
            value = got[name]
            if name == "probability_of_default":
                assert (None if text == "" else float(text).hex()) == (None if value is None else value.hex()), want["applicant_id"]
            elif name == "score":
                assert (None if text == "" else int(text)) == value, want["applicant_id"]
            else:
                assert ("" if value is None else value) == text, (want["applicant_id"], name)
        statuses.add(want["status"].split(":")[0])
    assert {"ok", "warning", "error"} <= statuses, statuses  # every per-row path was compared


def test_csv_output_is_the_scorers_text(spark, binary, applicants):
    directory, parts, expected = applicants
    output = directory / "scored-csv"
    run_job(spark, binary, parts, output, output_format="csv")
    actual = {}
    for part in sorted(output.glob("part-*.csv")):
        actual.update(by_id(read_csv(part)))
    assert actual == by_id(expected)


def test_a_failing_partition_fails_the_job_with_the_scorers_message_and_writes_nothing(spark, binary, applicants, tmp_path):
    from score_job import JobFailed

    directory, parts, _ = applicants
    broken = tmp_path / "broken.csv"
    rows = read_csv(parts / "part-0.csv")
    with broken.open("w", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=[name for name in rows[0] if name != "term"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    alone = subprocess.run([str(binary), "score", "--model", str(MODEL), "--input", "-"], input=broken.read_text(),
                           capture_output=True, text=True)
    assert alone.returncode == 1
    output = tmp_path / "scored.parquet"
    with pytest.raises(JobFailed) as failure:
        run_job(spark, binary, broken, output)
    assert "loanrisk score failed on partition" in str(failure.value)
    assert alone.stderr.strip().split(": ", 2)[-1] in str(failure.value)
    assert list(tmp_path.iterdir()) == [broken]  # neither the output nor a staging directory is left
