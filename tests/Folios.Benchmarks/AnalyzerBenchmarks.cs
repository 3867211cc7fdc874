using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Benchmarks;

/// <summary>
/// What the rules add to a build: a generated project of 200 files that use Folios everywhere (allocations,
/// page spans, mappings with try/finally and early returns), compiled alone and compiled with each analyzer.
/// </summary>
public class AnalyzerBenchmarks
{
    private const int Files = 200;
    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;
    private CSharpCompilation _compilation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trees = Enumerable.Range(0, Files).Select(i => CSharpSyntaxTree.ParseText(AnalyzerCorpus.Heavy(i), path: $"File{i}.cs")).ToImmutableArray();
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        _references = platform.Append(typeof(PageAllocator).Assembly.Location).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        NewCompilation();
        // The numbers mean something only if the project compiles and every rule finds its cases in every file.
        var errors = _compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("The generated project does not compile: " + errors[0]);
        var found = Run(AllRules()).GetAwaiter().GetResult();
        Console.WriteLine($"// analyzer diagnostics over {Files} files: {string.Join(", ", found)}");
    }

    // A fresh compilation each time, so every run binds from scratch as a build does.
    [IterationSetup]
    public void NewCompilation() =>
        _compilation = CSharpCompilation.Create("Generated", _trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

    [Benchmark(Baseline = true)]
    public int CompilerOnly() => _compilation.GetDiagnostics().Length;

    /// <summary>The analyzer driver and operation trees alone: what any operation-based rule pays before doing anything.</summary>
    [Benchmark]
    public async Task<int> WithEmptyOperationAnalyzer() => (await Run(new EmptyOperationAnalyzer())).Count;

    [Benchmark]
    public async Task<int> WithFOLIO001() => (await Run(new NoFailOrderAnalyzer())).Count;

    [Benchmark]
    public async Task<int> WithFOLIO002() => (await Run(new RawPageAccessAnalyzer())).Count;

    [Benchmark]
    public async Task<int> WithFOLIO003() => (await Run(new MappingLifetimeAnalyzer())).Count;

    [Benchmark]
    public async Task<int> WithAllRules() => (await Run(AllRules())).Count;

    private static DiagnosticAnalyzer[] AllRules() =>
        typeof(NoFailOrderAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToArray();

    /// <summary>Compiler and analyzer diagnostics, counted per id.</summary>
    private async Task<IReadOnlyCollection<string>> Run(params DiagnosticAnalyzer[] analyzers)
    {
        var withAnalyzers = _compilation.WithAnalyzers(analyzers.ToImmutableArray());
        var all = await withAnalyzers.GetAllDiagnosticsAsync().ConfigureAwait(false);
        return all.GroupBy(d => d.Id).Select(g => $"{g.Key}={g.Count()}").ToList();
    }

    // A measuring stick that never ships: the rules for shipped analyzers (target, release tracking) do not apply.
#pragma warning disable RS1041, RS1036, RS2008
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Nothing = new("EMPTY", "Nothing", "Nothing", "None", DiagnosticSeverity.Hidden, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Nothing];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => { }, OperationKind.Invocation, OperationKind.MethodBody);
        }
    }
#pragma warning restore RS1041, RS1036, RS2008
}
