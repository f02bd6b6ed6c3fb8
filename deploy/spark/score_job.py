"""Scores a partitioned dataset on Spark with the same `loanrisk score` as a single machine.

    spark-submit deploy/spark/score_job.py --binary .build/release/loanrisk \\
        --model Data/models/lending-club --input applicants.csv --output scored.parquet \\
        [--input-format csv|parquet] [--output-format parquet|csv] [--reasons N] [--overwrite]

The binary and the model bundle go to every executor with `SparkContext.addFile` (the bundle
directory recursively), and each partition is streamed through the scorer from `mapInArrow`
(see partition_scorer.py; README.md says why mapInArrow rather than RDD.pipe). The output is
the input's columns, then probability_of_default, decision, score, status, model_version and
reason_1..N.

A CSV input is read with every column as a string so the scorer sees the very text of the file
(no re-formatting of numbers on the way). A Parquet output stores probability_of_default as a
double parsed from the scorer's shortest round-trip text, so it is the same double bit for bit;
a CSV output keeps every column as the scorer's text.

All or nothing: the result is written to a staging directory next to --output and renamed into
place only when every partition succeeded. A failed partition fails the job with the scorer's own
message and leaves no --output behind.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from partition_scorer import FAILURE_MARKER, score_batches, scorer_command  # noqa: E402

SCORER_COLUMNS = ["probability_of_default", "decision", "score", "status", "model_version"]


class JobFailed(Exception):
    """The job failed; str() is one line meant for a person (the scorer's message when it was the scorer)."""


def output_schema(input_schema, reasons: int, text_only: bool):
    """The Spark schema of the result: the input's columns, then the scorer's (as text when text_only)."""
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    fields = [StructField(f.name, StringType() if text_only else f.dataType, True) for f in input_schema.fields]
    kinds = {"probability_of_default": DoubleType(), "score": IntegerType()}
    clash = [name for name in SCORER_COLUMNS if name in input_schema.fieldNames()]
    if clash:
        raise JobFailed(f"the input already has the scorer's output column(s) {', '.join(clash)}")
    fields += [StructField(name, StringType() if text_only else kinds.get(name, StringType()), True) for name in SCORER_COLUMNS]
    fields += [StructField(f"reason_{i}", StringType(), True) for i in range(1, reasons + 1)]
    return StructType(fields)


def read_input(spark, path: str, input_format: str):
    if input_format == "csv":
        # inferSchema stays off: strings in, the scorer parses numbers exactly as it would on one machine.
        return spark.read.option("header", True).option("inferSchema", False).csv(path)
    return spark.read.parquet(path)


def failure_message(error: BaseException) -> str:
    """One line out of a Py4J/Spark trace: the scorer's message if it was the scorer, else the
    executor's Python exception (e.g. a missing package), else the trace's first line."""
    text = str(error)
    match = re.search(re.escape(FAILURE_MARKER) + r"[^\n]*", text)
    if match:
        return match.group(0)
    python_errors = re.findall(r"^(?:\w+\.)*\w+(?:Error|Exception): [^\n]*", text, re.MULTILINE)
    executor_errors = [line for line in python_errors if not line.startswith(("py4j.", "org.apache", "java."))]
    if executor_errors:
        return f"Spark job failed on an executor: {executor_errors[-1]}"
    return f"Spark job failed: {text.strip().splitlines()[0] if text.strip() else type(error).__name__}"


def _hadoop_fs(spark, path: str):
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hadoop_path, jvm


def score(spark, *, binary: str, model: str, input_path: str, output_path: str, input_format: str = "csv",
          output_format: str = "parquet", reasons: int = 0, overwrite: bool = False, scorer_threads: int | None = None,
          partitions: int | None = None) -> None:
    """Runs the job on `spark`; raises JobFailed with a readable message when it cannot finish."""
    for name, path in (("--binary", binary), ("--model", model)):
        if not os.path.exists(path):
            raise JobFailed(f"{name} {path} does not exist")
    if not 0 <= reasons <= 10:
        raise JobFailed("--reasons must be 0 to 10")
    fs, target, jvm = _hadoop_fs(spark, output_path)
    if fs.exists(target) and not overwrite:
        raise JobFailed(f"{output_path} already exists (pass --overwrite to replace it)")

    context = spark.sparkContext
    context.addPyFile(str(HERE / "partition_scorer.py"))  # score_partition refers to it by module name
    context.addFile(os.path.abspath(binary))
    context.addFile(os.path.abspath(model), recursive=os.path.isdir(model))
    binary_name, model_name = os.path.basename(os.path.abspath(binary)), os.path.basename(os.path.abspath(model))
    threads = scorer_threads or int(spark.conf.get("spark.task.cpus", "1"))

    frame = read_input(spark, input_path, input_format)
    if partitions:
        frame = frame.repartition(partitions)
    text_only = output_format == "csv"
    schema = output_schema(frame.schema, reasons, text_only)
    if text_only:
        from pyspark.sql.functions import col
        frame = frame.select([col(name).cast("string") for name in frame.columns])

    from pyspark.sql.pandas.types import to_arrow_schema

    arrow_schema = to_arrow_schema(schema)

    def score_partition(batches):
        from pyspark import SparkFiles, TaskContext

        command = scorer_command(SparkFiles.get(binary_name), SparkFiles.get(model_name), reasons, threads)
        yield from score_batches(batches, command, arrow_schema, TaskContext.get().partitionId())

    scored = frame.mapInArrow(score_partition, schema)
    staging = f"{output_path.rstrip('/')}._staging-{uuid.uuid4().hex}"
    try:
        writer = scored.write.mode("errorifexists")
        if text_only:
            # RFC 4180 quoting and no trimming, so each field is the scorer's text unchanged.
            writer.options(header=True, escape='"', ignoreLeadingWhiteSpace=False,
                           ignoreTrailingWhiteSpace=False).csv(staging)
        else:
            writer.parquet(staging)
        if fs.exists(target):
            fs.delete(target, True)
        if not fs.rename(jvm.org.apache.hadoop.fs.Path(staging), target):
            raise JobFailed(f"could not move the finished result from {staging} to {output_path}")
    except Exception as error:
        if isinstance(error, JobFailed):
            raise
        raise JobFailed(failure_message(error)) from error
    finally:
        staging_path = jvm.org.apache.hadoop.fs.Path(staging)
        if fs.exists(staging_path):
            fs.delete(staging_path, True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Score a dataset on Spark with `loanrisk score`.")
    parser.add_argument("--binary", required=True, help="the loanrisk binary (Linux, for the executors' platform)")
    parser.add_argument("--model", required=True, help="a model bundle directory or a LightGBM model.txt")
    parser.add_argument("--input", required=True, help="a CSV file/directory with a header, or Parquet")
    parser.add_argument("--output", required=True, help="the result directory")
    parser.add_argument("--input-format", choices=["csv", "parquet"], help="default: from the --input suffix, else csv")
    parser.add_argument("--output-format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--reasons", type=int, default=0, help="add reason_1..N (1 to 10)")
    parser.add_argument("--scorer-threads", type=int, help="threads per `loanrisk score` (default: spark.task.cpus)")
    parser.add_argument("--partitions", type=int, help="repartition the input into N partitions first")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    args = parser.parse_args(argv)
    if args.input_format is None:
        args.input_format = "parquet" if args.input.rstrip("/").endswith(".parquet") else "csv"
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("loanrisk-score").getOrCreate()
    try:
        score(spark, binary=args.binary, model=args.model, input_path=args.input, output_path=args.output,
              input_format=args.input_format, output_format=args.output_format, reasons=args.reasons,
              overwrite=args.overwrite, scorer_threads=args.scorer_threads,
              partitions=args.partitions)
    except JobFailed as error:
        print(f"score_job: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(f"score_job: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
