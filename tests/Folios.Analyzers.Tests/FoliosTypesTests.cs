using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The rules find the Folios API in the Folios.Runtime assembly only (a lookup by name across every reference costs
/// each project a search of the whole framework): the runtime's own project is analysed, a look-alike API is not.
/// The API's entry points are read from the runtime, from the wrappers the compilation declares, and from the public
/// wrappers of referenced assemblies built against the runtime.
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
    public void The_runtime_entry_points_are_its_types_and_its_contract_members()
    {
        var entryPoints = FoliosTypes.Of(Compile("class A { }", "First", Repository.References))!.EntryPoints;
        Assert.Contains("PageAllocator", entryPoints.ApiWords);
        Assert.Contains("Map", entryPoints.ApiWords);
        Assert.Contains("TryAllocate", entryPoints.ApiWords);
        Assert.DoesNotContain("Dispose", entryPoints.ApiWords);
        Assert.DoesNotContain("NoFail", entryPoints.ApiWords);
        Assert.Contains("ReadByte", entryPoints.OffsetHelperWords);
    }

    /// <summary>The runtime's own project: its entry points come from its source, with every method its text marks as a wrapper.</summary>
    [Fact]
    public void A_runtime_compiled_from_source_is_read_from_its_source()
    {
        var compiled = FoliosTypes.Of(Compile("class A { }", "User", [.. FrameworkOnly, MetadataReference.CreateFromImage(EmitShapes())]))!.EntryPoints;
        var source = FoliosTypes.Of(Compile(Shapes, "Folios.Runtime", FrameworkOnly))!.EntryPoints;
        Assert.Superset(compiled.ApiWords.ToHashSet(), source.ApiWords.ToHashSet());
        Assert.Contains("HiddenMap", source.ApiWords); // [MapsPages] in the text: internal, yet the project calls it
        Assert.Equal(compiled.OffsetHelperWords.Order(), source.OffsetHelperWords.Order());
    }

    private const string Shapes = """
        namespace Folios
        {
            [System.Flags]
            public enum AllocFlags { None = 0, NoFail = 1 }
            public sealed class MapsPagesAttribute : System.Attribute { }
            public sealed class UnmapsPagesAttribute : System.Attribute { }
            public sealed class RawPageAccessAttribute : System.Attribute { }
            public sealed class PageOrderAttribute : System.Attribute { }
            public sealed class AllocationSizeAttribute : System.Attribute { }

            public sealed class PageAllocator
            {
                public void TakesFlags(int order, AllocFlags flags) { }
                public void TakesFlagsByRef(ref AllocFlags flags) { }
                public void TakesFlagsIn(in AllocFlags flags) { }
                public void TakesNullableFlags(AllocFlags? flags) { }
                public void Ordered([PageOrder] int order) { }
                public void Sized([AllocationSize] long bytes) { }
                [MapsPages] public object Map() => null;
                [UnmapsPages] public void Unmap(object mapping) { }
                [return: MapsPages] public object MarkedReturn() => null;
                [RawPageAccess] public System.Span<byte> Raw => default;
                [RawPageAccess] public byte this[int index] => 0;
                [RawPageAccess] internal System.Span<byte> Hidden => default;
                [MapsPages] internal object HiddenMap() => null;
                public AllocFlags Flags { get; set; }
                public T Generic<T>(T value, AllocFlags flags) => value;
                public void Dispose(AllocFlags flags) { }
                public PageAllocator(AllocFlags flags) { }
                public void Plain(int order) { }
            }

            public sealed class ExtentBuffer
            {
                public byte ReadByte(long offset) => 0;
                public void Clear(long start, long length) { }
                public void Resize(int count) { }
            }

            public class Holder<T> { public void Hold(T item, AllocFlags flags) { } }
            internal sealed class Internal { public void Reach(AllocFlags flags) { } }
            public delegate void Callback(AllocFlags flags);
            public sealed class Failure : System.InvalidOperationException { public void Retry(AllocFlags flags) { } }
            public sealed class Failed : System.EventArgs { public void Again(AllocFlags flags) { } }
        }
        """;

    /// <summary>Every shape an entry point can take, and the members that are not entry points, read from a compiled runtime and from its source.</summary>
    [Fact]
    public void Every_shape_of_entry_point_is_read()
    {
        var entryPoints = FoliosTypes.Of(Compile("class A { }", "User", [.. FrameworkOnly, MetadataReference.CreateFromImage(EmitShapes())]))!.EntryPoints;
        Assert.Equal(
            new[] { "TakesFlags", "TakesFlagsByRef", "TakesFlagsIn", "Ordered", "Sized", "Map", "Unmap", "Raw", "set_Flags", "Generic", "Hold", "Reach", ".ctor" }.Order(StringComparer.Ordinal),
            entryPoints.ApiWords.Order(StringComparer.Ordinal).Except(["AllocFlags", "MapsPagesAttribute", "UnmapsPagesAttribute", "RawPageAccessAttribute", "PageOrderAttribute", "AllocationSizeAttribute",
                "PageAllocator", "ExtentBuffer", "Holder", "Internal", "Callback", "Failure", "Failed"]));
        Assert.Equal(["Clear", "ReadByte"], entryPoints.OffsetHelperWords.Order());
    }

    private const string Wrappers = """
        namespace Storage
        {
            public static class Views
            {
                [Folios.MapsPages]
                public static Folios.PageMapping MapNode(Folios.ExtentBuffer buffer) => buffer.Map();

                public static Folios.Folio Take(Folios.PageAllocator allocator, Folios.AllocFlags flags) => allocator.Allocate(0, flags);

                public static int Plain(int value) => value;
            }

            public sealed class Node(Folios.ExtentBuffer buffer)
            {
                public Folios.ExtentBuffer Buffer { get; } = buffer;
            }

            internal static class Hidden
            {
                [Folios.MapsPages]
                public static Folios.PageMapping MapHidden(Folios.ExtentBuffer buffer) => buffer.Map();
            }
        }
        """;

    /// <summary>A wrapper in another assembly, called through <c>var</c>, names nothing of Folios in the caller's text but its own name.</summary>
    [Fact]
    public void The_public_wrappers_of_a_referenced_assembly_built_against_the_runtime_are_entry_points()
    {
        using var image = new MemoryStream();
        Assert.True(Compile(Wrappers, "Storage", Repository.References).Emit(image).Success);
        var user = Compile("class A { }", "User", [.. Repository.References, MetadataReference.CreateFromImage(image.ToArray())]);
        var words = FoliosTypes.Of(user)!.EntryPoints.ApiWords;
        Assert.Contains("MapNode", words);
        Assert.Contains("Take", words);
        Assert.DoesNotContain("Plain", words);
        Assert.DoesNotContain("MapHidden", words);
    }

    [Fact]
    public async Task A_leak_through_a_wrapper_of_a_referenced_assembly_called_through_var_is_reported()
    {
        using var image = new MemoryStream();
        Assert.True(Compile(Wrappers, "Storage", Repository.References).Emit(image).Success);
        var user = Compile("""
            class Reader
            {
                int First(Storage.Node node)
                {
                    var view = Storage.Views.MapNode(node.Buffer);
                    return view.Span[0];
                }
            }
            """, "User", [.. Repository.References, MetadataReference.CreateFromImage(image.ToArray())]);
        var diagnostics = await user.WithAnalyzers([new Folios.Analyzers.Rules.MappingLifetimeAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.Equal("FOLIO003", Assert.Single(diagnostics).Id);
    }

    private static byte[] EmitShapes()
    {
        using var image = new MemoryStream();
        Assert.True(Compile(Shapes, "Folios.Runtime", FrameworkOnly).Emit(image).Success);
        return image.ToArray();
    }

    private static readonly List<MetadataReference> FrameworkOnly =
        Repository.References.Where(reference => !reference.Display!.EndsWith("Folios.Runtime.dll", StringComparison.Ordinal)).ToList();

    private static CSharpCompilation Compile(string source, string assemblyName, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
