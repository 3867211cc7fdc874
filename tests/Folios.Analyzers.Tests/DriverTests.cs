using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>The rules under the driver: cancelled mid-analysis they stop, and run concurrently they agree.</summary>
public class DriverTests
{
    /// <summary>One method with many mappings: each has its flow over a graph of thousands of blocks, so the work grows with their square.</summary>
    private static string HugeMethod(int mappings)
    {
        var body = new StringBuilder();
        for (int i = 0; i < mappings; i++)
            body.AppendLine($"var m{i} = buffer.Map(); if (n > {i}) {{ m{i}.Unmap(); }} else {{ Work(); }} try {{ Work(); }} finally {{ m{i}.Dispose(); }}");
        return Snippets.InMethod(body.ToString(), "static void Work() { }");
    }

    [Theory]
    [InlineData("MappingLifetimeAnalyzer")]
    [InlineData("UnmapMisuseAnalyzer")]
    public async Task A_flow_rule_stops_promptly_when_cancelled_inside_one_huge_method(string analyzerName)
    {
        var analyzer = AllAnalyzers.Create().Single(a => a.GetType().Name == analyzerName);
        var compilation = Compile(HugeMethod(800));
        compilation.GetDiagnostics();
        using var cancellation = new CancellationTokenSource();
        var run = compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync(cancellation.Token);
        await Task.Delay(300);
        Assert.False(run.IsCompleted, "the analysis finished before it could be cancelled: the workload proves nothing");
        var clock = Stopwatch.StartNew();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{analyzerName} took {clock.Elapsed.TotalSeconds:F1} s to stop after cancellation");
    }

    [Fact]
    public async Task Every_rule_gives_up_on_an_analysis_that_is_already_cancelled()
    {
        var compilation = Compile(HugeMethod(20));
        foreach (var analyzer in AllAnalyzers.Create())
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Concurrent_analyses_of_one_compilation_agree_with_a_sequential_one()
    {
        string misuse = File.ReadAllText(Path.Combine(Repository.Root, "Samples", "Misuse", "Program.cs"));
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(misuse, path: "Program.cs") };
        int classStart = misuse.IndexOf("static class Misuse", StringComparison.Ordinal);
        for (int copy = 0; copy < 40; copy++)
            trees.Add(CSharpSyntaxTree.ParseText("using System.Buffers.Binary;\nusing Folios;\n" + misuse[classStart..].Replace("class Misuse", $"class Misuse{copy}"), path: $"Copy{copy}.cs"));
        var compilation = CSharpCompilation.Create("Concurrent", trees, Repository.References, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var analyzers = AllAnalyzers.Create();

        var sequential = await Diagnostics(compilation, analyzers, concurrent: false);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Diagnostics(compilation, analyzers, concurrent: true))));

        Assert.True(sequential.Count > 40 * 7, $"only {sequential.Count} diagnostics: the comparison proves little");
        foreach (var run in concurrent)
            Assert.Equal(sequential, run);
    }

    private static async Task<List<string>> Diagnostics(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrent, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => $"{d.Location.GetLineSpan()} {d.Id} {d.GetMessage()}").Order(StringComparer.Ordinal).ToList();
    }

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Driver", [CSharpSyntaxTree.ParseText(source)], Repository.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
}
