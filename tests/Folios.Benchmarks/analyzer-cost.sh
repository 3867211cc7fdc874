#!/usr/bin/env bash
# What the Folios rules cost in a real build, measured by the compiler itself (ReportAnalyzer).
#
# Generates two projects of FILES files (default 200): "heavy" uses Folios in every method, "plain" has the same
# shape with ordinary .NET types (Folios still referenced). Each is built with the Folios analyzers, CA2000 and
# IDisposableAnalyzers (IDISP001) enabled, then "heavy" again with twice the files, three times each. The rules are the
# ones the package gives `dotnet build` on this machine: precompiled for its platform (Analyzers/Precompiled). Prints,
# for each corpus's median build by share, each rule's seconds, the Folios share of the Csc task, CA2000's and
# IDISP001's seconds on the same corpus, and the growth; then what the rules add to the Csc task, from "heavy" and
# "plain" built with and without the Folios rules; then "heavy" and "plain" with the portable assembly (what a host
# the package has no image for runs), three times each.
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
portable="$root/Analyzers/bin/Release/netstandard2.0/Folios.Analyzers.dll"
platform=$(dotnet msbuild "$root/Analyzers/Precompiled" -getProperty:NETCoreSdkPortableRuntimeIdentifier)
dotnet publish "$root/Analyzers/Precompiled" -c Release -r "$platform" -p:FoliosPrecompiledPlatforms="$platform" -v q -nologo >/dev/null
precompiled="$root/Analyzers/Precompiled/bin/Release/net10.0/$platform/publish/Folios.Analyzers.dll"

project() { # DIRECTORY FILES KIND
    dotnet "$root/tests/Folios.Benchmarks/bin/Release/net10.0/Folios.Benchmarks.dll" corpus "$1" "$2" "$3"
    cat > "$1/Corpus.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>disable</Nullable>
    <NoWarn>\$(NoWarn);CS0168;CS0219</NoWarn>
    <FoliosRulesAssembly Condition="'\$(FoliosRulesAssembly)' == ''">$precompiled</FoliosRulesAssembly>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="Folios.Runtime" HintPath="$runtime" />
    <Analyzer Include="\$(FoliosRulesAssembly)" Condition="'\$(FoliosRules)' != 'false'" />
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

share() { # LOG -> the Folios rules' share of the Csc task, in percent
    awk -v f="$(seconds "$1" '\(FOLIO0[0-9]{2}')" -v c="$(csc_seconds "$1")" 'BEGIN {printf "%.2f", 100 * f / c}'
}

median() { # LOG... -> the log whose Folios share is the median one
    for log in "$@"; do printf '%s %s\n' "$(share "$log")" "$log"; done | sort -n | sed -n "$(( ($# + 1) / 2 ))p" | cut -d' ' -f2
}

report() { # NAME FILES LOG... -> the figures of the median build, and every build's share
    local name=$1 files=$2 log
    shift 2
    log=$(median "$@")
    printf '\n%s (%s files): Csc %ss, Folios rules %ss = %s%% of Csc, CA2000 %ss, IDISP001 %ss (the median of %s builds; their shares: %s)\n' \
        "$name" "$files" "$(csc_seconds "$log")" "$(seconds "$log" '\(FOLIO0[0-9]{2}')" "$(share "$log")" "$(seconds "$log" '\(CA2000')" \
        "$(seconds "$log" 'IDISP001')" $# "$(for each in "$@"; do printf '%s%%\n' "$(share "$each")"; done | paste -sd' ')"
    grep -E '^\s+[0-9]+\.[0-9]+\s+[0-9<]+\s+Folios\.Analyzers\.Rules\.' "$log" | sed -E 's/^\s+/   /' || true
}

project "$work/heavy" "$files" heavy
project "$work/plain" "$files" plain
project "$work/double" $((files * 2)) heavy
for kind in heavy plain double; do build "$work/$kind"; done
# The same builds without the Folios rules, twice each way, alternating: the difference in the Csc task is what the
# rules cost the build, whoever the per-analyzer report charges for building operation trees. The builds with the
# rules also report: each corpus's figures are those of the median of its three builds.
for round in 1 2; do
    for kind in heavy plain; do
        build "$work/$kind" "on$round.log"
        build "$work/$kind" "off$round.log" -p:FoliosRules=false
    done
    build "$work/double" "on$round.log"
done
for round in 1 2 3; do
    for kind in heavy plain; do build "$work/$kind" "portable$round.log" -p:FoliosRulesAssembly="$portable"; done
done
for kind in heavy plain double; do
    count=$files
    [ "$kind" = double ] && count=$((files * 2))
    report "$kind" "$count" "$work/$kind/build.log" "$work/$kind/on1.log" "$work/$kind/on2.log"
done
for kind in heavy plain; do
    on=$(for log in on1 on2; do csc_seconds "$work/$kind/$log.log"; echo; done | sort -n | head -1)
    off=$(for log in off1 off2; do csc_seconds "$work/$kind/$log.log"; echo; done | sort -n | head -1)
    printf '\n%s: Csc with the rules %ss, without %ss (fastest of two each; all four: %s): the rules add %s%%\n' "$kind" "$on" "$off" \
        "$(for log in on1 off1 on2 off2; do printf '%s %ss ' "$log" "$(csc_seconds "$work/$kind/$log.log")"; done)" \
        "$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.1f", 100 * (a - b) / b}')"
done
rules() { # KIND -> the Folios rules' seconds in the corpus's median build
    seconds "$(median "$work/$1/build.log" "$work/$1/on1.log" "$work/$1/on2.log")" '\(FOLIO0[0-9]{2}'
}
printf '\ngrowth: Folios rules on %s files / on %s files = %s (median builds)\n' $((files * 2)) "$files" \
    "$(awk -v a="$(rules double)" -v b="$(rules heavy)" 'BEGIN {printf "%.2f", a / b}')"
for kind in heavy plain; do
    report "$kind, portable rules" "$files" "$work/$kind/portable1.log" "$work/$kind/portable2.log" "$work/$kind/portable3.log"
done
