using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Folios.Analyzers.Tests;

/// <summary>Runs an analyzer (and a fix) over sources that reference Folios.Runtime, on .NET 8 reference assemblies.</summary>
public static class Verifier<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    private static readonly MetadataReference Runtime = MetadataReference.CreateFromFile(typeof(PageAllocator).Assembly.Location);

    /// <summary>System.IO.Pipelines for .NET 8, a package there (restored at build time and copied beside the tests).</summary>
    private static readonly MetadataReference Pipelines = MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "references", "System.IO.Pipelines.dll"));


    public static Task Analyze(string source, string? editorConfig = null, bool withRuntime = true, bool allowUnsafe = false)
    {
        var test = Create(source, editorConfig, withRuntime);
        if (allowUnsafe)
        {
            test.SolutionTransforms.Add((solution, projectId) =>
                solution.WithProjectCompilationOptions(projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        }
        return test.RunAsync();
    }

    /// <summary>Runs the analyzer over code that does not compile: it must not fail (AD0001) and may still report.</summary>
    public static Task AnalyzeIncomplete(string source)
    {
        var test = Create(source, null, withRuntime: true);
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        return test.RunAsync();
    }

    public static Task Fix(string source, string fixedSource, int actionIndex = 0, string? editorConfig = null)
    {
        var test = Create(source, editorConfig, withRuntime: true);
        test.FixedCode = fixedSource;
        test.CodeActionIndex = actionIndex;
        return test.RunAsync();
    }

    /// <summary>Applies the fix with the given equivalence key; when none is offered the code must stay as it is.</summary>
    public static Task FixWith(string equivalenceKey, string source, string fixedSource, string? editorConfig = null)
    {
        var test = Create(source, editorConfig, withRuntime: true);
        test.FixedCode = fixedSource;
        test.CodeActionEquivalenceKey = equivalenceKey;
        return test.RunAsync();
    }

    public static CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> Create(string source, string? editorConfig, bool withRuntime)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            // FOLIO003 has one descriptor per message; markup checks id and span, explicit results check messages.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.Add(Pipelines);
        if (withRuntime)
            test.TestState.AdditionalReferences.Add(Runtime);
        if (editorConfig is not null)
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
        return test;
    }
}
