#!/usr/bin/env bash
# What the Folios rules cost a build, as users pay it, measured by the compiler itself (ReportAnalyzer).
#
# Generates two projects of FILES files (default 200): "heavy" uses Folios in every method, "plain" has the same
# shape with ordinary .NET types (Folios still referenced). Each is built with the Folios rules (the portable assembly,
# as the package ships it), CA2000 and IDisposableAnalyzers' IDISP001 enabled, two ways:
#   warm: through a compiler server, as `dotnet build` and IDEs run by default: a warm-up build, then ROUNDS times an
#         edit of one file and a rebuild; the server is this script's own (a pipe of its own), stopped at the end;
#   cold: a fresh csc per build (UseSharedCompilation=false, this machine's environment default), ROUNDS full builds.
# Prints, per corpus and way, the medians over the rounds of the Csc task's seconds, the Folios rules' seconds, their
# share of the Csc task, CA2000's and IDISP001's seconds and the rules against CA2000; then each rule's seconds in the
# median warm build, and the goals of issue 29.
#
#   tests/Folios.Benchmarks/analyzer-cost.sh [FILES [ROUNDS]]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
files=${1:-200}
rounds=${2:-3}
work=$(mktemp -d)
pipe="folios-cost-$$"
stop_server() { # the compiler server this script started, found by its pipe's name
    local pid
    for pid in $(pgrep -f -- "-pipename:$pipe" || true); do kill "$pid" 2>/dev/null || true; done
}
trap 'stop_server; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$root/Analyzers" -c Release -v q -nologo >/dev/null
dotnet build "$root/Runtime" -c Release -v q -nologo >/dev/null
dotnet build "$root/tests/Folios.Benchmarks" -c Release -v q -nologo >/dev/null
rules=$(dotnet msbuild "$root/Analyzers" -p:Configuration=Release -getProperty:TargetPath)
runtime=$(dotnet msbuild "$root/Runtime" -p:Configuration=Release -p:TargetFramework=net8.0 -getProperty:TargetPath)
corpus=$(dotnet msbuild "$root/tests/Folios.Benchmarks" -p:Configuration=Release -getProperty:TargetPath)

project() { # DIRECTORY KIND
    dotnet "$corpus" corpus "$1" "$files" "$2"
    cat > "$1/Corpus.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>disable</Nullable>
    <NoWarn>\$(NoWarn);CS0168;CS0219</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="Folios.Runtime" HintPath="$runtime" />
    <Analyzer Include="$rules" />
    <PackageReference Include="IDisposableAnalyzers" Version="4.0.8" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
    printf 'root = true\n[*.cs]\ndotnet_diagnostic.CA2000.severity = warning\n' > "$1/.editorconfig"
    dotnet restore "$1" -v q >/dev/null
}

build() { # DIRECTORY LOG MSBUILD-ARGS... -> the build's log, with the per-analyzer report and the task summary
    local dir=$1 log=$2
    shift 2
    dotnet build "$dir" --no-restore -nodeReuse:false -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary "$@" > "$dir/$log" 2>&1
}

seconds() { # LOG PATTERN -> summed seconds of the analyzer lines that match; "<0.001" counts as 0.001 (an upper bound)
    { grep -E "^\s+<?[0-9]+\.[0-9]+\s+[0-9<]+\s+.*$2" "$1" || true; } | awk '{v = $1; sub(/^</, "", v); s += v} END {printf "%.3f", s + 0}'
}

figures() { # LOG -> "csc folios ca2000 idisp001" in seconds
    local csc
    csc=$(grep -E '^\s+[0-9]+ ms\s+Csc\s' "$1" | awk '{printf "%.3f", $1 / 1000}')
    [ -n "$csc" ] || { echo "no Csc task in $1" >&2; exit 1; }
    grep -q 'FOLIO0' "$1" || { echo "no Folios rule in the analyzer report of $1" >&2; exit 1; }
    echo "$csc $(seconds "$1" '\(FOLIO0[0-9]{2}') $(seconds "$1" '\(CA2000') $(seconds "$1" 'IDISP001')"
}

