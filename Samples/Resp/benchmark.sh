#!/usr/bin/env bash
# Requests per second of the RESP sample with FolioMemoryPool (--pool folios) against MemoryPool<byte>.Shared
# (--pool default), in one run. Both servers run side by side on 127.0.0.1 and are warmed up; then, ROUNDS times, each
# test runs against one server and right after against the other (which goes first alternates), so that drift on a
# shared machine hits both alike. Tests: redis-benchmark -P 16 SET, GET, INCR (its own tests) and MGET of 10 keys
# (an explicit command: redis-benchmark 7.0 has no mget test; -t mget runs nothing). Prints the median requests per
# second per pool and test, the ratio of the medians and the median of the per-round ratios, and the same for the
# server's CPU time per request (user + system, from /proc: on a busy machine it moves far less than requests per
# second, which depend on the share of the CPUs the two processes get), and the folios server's pool report when it
# stops (use after return must be 0). Not run by CI; needs redis-tools (redis-benchmark). Every
# load is bounded (-n) and stays on 127.0.0.1.
#   Samples/Resp/benchmark.sh            # ROUNDS=10 REQUESTS=300000 CLIENTS=50 KEYS=100000 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-10}
REQUESTS=${REQUESTS:-300000}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-100000}
command -v redis-benchmark > /dev/null || { echo "redis-benchmark is missing: apt-get install redis-tools" >&2; exit 1; }

dotnet build Samples/Resp -c Release -v quiet -nologo > /dev/null
server_dll=Samples/Resp/bin/Release/net10.0/folios-resp.dll
work=$(mktemp -d)
declare -A port pid
stop_servers() {
    for pool in "${!pid[@]}"; do kill -TERM "${pid[$pool]}" 2> /dev/null || true; done
}
trap 'stop_servers; rm -rf "$work"' EXIT

# Idle thread-pool workers spin before they sleep; that burns CPU time that depends on the machine's load, not on the
# pool: turned off for both servers, so that their CPU time is their work.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
for pool in folios default; do
    dotnet "$server_dll" --port 0 --pool "$pool" > "$work/$pool.log" 2>&1 &
    pid[$pool]=$!
    for _ in $(seq 100); do
        port[$pool]=$(grep -oP 'listening on 127\.0\.0\.1:\K[0-9]+' "$work/$pool.log" || true)
        [ -n "${port[$pool]}" ] && break
        sleep 0.1
    done
    [ -n "${port[$pool]}" ] || { echo "the $pool server did not start:" >&2; cat "$work/$pool.log" >&2; exit 1; }
done

mget=(MGET)
for _ in $(seq 10); do mget+=("key:__rand_int__"); done
cpu_ticks() { # pid: user + system time in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
run() { # pool test requests; prints "rps,cpu ticks"
    local args=(-h 127.0.0.1 -p "${port[$1]}" -P 16 -c "$CLIENTS" -r "$KEYS" -n "$3" --csv) before rps
    if [ "$2" = mget ]; then args+=("${mget[@]}"); else args+=(-t "$2"); fi
    before=$(cpu_ticks "${pid[$1]}")
    rps=$(redis-benchmark "${args[@]}" | grep -v '^"test"' | cut -d, -f2 | tr -d '"')
    echo "$rps,$(($(cpu_ticks "${pid[$1]}") - before))"
}

for pool in folios default; do # warm-up: JIT tiers, thread pool, caches; SET fills the keys GET and MGET read
    for test in set get incr mget; do run "$pool" "$test" 100000 > /dev/null; done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then order=(folios default); else order=(default folios); fi
    for test in set get incr mget; do
        for pool in "${order[@]}"; do
            echo "$round,$test,$pool,$(run "$pool" "$test" "$REQUESTS")" >> "$work/results.csv"
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

for pool in folios default; do
    kill -TERM "${pid[$pool]}"
    wait "${pid[$pool]}"
    unset "pid[$pool]"
done
grep -h "folios pool" "$work/folios.log"

python3 - "$work/results.csv" "$REQUESTS" "$(getconf CLK_TCK)" <<'PY'
import csv, statistics, sys
requests, ticks_per_second = int(sys.argv[2]), int(sys.argv[3])
rps, cpu = {}, {}
for round_, test, pool, value, ticks in csv.reader(open(sys.argv[1])):
    rps.setdefault((test, pool), {})[round_] = float(value)
    cpu.setdefault((test, pool), {})[round_] = int(ticks) * 1e6 / ticks_per_second / requests
def table(title, values, unit, better_is_higher):
    print(f"{title}: median per pool, ratio folios/default of the medians and per round (median, min..max)"
          + ("" if better_is_higher else "; below 1 means folios used less"))
    print(f"  {'test':5} {'folios':>10} {'default':>10} {'ratio':>6} {'per round':>9}  min..max")
    for test in ["set", "get", "incr", "mget"]:
        f, d = values[(test, "folios")], values[(test, "default")]
        ratios = [f[r] / d[r] for r in f if d[r] > 0]
        print(f"  {test.upper():5} {statistics.median(f.values()):10.{unit}f} {statistics.median(d.values()):10.{unit}f} "
              f"{statistics.median(f.values()) / statistics.median(d.values()):6.3f} {statistics.median(ratios):9.3f}  "
              f"{min(ratios):.3f}..{max(ratios):.3f}")
table("requests per second", rps, 0, True)
table("server CPU time per request (us)", cpu, 2, False)
PY
