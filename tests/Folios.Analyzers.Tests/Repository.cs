using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.Analyzers.Tests;

/// <summary>The checkout the tests run from (samples, docs and release-tracking files are read from it), and the
/// references a compilation of its code needs: this runtime's assemblies and Folios.Runtime.</summary>
internal static class Repository
{
    public static readonly string Root = Find();

    public static readonly ImmutableArray<MetadataReference> References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(PageAllocator).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    /// <summary>The C# files under a folder of the checkout, build output left out.</summary>
    public static IEnumerable<string> SourcesUnder(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    /// <summary>One file compiled alone (a library unless told) against <see cref="References"/>, unsafe code allowed.</summary>
    /// <summary>
    /// Declares every rule's vocabularies, as registering the rules does, for tests that read a compilation's places
    /// (<see cref="Folios.Analyzers.Engine.Relevance"/>) without running a rule first.
    /// </summary>
    public static void DeclareVocabularies()
    {
        foreach (var analyzer in AllAnalyzers.Create())
            analyzer.Initialize(new DiscardingContext());
    }

    public static (SyntaxTree Tree, CSharpCompilation Compilation, SemanticModel Model) Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        var compilation = CSharpCompilation.Create("Checked", [tree], References, new CSharpCompilationOptions(kind, allowUnsafe: true));
        return (tree, compilation, compilation.GetSemanticModel(tree));
    }

    /// <summary>The method <c>M</c> of a file that must compile without errors (a snippet wrapped by <see cref="Snippets"/>).</summary>
    public static (MethodDeclarationSyntax Method, CSharpCompilation Compilation, SemanticModel Model) MethodM(string source)
    {
        var (tree, compilation, model) = Compile(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "M"), compilation, model);
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Analyzers.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>An analysis context that takes a rule's registrations and keeps none of them.</summary>
    private sealed class DiscardingContext : Microsoft.CodeAnalysis.Diagnostics.AnalysisContext
    {
        public override void RegisterCompilationStartAction(Action<Microsoft.CodeAnalysis.Diagnostics.CompilationStartAnalysisContext> action) { }
        public override void RegisterCompilationAction(Action<Microsoft.CodeAnalysis.Diagnostics.CompilationAnalysisContext> action) { }
        public override void RegisterSemanticModelAction(Action<Microsoft.CodeAnalysis.Diagnostics.SemanticModelAnalysisContext> action) { }
        public override void RegisterSymbolAction(Action<Microsoft.CodeAnalysis.Diagnostics.SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) { }
        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<Microsoft.CodeAnalysis.Diagnostics.CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) { }
        public override void RegisterCodeBlockAction(Action<Microsoft.CodeAnalysis.Diagnostics.CodeBlockAnalysisContext> action) { }
        public override void RegisterSyntaxTreeAction(Action<Microsoft.CodeAnalysis.Diagnostics.SyntaxTreeAnalysisContext> action) { }
        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<Microsoft.CodeAnalysis.Diagnostics.SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) { }
        public override void ConfigureGeneratedCodeAnalysis(Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags analysisMode) { }
        public override void EnableConcurrentExecution() { }
    }
}