warm() { # DIRECTORY -> one figures line per measured rebuild
    local dir=$1 round
    build "$dir" warmup.log --no-incremental -p:UseSharedCompilation=true -p:SharedCompilationId="$pipe"
    grep -q 'server processed compilation' "$dir/warmup.log" || { echo "the warm-up build did not use the compiler server" >&2; exit 1; }
    for round in $(seq "$rounds"); do
        printf '\n// edit %s\n' "$round" >> "$dir/File0.cs"
        build "$dir" "warm$round.log" -p:UseSharedCompilation=true -p:SharedCompilationId="$pipe"
        grep -q 'server processed compilation' "$dir/warm$round.log" || { echo "round $round did not use the compiler server" >&2; exit 1; }
        figures "$dir/warm$round.log"
    done
}

cold() { # DIRECTORY -> one figures line per full build
    local dir=$1 round
    for round in $(seq "$rounds"); do
        build "$dir" "cold$round.log" --no-incremental -p:UseSharedCompilation=false
        figures "$dir/cold$round.log"
    done
}

median() { # column of figures lines on stdin -> its median
    sort -n | awk '{v[NR] = $1} END {printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

summarize() { # CORPUS WAY FIGURES-FILE -> one table row of medians
    local f=$3
    local csc folios ca idisp share ratio
    csc=$(cut -d' ' -f1 "$f" | median)
    folios=$(cut -d' ' -f2 "$f" | median)
    ca=$(cut -d' ' -f3 "$f" | median)
    idisp=$(cut -d' ' -f4 "$f" | median)
    share=$(awk '{print 100 * $2 / $1}' "$f" | median)
    ratio=$(awk '{print ($3 > 0 ? $2 / $3 : 0)}' "$f" | median)
    printf '| %s | %s | %s s | %s s | %s %% | %s s | %sx | %s s |\n' "$1" "$2" "$csc" "$folios" "$share" "$ca" "$ratio" "$idisp"
    echo "$share $ratio" > "$f.goal"
}

project "$work/heavy" heavy
project "$work/plain" plain
for kind in heavy plain; do warm "$work/$kind" > "$work/$kind.warm"; done
stop_server
for kind in heavy plain; do cold "$work/$kind" > "$work/$kind.cold"; done

printf '\n%s files per corpus, medians of %s builds each (every build: Csc, Folios rules, CA2000, IDISP001 seconds)\n\n' "$files" "$rounds"
echo '| corpus | build | Csc task | Folios rules | share of Csc | CA2000 | rules / CA2000 | IDISP001 |'
echo '|---|---|---:|---:|---:|---:|---:|---:|'
for kind in heavy plain; do
    summarize "$kind" "warm (compiler server, edit and rebuild)" "$work/$kind.warm"
    summarize "$kind" "cold (fresh csc, full build)" "$work/$kind.cold"
done
for kind in heavy plain; do
    for way in warm cold; do printf '%s %s builds: %s\n' "$kind" "$way" "$(paste -sd';' "$work/$kind.$way")"; done
done

median_log() { # KIND -> the warm log whose Folios seconds are the median
    for round in $(seq "$rounds"); do
        printf '%s %s\n' "$(seconds "$work/$1/warm$round.log" '\(FOLIO0[0-9]{2}')" "$work/$1/warm$round.log"
    done | sort -n | sed -n "$(( (rounds + 1) / 2 ))p" | cut -d' ' -f2
}
for kind in heavy plain; do
    printf '\neach rule, %s, the median warm build:\n' "$kind"
    grep -E '^\s+<?[0-9]+\.[0-9]+\s+[0-9<]+\s+Folios\.Analyzers\.' "$(median_log "$kind")" | sed -E 's/^\s+/   /' || true
done

goal() { # TEXT VALUE LIMIT
    awk -v t="$1" -v v="$2" -v l="$3" 'BEGIN {printf "%s: %s (goal <= %s): %s\n", t, v, l, (v <= l ? "met" : "not met")}'
}
printf '\ngoals (issue 29):\n'
goal "heavy, warm: Folios rules / CA2000" "$(cut -d' ' -f2 "$work/heavy.warm.goal")" 0.15
goal "heavy, cold: Folios rules / CA2000" "$(cut -d' ' -f2 "$work/heavy.cold.goal")" 0.15
goal "plain, warm: Folios rules, % of the Csc task" "$(cut -d' ' -f1 "$work/plain.warm.goal")" 1
