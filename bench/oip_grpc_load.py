"""A closed-loop gRPC load for bench/oip.sh: PROCESSES processes, each with CONCURRENCY calls
in flight on one grpc.aio channel, send the same serialized ModelInferRequest (bytes in, bytes
out: no protobuf work on the client) for DURATION seconds; prints requests/s and latency
percentiles over all calls. The client is Python, so it costs more CPU per call than wrk does
for REST; on 2 shared cores that lowers the gRPC figure (see bench/README.md)."""
import asyncio
import multiprocessing
import sys
import time

import grpc

METHOD = "/inference.GRPCInferenceService/ModelInfer"


async def worker(target: str, body: bytes, concurrency: int, seconds: float, warmup: float):
    async with grpc.aio.insecure_channel(target) as channel:
        call = channel.unary_unary(METHOD, request_serializer=None, response_deserializer=None)
        latencies: list[float] = []
        start = time.perf_counter()
        measure_from = start + warmup
        stop = measure_from + seconds

        async def loop():
            while True:
                t0 = time.perf_counter()
                if t0 >= stop:
                    return
                await call(body)
                if t0 >= measure_from:
                    latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(loop() for _ in range(concurrency)))
        return latencies


def run(args):
    return asyncio.run(worker(*args))


def main():
    target, path, processes, concurrency, seconds, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
    body = open(path, "rb").read()
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(run, [(target, body, concurrency, seconds, warmup)] * processes)
    latencies = sorted(l for r in results for l in r)
    if not latencies:
        sys.exit("no calls completed")
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(f"  {len(latencies) / seconds:,.0f} requests/s over {seconds:.0f} s, {processes}x{concurrency} in flight; "
          f"latency p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms")


if __name__ == "__main__":
    main()
