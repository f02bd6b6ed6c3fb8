-- wrk script for bench/swap.sh: POSTs one applicant and checks EVERY answer.
--   wrk ... -s bench/swap/check.lua -- <version1> <probability1> <version2> <probability2> <body.json>
-- An answer is ok when its status is 200 and its (model.version, probability_of_default) pair is
-- one of the two given pairs, the probabilities compared as the text the server wrote. A 200
-- whose pair is neither is "mixed": "crossed" when it is one version's probability under the
-- other version's label, "other" for anything else (a missing field, an unknown number).
-- done() adds up the threads' counts and prints one RESULT line for the shell script.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  v1, p1, v2, p2 = args[1], args[2], args[3], args[4]
  assert(v1 and p1 and v2 and p2 and args[5], "args: version1 probability1 version2 probability2 body.json")
  local f = assert(io.open(args[5], "rb"))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = f:read("*a")
  f:close()
  ok, served1, served2, non200, crossed, other = 0, 0, 0, 0, 0, 0
  first_bad = ""
end

local function note(status, body)
  if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    note(status, body)
    return
  end
  local model = string.match(body, '"model"%s*:%s*(%b{})')
  local version = model and string.match(model, '"version"%s*:%s*"([^"]*)"')
  local p = string.match(body, '"probability_of_default"%s*:%s*([-+%d%.eE]+)')
  if version == v1 and p == p1 then
    ok = ok + 1; served1 = served1 + 1
  elseif version == v2 and p == p2 then
    ok = ok + 1; served2 = served2 + 1
  elseif (version == v1 and p == p2) or (version == v2 and p == p1) then
    crossed = crossed + 1
    note(status, body)
  else
    other = other + 1
    note(status, body)
  end
end

function done(summary, latency, requests)
  local t = { ok = 0, served1 = 0, served2 = 0, non200 = 0, crossed = 0, other = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
    local s = thread:get("first_bad")
    if sample == "" and s and s ~= "" then sample = s end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "ok=%d served1=%d served2=%d non200=%d socket=%d connect=%d read=%d write=%d timeout=%d " ..
    "failed=%d mixed=%d crossed=%d other=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    t.ok, t.served1, t.served2, t.non200, socket, e.connect, e.read, e.write, e.timeout,
    t.non200 + socket, t.crossed + t.other, t.crossed, t.other))
  if sample ~= "" then io.write("FIRST_BAD " .. sample .. "\n") end
end
