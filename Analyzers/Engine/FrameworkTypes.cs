using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The framework's segmented-buffer and decoding types (System.Buffers, System.Memory), resolved once per compilation
/// and only when a rule first needs them: FOLIO010 when a file names a segment view, the Folios rules when a member
/// decodes page memory. FOLIO010 needs nothing of Folios: every .NET project that uses Pipelines holds its data in these.
/// </summary>
internal sealed class SequenceTypes
{
    private static readonly PerCompilation<SequenceTypes> Cache = new(compilation => new SequenceTypes(compilation));

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

    /// <summary>The types of a compilation; ReadOnlySequence is null when the compilation cannot see it at all.</summary>
    public static SequenceTypes Of(Compilation compilation) => Cache.Of(compilation);

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
