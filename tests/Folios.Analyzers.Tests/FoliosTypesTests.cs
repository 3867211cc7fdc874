using Folios.Analyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The rules find the Folios API in the Folios.Runtime assembly only (a lookup by name across every reference costs
/// each project a search of the whole framework): the runtime's own project is analysed, a look-alike API is not.
/// The API's entry-point names are read once per runtime build and shared by later compilations.
/// </summary>
public class FoliosTypesTests
{
    private const string Api = """
        namespace Folios
        {
            [System.Flags]
            public enum AllocFlags { None = 0, NoFail = 1, NoWait = 2, NoRetry = 4, RetryMayFail = 8, NoWarn = 16 }

            public sealed class PageAllocator
            {
                public void Allocate(int order, AllocFlags flags) { }
            }
        }

        class User
        {
            void Grow(Folios.PageAllocator allocator) => allocator.Allocate(0, Folios.AllocFlags.NoFail | Folios.AllocFlags.NoWait);
        }
        """;

    [Theory]
    [InlineData("Folios.Runtime", "FOLIO005")]
    [InlineData("Folios.Lookalike", "")]
    public async Task The_API_counts_only_in_the_Folios_Runtime_assembly(string assemblyName, string expected)
    {
        var compilation = Compile(Api, assemblyName, FrameworkOnly);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers.Create()).GetAnalyzerDiagnosticsAsync();
        Assert.Equal(expected, string.Join(' ', diagnostics.Select(d => d.Id).Distinct().Order()));
    }

    [Fact]
    public void The_runtime_entry_points_are_read_once_per_runtime_build()
    {
        var first = Relevance.RuntimeNamesOf(FoliosTypes.TryCreate(Compile("class A { }", "First", Repository.References))!);
        var second = Relevance.RuntimeNamesOf(FoliosTypes.TryCreate(Compile("class B { }", "Second", Repository.References))!);
        Assert.Same(first, second);
        Assert.Contains("PageAllocator", first.Names);
        Assert.Contains("Map", first.Names);
        Assert.Contains("TryAllocate", first.Names);
        Assert.DoesNotContain("Dispose", first.Names);
        Assert.DoesNotContain("NoFail", first.Names);
        Assert.Contains("ReadByte", first.OffsetHelpers);
    }

    [Fact]
    public void A_runtime_compiled_from_source_is_read_for_each_compilation()
    {
        var first = Relevance.RuntimeNamesOf(FoliosTypes.TryCreate(Compile(Api, "Folios.Runtime", FrameworkOnly))!);
        var second = Relevance.RuntimeNamesOf(FoliosTypes.TryCreate(Compile(Api, "Folios.Runtime", FrameworkOnly))!);
        Assert.NotSame(first, second);
        Assert.Contains("Allocate", second.Names);
    }

    private static readonly List<MetadataReference> FrameworkOnly =
        Repository.References.Where(reference => !reference.Display!.EndsWith("Folios.Runtime.dll", StringComparison.Ordinal)).ToList();

    private static CSharpCompilation Compile(string source, string assemblyName, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
