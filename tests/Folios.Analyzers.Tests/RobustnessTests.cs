using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>
/// No analyzer may throw on any input: an exception becomes AD0001 and the rule silently disappears. The samples
/// are cut short and have pieces cut out at many points, the way code looks while it is typed, and every rule
/// runs over each version.
/// </summary>
public class RobustnessTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = AllAnalyzers.Create();

    [Theory]
    [InlineData("Samples/Misuse/Program.cs", "FOLIO001 FOLIO002 FOLIO003 FOLIO004 FOLIO005 FOLIO006 FOLIO007 FOLIO008 FOLIO010 FOLIO011 FOLIO012 FOLIO013 FOLIO014 FOLIO015 FOLIO016")]
    [InlineData("Samples/NodeStore/Program.cs", "")]
    public async Task No_rule_throws_on_any_prefix_or_any_cut_of_a_sample(string sample, string expectedRules)
    {
        string source = await File.ReadAllTextAsync(Path.Combine(Repository.Root, sample.Replace('/', Path.DirectorySeparatorChar)));
        var versions = new List<string>();
        for (int end = 0; end <= source.Length; end += 29)
            versions.Add(source[..end]);
        for (int start = 0; start < source.Length; start += 41)
            versions.Add(source.Remove(start, Math.Min(7 + start % 23, source.Length - start)));

        var failures = new List<string>();
        foreach (var version in versions)
        {
            var found = await ExceptionsAsync(version, Analyzers);
            failures.AddRange(found.Select(f => $"{f}\n--- on this source ---\n{version}"));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} analyzer exception(s); the first:\n{failures.FirstOrDefault()}");
        // The whole sample must be analysed for real (every rule registered its actions and found what it should),
        // or the loop above proves nothing.
        var whole = Compile(source).WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, false, logAnalyzerExecutionTime: true));
        var reported = (await whole.GetAnalyzerDiagnosticsAsync()).Select(d => d.Id).Distinct().Order();
        Assert.Equal(expectedRules, string.Join(' ', reported));
        foreach (var analyzer in Analyzers)
        {
            var telemetry = await whole.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            Assert.True(telemetry.CodeBlockActionsCount + telemetry.SemanticModelActionsCount > 0, $"{analyzer.GetType().Name} registered nothing.");
        }
    }

    /// <summary>
    /// Seeded mutants of the samples and of every snippet the rule tests use: token ranges deleted, truncations,
    /// statements swapped and duplicated, braces unbalanced, stray <c>await ? ! ref</c> inserted. 1,000 in CI;
    /// <c>FOLIOS_MUTANTS=10000 dotnet test --filter No_rule_throws_or_stalls</c> for the full run. A variant whose
    /// analysis takes over 30 s fails as a stall: a hang or a blow-up, not a speed goal (the rules take milliseconds on
    /// such code; a loaded machine may take seconds).
    /// </summary>
    [Fact]
    public async Task No_rule_throws_or_stalls_on_thousands_of_broken_variants()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("FOLIOS_MUTANTS"), out int wanted) ? wanted : 1000;
        var origins = MutantOrigins();
        var random = new Random(20261127);
        var failures = new List<string>();
        var slowest = (Time: TimeSpan.Zero, Source: "");
        for (int i = 0; i < count && failures.Count < 5; i++)
        {
            string mutant = Mutants.Mutate(origins[random.Next(origins.Count)], random);
            var compilation = Compile(mutant);
            compilation.GetDiagnostics(); // bind first, so the clock below sees the analyzers
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var found = await ExceptionsAsync(compilation, Analyzers);
            var time = clock.Elapsed;
            failures.AddRange(found.Select(f => $"{f}\n--- on this source ---\n{mutant}"));
            if (time > slowest.Time)
                slowest = (time, mutant);
        }
        Assert.True(failures.Count == 0, $"analyzer exception(s); the first:\n{failures.FirstOrDefault()}");
        Assert.True(slowest.Time < TimeSpan.FromSeconds(30), $"a variant took {slowest.Time.TotalSeconds:F1} s to analyse:\n{slowest.Source}");
        Assert.True(origins.Count > 300, $"only {origins.Count} sources to mutate");
    }

    /// <summary>The samples, and each InlineData snippet of the rule tests wrapped as its tests wrap it (markup removed).</summary>
    internal static List<string> MutantOrigins()
    {
        var origins = new List<string>
        {
            File.ReadAllText(Path.Combine(Repository.Root, "Samples", "Misuse", "Program.cs")),
            File.ReadAllText(Path.Combine(Repository.Root, "Samples", "NodeStore", "Program.cs")),
        };
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "tests", "Folios.Analyzers.Tests", "Rules"), "*Tests.cs"))
        {
            string tests = Path.GetFileNameWithoutExtension(file);
            if (tests.EndsWith("FixerTests", StringComparison.Ordinal))
                continue;
            // A snippet is an InlineData argument or an entry of a TheoryData list (a string literal alone on its line).
            foreach (System.Text.RegularExpressions.Match snippet in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file),
                @"InlineData\(""((?:[^""\\]|\\.)*)""\)|^\s*""((?:[^""\\]|\\.)*)"",\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
            {
                string literal = snippet.Groups[1].Success ? snippet.Groups[1].Value : snippet.Groups[2].Value;
                string body = System.Text.RegularExpressions.Regex.Replace(literal.Replace("\\\"", "\"").Replace("\\\\", "\\"), @"\{\|[#\w]+:|\|\}", "");
                // Each snippet in the wrapper its tests use: FOLIO010's are sequence parsers (a ReadOnlySequence in
                // scope), the pool rules' rent from pools (no Folios needed), the pipe rules' read from pipes.
                origins.Add(tests switch
                {
                    _ when tests.StartsWith("FirstSegmentAccess", StringComparison.Ordinal) => Rules.FirstSegmentAccessAnalyzerTests.InMethod(body),
                    _ when tests.StartsWith("PooledBufferMisuse", StringComparison.Ordinal) || tests.StartsWith("RentedArrayLeak", StringComparison.Ordinal) => Snippets.WithPools(body),
                    _ when tests.StartsWith("ReadBufferAfter", StringComparison.Ordinal) || tests.StartsWith("ReadNotAdvanced", StringComparison.Ordinal) => Snippets.WithPipes(body),
                    _ when tests.StartsWith("WriterSpanPastHint", StringComparison.Ordinal) => Snippets.WithWriters(body),
                    _ => Snippets.InMethod(body, "static void Work() { }"),
                });
            }
        }
        return origins;
    }

    [Fact]
    public async Task The_check_catches_an_analyzer_that_throws()
    {
        var exceptions = await ExceptionsAsync("class C { void M() { M(); } }", [new ThrowingAnalyzer()]);
        Assert.Contains(exceptions, e => e.Contains("thrown on purpose", StringComparison.Ordinal));
    }

    private static Task<List<string>> ExceptionsAsync(string source, ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        ExceptionsAsync(Compile(source), analyzers);

    private static async Task<List<string>> ExceptionsAsync(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (exception, analyzer, _) => { lock (exceptions) exceptions.Add($"{analyzer.GetType().Name}: {exception}"); },
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));
        return exceptions;
    }

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Sample",
        [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
        Repository.References,
        new CSharpCompilationOptions(OutputKind.ConsoleApplication, allowUnsafe: true));

#pragma warning disable RS1036, RS1041, RS2008 // a test double, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new("THROW", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Never];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => throw new InvalidOperationException("thrown on purpose"), OperationKind.Invocation);
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
