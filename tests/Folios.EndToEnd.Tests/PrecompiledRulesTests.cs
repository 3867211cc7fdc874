using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Folios.EndToEnd.Tests;

/// <summary>
/// The rules precompiled (ReadyToRun) for each platform the package carries them for, and the package's targets that
/// hand the compiler the image of its own platform: taken by a build here, left by the opt-out, and run by the compiler
/// without compiling the rules' methods again.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PrecompiledRulesTests(PackageFeed feed)
{
    // The PE machine of a ReadyToRun image is the processor's, XOR a value for the OS it was compiled for (none for Windows).
    private static readonly Dictionary<string, ushort> Machines = new()
    {
        ["linux-x64"] = 0x8664 ^ 0x7B79,
        ["linux-musl-x64"] = 0x8664 ^ 0x7B79,
        ["linux-arm64"] = 0xAA64 ^ 0x7B79,
        ["osx-x64"] = 0x8664 ^ 0x4644,
        ["osx-arm64"] = 0xAA64 ^ 0x4644,
        ["win-x64"] = 0x8664,
    };

    [Fact]
    public void The_package_carries_the_rules_precompiled_for_each_platform_with_the_fixes_beside_them()
    {
        using var package = ZipFile.OpenRead(feed.Package);
        foreach (var (platform, machine) in Machines)
        {
            string folder = $"buildTransitive/precompiled/{platform}/";
            Assert.NotNull(package.GetEntry(folder + "Folios.CodeFixes.dll"));
            using var image = new MemoryStream();
            using (var entry = package.GetEntry(folder + "Folios.Analyzers.dll")!.Open())
                entry.CopyTo(image);
            image.Position = 0;
            using var reader = new PEReader(image);
            Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{folder} holds no ReadyToRun code");
            Assert.Equal(machine, (ushort)reader.PEHeaders.CoffHeader.Machine);
        }
        // The portable assembly stays where every host finds it.
        Assert.NotNull(package.GetEntry("analyzers/dotnet/cs/Folios.Analyzers.dll"));
    }

    [Fact]
    public void A_build_takes_the_rules_of_its_platform_and_the_opt_out_and_design_time_builds_keep_the_portable_ones()
    {
        string project = feed.CreateMisuseConsumer("PrecompiledConsumer");
        var precompiled = AnalyzerArguments(CompilerArguments(project)).ToList();
        Assert.Equal(2, precompiled.Count); // the rules and the fixes, from one folder
        Assert.All(precompiled, path => Assert.Contains($"/buildTransitive/precompiled/{RuntimeInformation.RuntimeIdentifier}/", path, StringComparison.Ordinal));

        foreach (string portable in new[] { "-p:FoliosPrecompiledRules=false", "-p:DesignTimeBuild=true" })
        {
            var paths = AnalyzerArguments(CompilerArguments(project, portable)).ToList();
            Assert.Equal(2, paths.Count);
            Assert.All(paths, path => Assert.Contains("/analyzers/dotnet/cs/", path, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_compiler_runs_the_precompiled_rules_without_compiling_them_and_reports_the_same()
    {
        string project = feed.CreateMisuseConsumer("JitConsumer");
        var arguments = CompilerArguments(project);
        string precompiled = AnalyzerArguments(arguments).Single(path => path.EndsWith("Folios.Analyzers.dll", StringComparison.Ordinal));
        string portable = Path.Combine(Path.GetDirectoryName(precompiled)!, "..", "..", "..", "analyzers", "dotnet", "cs", "Folios.Analyzers.dll");

        string compiler = Path.Combine(DotNet.RunOrFail(project, "msbuild", "-getProperty:RoslynTargetsPath").Trim(), "bincore", "csc.dll");

        var (precompiledJit, precompiledFindings) = Compile(project, compiler, arguments, analyzer: precompiled);
        var (portableJit, portableFindings) = Compile(project, compiler, arguments, analyzer: portable);

        Assert.Equal(portableFindings, precompiledFindings);
        Assert.Contains(precompiledFindings, finding => finding.Contains("FOLIO003", StringComparison.Ordinal));
        // Left to the JIT with the image: the methods marked for full optimization (the image leaves those out) and
        // generic instantiations over the rules' own structs; without it, every method the analysis runs.
        Assert.True(precompiledJit * 10 < portableJit, $"methods of the rules compiled by the JIT: {precompiledJit} with the image, {portableJit} without");
    }

    [Fact]
    public void The_compiler_server_runs_the_precompiled_rules()
    {
        // dotnet build's default (this machine's environment turns it off): the build hands the compilation to a
        // long-lived server process, which loads the image into its own context.
        string project = feed.CreateMisuseConsumer("ServerConsumer");
        try
        {
            string output = DotNet.RunOrFail(project, "build", "-nodeReuse:false", "-v:n", "-p:UseSharedCompilation=true");
            Assert.Contains("CompilerServer: server - server processed compilation", output);
            Assert.DoesNotContain("AD0001", output);
            Assert.DoesNotContain("CS8032", output);
            foreach (var rule in PackageFeed.Rules)
                Assert.Contains($"warning {rule}:", output);
        }
        finally
        {
            DotNet.Run(project, TimeSpan.FromMinutes(1), "build-server", "shutdown");
        }
    }

    /// <summary>The compiler's command line for the consumer, as its build hands it to csc.</summary>
    private static string[] CompilerArguments(string project, params string[] properties)
    {
        string json = DotNet.RunOrFail(project, ["build", "--no-incremental", "-nodeReuse:false", "-p:ProvideCommandLineArgs=true", "-getItem:CscCommandLineArgs", .. properties]);
        using var document = JsonDocument.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..]);
        return [.. document.RootElement.GetProperty("Items").GetProperty("CscCommandLineArgs").EnumerateArray().Select(item => item.GetProperty("Identity").GetString()!)];
    }

    private static IEnumerable<string> AnalyzerArguments(string[] arguments) =>
        arguments.Where(argument => argument.StartsWith("/analyzer:", StringComparison.Ordinal) && argument.Contains("Folios.", StringComparison.Ordinal))
            .Select(argument => argument["/analyzer:".Length..].Replace('\\', '/'));

    /// <summary>Runs the SDK's compiler with that command line and the given rules; counts the rules' methods the JIT compiled.</summary>
    private static (int JitCompiled, string[] Findings) Compile(string project, string compiler, string[] arguments, string analyzer)
    {
        string responses = Path.Combine(project, "csc.rsp");
        string jitLog = Path.Combine(project, "jit.txt");
        File.WriteAllLines(responses, arguments
            .Select(argument => argument.StartsWith("/analyzer:", StringComparison.Ordinal) && argument.Contains("Folios.Analyzers.dll", StringComparison.Ordinal) ? "/analyzer:" + analyzer : argument)
            .Select(argument => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument));
        var environment = new Dictionary<string, string?> { ["DOTNET_JitStdOutFile"] = jitLog, ["DOTNET_JitDisasmSummary"] = "1" };
        var (exitCode, output) = DotNet.Run(project, TimeSpan.FromMinutes(5), environment, compiler, "@" + responses);
        Assert.True(exitCode == 0, output);
        int jitCompiled = File.ReadLines(jitLog).Count(line => line.Contains("Folios.Analyzers.", StringComparison.Ordinal));
        string[] findings = [.. output.Split('\n').Where(line => line.Contains(": warning FOLIO", StringComparison.Ordinal)).Select(line => line.Trim()).Order(StringComparer.Ordinal)];
        return (jitCompiled, findings);
    }
}
