using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The rules find the Folios API in the Folios.Runtime assembly only (a lookup by name across every reference costs
/// each project a search of the whole framework): the runtime's own project is analysed, a look-alike API is not.
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
        var frameworkOnly = Repository.References.Where(reference => !reference.Display!.EndsWith("Folios.Runtime.dll", StringComparison.Ordinal));
        var compilation = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(Api)], frameworkOnly,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers.Create()).GetAnalyzerDiagnosticsAsync();
        Assert.Equal(expected, string.Join(' ', diagnostics.Select(d => d.Id).Distinct().Order()));
    }
}
