#!/usr/bin/env bash
# What the Folios rules cost in a real build, measured by the compiler itself (ReportAnalyzer).
#
# Generates two projects of FILES files (default 200): "heavy" uses Folios in every method, "plain" has the same
# shape with ordinary .NET types (Folios still referenced). Each is built with the Folios analyzers, CA2000 and
# IDisposableAnalyzers (IDISP001) enabled, then "heavy" again with twice the files. Prints each rule's seconds,
# the Folios share of the Csc task, CA2000's and IDISP001's seconds on the same corpus, and the growth; then builds
# "heavy" and "plain" with and without the Folios rules and prints what the rules add to the Csc task.
#
#   tests/Folios.Benchmarks/analyzer-cost.sh [FILES]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
files=${1:-200}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build "$root/Analyzers" -c Release -v q -nologo >/dev/null
dotnet build "$root/Runtime" -c Release -v q -nologo >/dev/null
dotnet build "$root/tests/Folios.Benchmarks" -c Release -v q -nologo >/dev/null
runtime="$root/Runtime/bin/Release/net8.0/Folios.Runtime.dll"
analyzers="$root/Analyzers/bin/Release/netstandard2.0/Folios.Analyzers.dll"

project() { # DIRECTORY FILES KIND
    dotnet "$root/tests/Folios.Benchmarks/bin/Release/net10.0/Folios.Benchmarks.dll" corpus "$1" "$2" "$3"
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
    <Analyzer Include="$analyzers" Condition="'\$(FoliosRules)' != 'false'" />
    <PackageReference Include="IDisposableAnalyzers" Version="4.0.8" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
    printf 'root = true\n[*.cs]\ndotnet_diagnostic.CA2000.severity = warning\n' > "$1/.editorconfig"
    dotnet restore "$1" -v q >/dev/null
}

build() { # DIRECTORY [LOG [MSBUILD ARGS...]] -> build log
    local dir=$1 log=${2:-build.log}
    shift $(( $# > 1 ? 2 : 1 ))
    dotnet build "$dir" --no-restore --no-incremental -nodeReuse:false -p:UseSharedCompilation=false \
        -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary "$@" > "$dir/$log" 2>&1
}

seconds() { # LOG PATTERN -> summed seconds of the analyzer lines that match
    grep -E "^\s+[0-9]+\.[0-9]+\s+[0-9<]+\s+.*$2" "$1" | awk '{s += $1} END {printf "%.3f", s + 0}'
}

csc_seconds() { # LOG -> the Csc task's seconds from the performance summary
    grep -E '^\s+[0-9]+ ms\s+Csc\s' "$1" | awk '{printf "%.3f", $1 / 1000}'
}

report() { # NAME DIRECTORY
    local log="$2/build.log" csc folios
    csc=$(csc_seconds "$log")
    folios=$(seconds "$log" '\(FOLIO0[0-9]{2}')
    printf '\n%s (%s files): Csc %ss, Folios rules %ss = %s%% of Csc, CA2000 %ss, IDISP001 %ss\n' "$1" "$3" "$csc" "$folios" \
        "$(awk -v f="$folios" -v c="$csc" 'BEGIN {printf "%.2f", 100 * f / c}')" "$(seconds "$log" '\(CA2000')" "$(seconds "$log" 'IDISP001')"
    grep -E '^\s+[0-9]+\.[0-9]+\s+[0-9<]+\s+Folios\.Analyzers\.Rules\.' "$log" | sed -E 's/^\s+/   /' || true
}

project "$work/heavy" "$files" heavy
project "$work/plain" "$files" plain
project "$work/double" $((files * 2)) heavy
for kind in heavy plain double; do build "$work/$kind"; done
# The same builds without the Folios rules, twice each way, alternating: the difference in the Csc task is what the
# rules cost the build, whoever the per-analyzer report charges for building operation trees.
for round in 1 2; do
    for kind in heavy plain; do
        build "$work/$kind" "on$round.log"
        build "$work/$kind" "off$round.log" -p:FoliosRules=false
    done
done
report heavy "$work/heavy" "$files"
report plain "$work/plain" "$files"
for kind in heavy plain; do
    on=$(for log in on1 on2; do csc_seconds "$work/$kind/$log.log"; echo; done | sort -n | head -1)
    off=$(for log in off1 off2; do csc_seconds "$work/$kind/$log.log"; echo; done | sort -n | head -1)
    printf '\n%s: Csc with the rules %ss, without %ss (fastest of two each; all four: %s): the rules add %s%%\n' "$kind" "$on" "$off" \
        "$(for log in on1 off1 on2 off2; do printf '%s %ss ' "$log" "$(csc_seconds "$work/$kind/$log.log")"; done)" \
        "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.1f", 100 * (a - b) / b}')"
done
report double "$work/double" $((files * 2))
printf '\ngrowth: Folios rules on %s files / on %s files = %s\n' $((files * 2)) "$files" \
    "$(awk -v a="$(seconds "$work/double/build.log" '\(FOLIO0[0-9]{2}')" -v b="$(seconds "$work/heavy/build.log" '\(FOLIO0[0-9]{2}')" 'BEGIN {printf "%.2f", a / b}')"
