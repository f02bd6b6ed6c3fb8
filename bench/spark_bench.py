#!/usr/bin/env python3
"""The 50,000-row workload on Spark at local[2], three ways, against `loanrisk score` alone.

    .build/spark-venv/bin/pip install -r tests/spark/requirements.txt lightgbm==4.7.0
    PYSPARK_PYTHON=$PWD/.build/spark-venv/bin/python .build/spark-venv/bin/python bench/spark_bench.py \\
        [--binary .build/release/loanrisk] [--model bench/work/model.txt] [--input bench/work/applicants.csv] [--repeat 2]

  alone      `loanrisk score --threads 2` on the file (a fresh process; wall time)
  arrow      deploy/spark/score_job.py: mapInArrow, each partition streamed through the scorer
  pipe       the same scorer through RDD.pipe: rows -> CSV lines in Python, lines back -> Rows
  lightgbm   the usual PySpark way: mapInPandas with LightGBM's Booster.predict (input columns
             plus probability_of_default only: no decision, score, status)

Every Spark figure is a whole job in an already started session (read the CSV, score, write
Parquet), min over --repeat; the session's start-up is printed once on its own. The arrow and
lightgbm results are compared with `alone` (max |difference| of the probabilities).
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "spark"))


def timed(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def via_pipe(spark, binary: str, model: str, source: str, output: str) -> None:
    """RDD.pipe: PySpark's own pipe runs in the Python worker, one element per line."""
    from pyspark.sql.types import StringType, StructField, StructType

    frame = spark.read.option("header", True).csv(source)
    header = ",".join(frame.columns)

    def to_lines(rows):
        yield header
        for row in rows:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow(["" if v is None else v for v in row])
            yield buffer.getvalue()

    def from_lines(lines):
        reader = csv.reader(lines)
        next(reader, None)  # the scorer's header
        return reader

    command = f"{binary} score --model {model} --input - --output - --threads 1"
    scored = frame.rdd.mapPartitions(to_lines).pipe(command, checkCode=True).mapPartitions(from_lines)
    names = frame.columns + ["probability_of_default", "decision", "score", "status", "model_version"]
    spark.createDataFrame(scored, StructType([StructField(n, StringType()) for n in names])).write.parquet(output)


def via_lightgbm(spark, model: str, source: str, output: str) -> None:
    """mapInPandas + Booster.predict, the model file shipped with addFile, categories as LightGBM's pandas_categorical."""
    import lightgbm
    from pyspark import SparkFiles
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    booster = lightgbm.Booster(model_file=model)
    sys.path.insert(0, str(ROOT / "bench"))
    from lightgbm_reference import model_categoricals

    categories = model_categoricals(Path(model), booster)
    features = booster.feature_name()
    schema = StructType([StructField("applicant_id", StringType())] + [
        StructField(name, StringType() if name in categories else DoubleType()) for name in features])
    spark.sparkContext.addFile(model)
    name = os.path.basename(model)

    def predict(frames):
        import pandas as pd

        loaded = lightgbm.Booster(model_file=SparkFiles.get(name))
        for frame in frames:
            inputs = frame[features].copy()
            for column, levels in categories.items():
                inputs[column] = pd.Categorical(inputs[column], categories=levels)
            frame["probability_of_default"] = loaded.predict(inputs, num_threads=1)
            yield frame

    frame = spark.read.option("header", True).schema(schema).csv(source)
    out_schema = StructType(schema.fields + [StructField("probability_of_default", DoubleType())])
    frame.mapInPandas(predict, out_schema).write.parquet(output)


def max_difference(reference_csv: str, parquet_dir: str) -> float:
    import pyarrow.parquet as pq

    with open(reference_csv, newline="") as handle:
        want = {row["applicant_id"]: float(row["probability_of_default"]) for row in csv.DictReader(handle)}
    table = pq.read_table(parquet_dir, columns=["applicant_id", "probability_of_default"]).to_pydict()
    got = dict(zip(table["applicant_id"], table["probability_of_default"]))
    assert got.keys() == want.keys(), "the rows differ"
    return max(abs(got[key] - want[key]) for key in want)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=str(ROOT / ".build/release/loanrisk"))
    parser.add_argument("--model", default=str(ROOT / "bench/work/model.txt"))
    parser.add_argument("--input", default=str(ROOT / "bench/work/applicants.csv"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--modes", default="alone,arrow,pipe,lightgbm")
    args = parser.parse_args()
    modes = args.modes.split(",")
    work = Path(tempfile.mkdtemp(prefix="spark-bench-"))
    reference = str(work / "alone.csv")

    command = [args.binary, "score", "--model", args.model, "--input", args.input, "--output", reference, "--threads", "2"]
    print(f"alone     {timed(lambda: subprocess.run(command, check=True, capture_output=True), args.repeat):7.2f} s")

    started = time.perf_counter()
    from pyspark.sql import SparkSession
    from score_job import score

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"session   {time.perf_counter() - started:7.2f} s  (JVM + SparkSession start, once)")
    partitions = spark.read.option("header", True).csv(args.input).rdd.getNumPartitions()
    print(f"input partitions: {partitions}")

    def fresh(name: str) -> str:
        path = work / name
        shutil.rmtree(path, ignore_errors=True)
        return str(path)

    runs = {
        "arrow": lambda: score(spark, binary=args.binary, model=args.model, input_path=args.input, output_path=fresh("arrow")),
        "pipe": lambda: via_pipe(spark, args.binary, args.model, args.input, fresh("pipe")),
        "lightgbm": lambda: via_lightgbm(spark, args.model, args.input, fresh("lightgbm")),
    }
    for mode in modes:
        if mode in runs:
            seconds = timed(runs[mode], args.repeat)
            check = f"  max |p - alone| = {max_difference(reference, str(work / mode)):.3g}" if mode != "pipe" else ""
            print(f"{mode:9} {seconds:7.2f} s{check}")
    spark.stop()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
