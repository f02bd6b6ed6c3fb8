"""What runs on a Spark executor: one partition streamed through `loanrisk score`.

The scorer is the same binary as on a single machine, so the job cannot drift from it: each
partition is written to the scorer's stdin as CSV (Arrow's writer: shortest round-trip doubles,
RFC 4180 quoting) and its CSV output is read back with Arrow's streaming reader, with the
column types fixed in advance so nothing is re-inferred per partition.

Feeding stdin happens on a thread of its own while this generator reads stdout, so a
partition larger than the pipe buffers cannot deadlock and is never held in memory whole.

Only pyarrow and the standard library are imported here: that is all an executor needs.
"""
from __future__ import annotations

import subprocess
import threading
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv

FAILURE_MARKER = "loanrisk score failed"
"""Starts every error raised here, so the driver can find the scorer's message in Spark's trace."""


def scorer_command(binary: str, model: str, reasons: int, threads: int) -> list[str]:
    command = [binary, "score", "--model", model, "--input", "-", "--output", "-", "--threads", str(threads)]
    if reasons:
        command += ["--reasons", str(reasons)]
    return command


def _first_nonempty(batches: Iterator[pa.RecordBatch]) -> pa.RecordBatch | None:
    for batch in batches:
        if batch.num_rows:
            return batch
    return None


def _feed(process: subprocess.Popen, first: pa.RecordBatch, rest: Iterator[pa.RecordBatch], errors: list) -> None:
    """Writes the partition to the scorer's stdin as one CSV (a single header)."""
    try:
        with pacsv.CSVWriter(process.stdin, first.schema) as writer:
            writer.write_batch(first)
            for batch in rest:
                if batch.num_rows:
                    writer.write_batch(batch)
    except BrokenPipeError:
        pass  # The scorer stopped reading (it failed); its exit status and message say why.
    except BaseException as error:  # noqa: BLE001 - re-raised on the reading side
        errors.append(error)
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass


def _drain(stream, sink: list) -> None:
    sink.append(stream.read())


def score_batches(batches: Iterator[pa.RecordBatch], command: list[str], output_schema: pa.Schema,
                  partition: int) -> Iterator[pa.RecordBatch]:
    """Yields the scorer's output for one partition as batches of `output_schema`.

    Raises RuntimeError starting with FAILURE_MARKER, carrying the scorer's own one-line message,
    when it exits non-zero or its header is not the one the job promised Spark."""
    first = _first_nonempty(batches)
    if first is None:
        return  # An empty partition: nothing to score, and no process to start.
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        raise RuntimeError(f"{FAILURE_MARKER} on partition {partition}: cannot start {command[0]}: {error}") from None
    feed_errors: list = []
    stderr: list = []
    feeder = threading.Thread(target=_feed, args=(process, first, batches, feed_errors), daemon=True)
    stderr_reader = threading.Thread(target=_drain, args=(process.stderr, stderr), daemon=True)
    feeder.start()
    stderr_reader.start()

    def failure(reason: str) -> RuntimeError:
        process.kill()
        process.wait()
        stderr_reader.join()
        message = b"".join(stderr).decode(errors="replace").strip() or reason
        return RuntimeError(f"{FAILURE_MARKER} on partition {partition}: {message}")

    try:
        reader = pacsv.open_csv(
            process.stdout,
            read_options=pacsv.ReadOptions(block_size=4 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types={field.name: field.type for field in output_schema},
                strings_can_be_null=True,  # Spark's CSV reader turns empty fields into nulls too.
            ),
        )
    except pa.ArrowInvalid as error:
        # No header at all: the scorer failed before writing one (its message is on stderr).
        raise failure(f"no output ({error})") from None
    if reader.schema.names != output_schema.names:
        raise failure(f"the scorer's columns {reader.schema.names} are not the expected {output_schema.names}")
    try:
        for batch in reader:
            yield batch.cast(output_schema) if batch.schema != output_schema else batch
    except pa.ArrowInvalid as error:
        raise failure(f"unreadable output ({error})") from None
    feeder.join()
    status = process.wait()
    stderr_reader.join()
    if status != 0:
        message = b"".join(stderr).decode(errors="replace").strip()
        raise RuntimeError(f"{FAILURE_MARKER} on partition {partition}: exit status {status}: {message}")
    if feed_errors:
        raise RuntimeError(f"{FAILURE_MARKER} on partition {partition}: writing its input: {feed_errors[0]}")
