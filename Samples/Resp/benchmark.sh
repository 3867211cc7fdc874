#!/usr/bin/env bash
# Requests per second of the RESP sample with FolioMemoryPool (--pool folios) against MemoryPool<byte>.Shared
# (--pool default), in one run: ROUNDS rounds, each starting a fresh server per pool on 127.0.0.1 (the pool that goes
# first alternates), warming it up, then running redis-benchmark -P 16 for SET, GET, INCR (its own tests) and MGET of 10
# keys (an explicit command: redis-benchmark 7.0 has no mget test; -t mget runs nothing). Every folios server's pool
# report is printed when it stops (use after return must be 0). Prints the median per pool and test and the ratio.
# Not run by CI. Needs redis-tools (redis-benchmark). Every load is bounded (-n) and stays on 127.0.0.1.
#   Samples/Resp/benchmark.sh                  # ROUNDS=6 REQUESTS=500000 CLIENTS=50 KEYS=100000 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-6}
REQUESTS=${REQUESTS:-500000}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-100000}
command -v redis-benchmark > /dev/null || { echo "redis-benchmark is missing: apt-get install redis-tools" >&2; exit 1; }

dotnet build Samples/Resp -c Release -v quiet -nologo > /dev/null
server_dll=Samples/Resp/bin/Release/net10.0/folios-resp.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mget=(MGET)
for _ in $(seq 10); do mget+=("key:__rand_int__"); done

measure() { # pool round
    local pool=$1 round=$2 log="$work/server-$1-$2.log" port="" pid
    dotnet "$server_dll" --port 0 --pool "$pool" > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        port=$(grep -oP 'listening on 127\.0\.0\.1:\K[0-9]+' "$log" || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "the $pool server did not start:" >&2; cat "$log" >&2; kill "$pid"; exit 1; }
    local common=(-h 127.0.0.1 -p "$port" -P 16 -c "$CLIENTS" -r "$KEYS" --csv)
    redis-benchmark "${common[@]}" -n 100000 -t set,get,incr > /dev/null # warm-up: JIT tiers, thread pool, caches
    { redis-benchmark "${common[@]}" -n "$REQUESTS" -t set,get,incr
      redis-benchmark "${common[@]}" -n "$REQUESTS" "${mget[@]}"; } \
        | grep -v '^"test"' | sed -e 's/^"MGET[^"]*"/"MGET"/' -e "s/^/$pool,$round,/" >> "$work/results.csv"
    kill -TERM "$pid"
    wait "$pid"
    grep -h "folios pool" "$log" | sed "s/^/round $round: /" || true
}

for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then order=(folios default); else order=(default folios); fi
    for pool in "${order[@]}"; do
        measure "$pool" "$round"
    done
done

python3 - "$work/results.csv" <<'PY'
import csv, statistics, sys
rows = {}
for pool, round_, test, rps, *rest in csv.reader(open(sys.argv[1])):
    rows.setdefault((test, pool), []).append(float(rps))
print(f"{'test':6} {'folios rps':>12} {'default rps':>12} {'ratio':>6}   per round (folios/default)")
for test in ["SET", "GET", "INCR", "MGET"]:
    f, d = rows.get((test, "folios"), []), rows.get((test, "default"), [])
    if not f or not d:
        continue
    per_round = " ".join(f"{a / b:.3f}" for a, b in zip(f, d))
    print(f"{test:6} {statistics.median(f):12.0f} {statistics.median(d):12.0f} {statistics.median(f) / statistics.median(d):6.3f}   {per_round}")
PY
