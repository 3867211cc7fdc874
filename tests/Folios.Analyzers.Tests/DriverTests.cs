using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>The rules under the driver: cancelled mid-analysis they stop, run concurrently they agree, and finished they hold on to nothing.</summary>
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
        // The test's own thread waits (a delay's continuation would queue behind the analysis on a loaded machine); a
        // workload that still finished first proves nothing, so the next try doubles it.
        for (int mappings = 800; ; mappings *= 2)
        {
            var compilation = Compile(HugeMethod(mappings));
            compilation.GetDiagnostics();
            using var cancellation = new CancellationTokenSource();
            var run = compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync(cancellation.Token);
            Thread.Sleep(300);
            if (run.IsCompleted)
            {
                Assert.True(mappings < 6400, "the analysis of 6,400 mappings finished before it could be cancelled: the workload proves nothing");
                continue;
            }
            await StopsPromptly(analyzerName, run, cancellation);
            return;
        }
    }

    private static async Task StopsPromptly(string analyzerName, Task run, CancellationTokenSource cancellation)
    {
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

    [Fact]
    public void No_analysis_keeps_its_compilation_alive()
    {
        // The rules keep what they derive from a member for the next rule on the same thread, and their per-thread
        // buffers for the next member: none of it may keep a finished compilation (hundreds of megabytes in the
        // compiler server or the IDE) from being collected.
        var (analyzed, reported) = AnalyzeAndForget();
        Assert.True(reported >= 20, $"only {reported} diagnostics: the rules barely ran");
        // A few tries: the driver's last worker may still be returning when the analysis task completes.
        for (int attempt = 0; attempt < 5 && analyzed.IsAlive; attempt++)
        {
            Thread.Sleep(attempt * 50);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(analyzed.IsAlive, "a compilation is still reachable after its analysis finished");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference Analyzed, int Reported) AnalyzeAndForget()
    {
        // The driver analyses a copy of the compilation (with its own event queue): the witness holds what the rules saw.
        var witness = new CompilationWitness();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = Compile(HugeMethod(20)).WithAnalyzers(AllAnalyzers.Create().Add(witness), options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return (witness.Seen!, diagnostics.Length);
    }

    private static async Task<List<string>> Diagnostics(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrent, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => $"{d.Location.GetLineSpan()} {d.Id} {d.GetMessage()}").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Remembers, weakly, the compilation the driver hands to the analyzers.</summary>
#pragma warning disable RS1036, RS1041, RS2008 // a test double, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CompilationWitness : DiagnosticAnalyzer
    {
        public WeakReference? Seen { get; private set; }

        // The driver skips an analyzer that can report nothing.
        private static readonly DiagnosticDescriptor Never = new("WITNESS", "Never reported", "Never reported", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationAction(end => Seen = new WeakReference(end.Compilation));
        }
    }
#pragma warning restore RS1036, RS1041, RS2008

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Driver", [CSharpSyntaxTree.ParseText(source)], Repository.References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
}
