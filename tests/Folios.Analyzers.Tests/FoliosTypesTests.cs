using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Folios.Analyzers.Engine;
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
        var first = RuntimeNames.Of(FoliosTypes.TryCreate(Compile("class A { }", "First", Repository.References))!);
        var second = RuntimeNames.Of(FoliosTypes.TryCreate(Compile("class B { }", "Second", Repository.References))!);
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
        var first = RuntimeNames.Of(FoliosTypes.TryCreate(Compile(Api, "Folios.Runtime", FrameworkOnly))!);
        var second = RuntimeNames.Of(FoliosTypes.TryCreate(Compile(Api, "Folios.Runtime", FrameworkOnly))!);
        Assert.NotSame(first, second);
        Assert.Contains("Allocate", second.Names);
    }

    [Fact]
    public void The_metadata_reading_of_the_runtime_agrees_with_its_symbols()
    {
        var types = FoliosTypes.TryCreate(Compile("class A { }", "Reader", Repository.References))!;
        var fromMetadata = RuntimeNames.Of(types);
        var fromSymbols = RuntimeNames.FromSymbols(types);
        Assert.NotSame(fromMetadata, fromSymbols);
        Assert.Equal(fromSymbols.Names.Order(), fromMetadata.Names.Order());
        Assert.Equal(fromSymbols.OffsetHelpers.Order(), fromMetadata.OffsetHelpers.Order());
        Assert.Contains("Unmap", fromMetadata.Names);
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

    /// <summary>Every shape an entry point can take, and the members that are not entry points, read both ways from a compiled runtime.</summary>
    [Fact]
    public void The_metadata_reading_agrees_with_the_symbols_on_every_shape_of_entry_point()
    {
        var types = FoliosTypes.TryCreate(Compile("class A { }", "User", [.. FrameworkOnly, MetadataReference.CreateFromImage(EmitShapes())]))!;
        var fromMetadata = RuntimeNames.Of(types);
        var fromSymbols = RuntimeNames.FromSymbols(types);
        Assert.Equal(fromSymbols.Names.Order(), fromMetadata.Names.Order());
        Assert.Equal(fromSymbols.OffsetHelpers.Order(), fromMetadata.OffsetHelpers.Order());
        Assert.Equal(
            new[] { "TakesFlags", "TakesFlagsByRef", "TakesFlagsIn", "Ordered", "Sized", "Map", "Unmap", "Raw", "set_Flags", "Generic", "Hold", "Reach", ".ctor" }.Order(StringComparer.Ordinal),
            fromMetadata.Names.Order(StringComparer.Ordinal).Except(["AllocFlags", "MapsPagesAttribute", "UnmapsPagesAttribute", "RawPageAccessAttribute", "PageOrderAttribute", "AllocationSizeAttribute",
                "PageAllocator", "ExtentBuffer", "Holder", "Internal", "Callback", "Failure", "Failed"]));
        Assert.Equal(["Clear", "ReadByte"], fromMetadata.OffsetHelpers.Order());
    }

    /// <summary>A signature the metadata reader cannot decode makes the names come from the symbols, not an AD0001.</summary>
    [Fact]
    public void A_runtime_with_a_malformed_signature_is_read_from_its_symbols()
    {
        byte[] image = EmitShapes();
        using (var pe = new PEReader(ImmutableArray.Create(image)))
        {
            var reader = pe.GetMetadataReader();
            var method = reader.MethodDefinitions.Select(reader.GetMethodDefinition).Single(m => reader.GetString(m.Name) == "TakesFlags");
            int blob = pe.PEHeaders.MetadataStartOffset + reader.GetHeapMetadataOffset(HeapIndex.Blob) + MetadataTokens.GetHeapOffset(method.Signature);
            Assert.True(image[blob] < 0x80); // a one-byte length, then the signature's header
            image[blob + 1] = 0xFF; // no signature kind has this header
        }
        var types = FoliosTypes.TryCreate(Compile("class A { }", "User", [.. FrameworkOnly, MetadataReference.CreateFromImage(image)]))!;
        var names = RuntimeNames.Of(types);
        Assert.Equal(RuntimeNames.FromSymbols(types).Names.Order(), names.Names.Order());
        Assert.Contains("Map", names.Names);
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
