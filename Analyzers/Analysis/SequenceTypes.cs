using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// The framework's segmented-buffer types (System.Buffers, System.Memory), resolved once per compilation. FOLIO010
/// needs nothing of Folios: every .NET project that uses Pipelines holds its data in these.
/// </summary>
internal sealed class SequenceTypes
{
    private SequenceTypes(Compilation compilation)
    {
        ReadOnlySequence = compilation.GetTypeByMetadataName("System.Buffers.ReadOnlySequence`1");
        SequenceReader = compilation.GetTypeByMetadataName("System.Buffers.SequenceReader`1");
        ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
        MemoryExtensions = compilation.GetTypeByMetadataName("System.MemoryExtensions");
        BinaryPrimitives = compilation.GetTypeByMetadataName("System.Buffers.Binary.BinaryPrimitives");
        MemoryMarshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.MemoryMarshal");
    }

    public INamedTypeSymbol? ReadOnlySequence { get; }
    public INamedTypeSymbol? SequenceReader { get; }
    public INamedTypeSymbol? ReadOnlyMemory { get; }
    public INamedTypeSymbol? MemoryExtensions { get; }
    public INamedTypeSymbol? BinaryPrimitives { get; }
    public INamedTypeSymbol? MemoryMarshal { get; }

    /// <summary>The types of a compilation, or null when it cannot see ReadOnlySequence&lt;T&gt; at all.</summary>
    public static SequenceTypes? TryCreate(Compilation compilation)
    {
        var types = new SequenceTypes(compilation);
        return types.ReadOnlySequence is null ? null : types;
    }

    public bool IsSequence(ITypeSymbol? type) => Is(type, ReadOnlySequence);

    public bool IsReader(ITypeSymbol? type) => Is(type, SequenceReader);

    public bool IsMemory(ITypeSymbol? type) => Is(type, ReadOnlyMemory);

    public bool IsDecoder(IInvocationOperation call) =>
        Is(call.TargetMethod.ContainingType, BinaryPrimitives) || Is(call.TargetMethod.ContainingType, MemoryMarshal)
        || call.TargetMethod.ContainingType is { Name: "Unsafe", ContainingNamespace.Name: "CompilerServices" };

    public bool IsSpanExtension(IInvocationOperation call) => Is(call.TargetMethod.ContainingType, MemoryExtensions);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        definition is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);
}
