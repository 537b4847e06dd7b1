#!/usr/bin/env bash
# Build a Zebra index of the Library of Congress "Books All 2016 part 01" file
# (250,000 MARC21 records) and start zebrasrv on a loopback port.
#
# Usage (from anywhere inside the repo):
#   benchmarks/zebra/run.sh            # decompress, index (timed), start server
#   benchmarks/zebra/run.sh index      # decompress + index only
#   benchmarks/zebra/run.sh start      # start zebrasrv on an existing index
#   benchmarks/zebra/run.sh stop       # stop the zebrasrv started by "start"
#
# Environment:
#   ZEBRA_DATA   xz-compressed (or plain) ISO 2709 file; default
#                ../shared/data/marc/loc-booksall-2016/BooksAll.2016.part01.utf8.mrc.xz
#                relative to the repo root
#   ZEBRA_LIMIT  index only the first N records (quick config check)
#   ZEBRA_PORT   loopback port for zebrasrv (default 21210)
#   ZEBRA_WORK   work directory (default var/bench/zebra, git-ignored)
#
# Needs Debian's idzebra-2.0 and yaz packages (zebraidx, zebrasrv, yaz-client):
#   apt-get install -y idzebra-2.0 yaz
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DATA="${ZEBRA_DATA:-../shared/data/marc/loc-booksall-2016/BooksAll.2016.part01.utf8.mrc.xz}"
WORK="${ZEBRA_WORK:-var/bench/zebra}"
PORT="${ZEBRA_PORT:-21210}"
LIMIT="${ZEBRA_LIMIT:-}"
ACTION="${1:-all}"

for tool in zebraidx zebrasrv yaz-client; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y idzebra-2.0 yaz" >&2; exit 1; }
done

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

prepare_input() {
    local base mrc
    base="$(basename "$DATA")"
    mrc="$WORK/${base%.xz}"
    case "$DATA" in
        *.xz)
            if [ ! -s "$mrc" ]; then
                echo "decompressing $DATA -> ${mrc#$ROOT/}"
                xz -dc "$DATA" > "$mrc.tmp"
                mv "$mrc.tmp" "$mrc"
            fi ;;
        *)  mrc="$(cd "$(dirname "$DATA")" && pwd)/$(basename "$DATA")" ;;
    esac
    rm -f "$WORK/input.mrc"   # may be a symlink to the full file: never write through it
    if [ -n "$LIMIT" ]; then
        # first N records of the ISO 2709 stream (record length = first 5 bytes)
        python3 - "$mrc" "$WORK/input.mrc" "$LIMIT" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, 'rb') as f, open(dst, 'wb') as out:
    for _ in range(n):
        head = f.read(5)
        if len(head) < 5:
            break
        out.write(head + f.read(int(head) - 5))
PY
    else
        ln -sf "$mrc" "$WORK/input.mrc"
    fi
}

stop_server() {
    if [ -f "$WORK/zebrasrv.pid" ]; then
        local pid
        pid="$(cat "$WORK/zebrasrv.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            echo "stopped zebrasrv (pid $pid)"
        fi
        rm -f "$WORK/zebrasrv.pid"
    fi
}

do_index() {
    stop_server
    prepare_input
    cd "$WORK"
    rm -rf conf register shadow lock tmp key
    cp -r "$ROOT/benchmarks/zebra/conf" conf
    mkdir -p register shadow lock tmp key
    local nrec
    nrec="$(python3 -c '
import sys
n = 0
with open("input.mrc", "rb") as f:
    while True:
        h = f.read(5)
        if len(h) < 5:
            break
        f.seek(int(h) - 5, 1)
        n += 1
print(n)')"
    echo "indexing $nrec records (log: ${WORK#$ROOT/}/zebraidx.log)"
    # -n: no shadow files for the bulk load (nothing to commit afterwards)
    if ! zebraidx -c conf/zebra.cfg -n init 2> zebraidx.log || grep -q '\[warn\]' zebraidx.log; then
        grep -E '\[(warn|fatal)\]|XML:' zebraidx.log >&2
        echo "zebraidx init failed (configuration error?), see ${WORK#$ROOT/}/zebraidx.log" >&2
        exit 1
    fi
    local t0 t1 load0
    load0="$(cut -d' ' -f1 /proc/loadavg)"
    t0="$(date +%s.%N)"
    zebraidx -c conf/zebra.cfg -n update input.mrc 2>> zebraidx.log || {
        tail -5 zebraidx.log >&2
        echo "zebraidx update failed, see ${WORK#$ROOT/}/zebraidx.log" >&2
        exit 1
    }
    t1="$(date +%s.%N)"
    python3 - "$t0" "$t1" "$nrec" "$load0" <<'PY'
import json, re, sys, os, platform
t0, t1, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
log = open('zebraidx.log', encoding='utf-8', errors='replace').read()
m = re.findall(r'Records: (\d+) i/u/d (\d+)/(\d+)/(\d+)', log)
indexed = int(m[-1][0]) if m else None
elapsed = t1 - t0
# zebraidx logs "zebra_stop: <real> <user> <sys>" (seconds) when it ends
stops = re.findall(r'zebra_stop: ([\d.]+) ([\d.]+) ([\d.]+)', log)
cpu = float(stops[-1][1]) + float(stops[-1][2]) if stops else None
size = sum(os.path.getsize(os.path.join('register', f)) for f in os.listdir('register'))
res = {
    'records_in_file': n,
    'records_indexed': indexed,
    'elapsed_s': round(elapsed, 1),
    'records_per_s': round(n / elapsed, 1),
    'zebraidx_cpu_s': round(cpu, 1) if cpu else None,
    'records_per_cpu_s': round(n / cpu, 1) if cpu else None,
    'loadavg_1m_at_end': round(os.getloadavg()[0], 2),
    'loadavg_1m_at_start': float(sys.argv[4]),
    'register_bytes': size,
    'cpus': os.cpu_count(),
    'machine': platform.machine(),
}
json.dump(res, open('index.json', 'w'), indent=2)
print(json.dumps(res, indent=2))
PY
    cd "$ROOT"
}

start_server() {
    stop_server
    cd "$WORK"
    zebrasrv -c conf/zebra.cfg -l zebrasrv.log -p zebrasrv.pid -D "tcp:127.0.0.1:$PORT"
    for _ in $(seq 50); do
        if printf 'open tcp:127.0.0.1:%s\nquit\n' "$PORT" | yaz-client 2>&1 | grep -q 'Connection accepted'; then
            echo "zebrasrv listening on 127.0.0.1:$PORT (pid $(cat zebrasrv.pid)); stop with: benchmarks/zebra/run.sh stop"
            cd "$ROOT"
            return 0
        fi
        sleep 0.2
    done
    echo "zebrasrv did not come up, see ${WORK#$ROOT/}/zebrasrv.log" >&2
    exit 1
}

case "$ACTION" in
    all)   do_index; start_server ;;
    index) do_index ;;
    start) start_server ;;
    stop)  stop_server ;;
    *)     echo "usage: $0 [all|index|start|stop]" >&2; exit 2 ;;
esac
