using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The framework's buffer, sequence and decoding types, resolved once per compilation when a rule first needs them
/// (<see cref="CompilationFacts.Framework"/>). The rules that check them (FOLIO010 on) need nothing of Folios: every
/// .NET project that reads a pipe or rents a buffer holds its data in these.
/// </summary>
internal sealed class FrameworkTypes
{
    internal FrameworkTypes(Compilation compilation)
    {
        ReadOnlySequence = compilation.GetTypeByMetadataName(Names.ReadOnlySequence.FullName);
        SequenceReader = compilation.GetTypeByMetadataName(Names.SequenceReader.FullName);
        MemoryExtensions = compilation.GetTypeByMetadataName(Names.MemoryExtensions.FullName);
        BinaryPrimitives = compilation.GetTypeByMetadataName(Names.Decoders.BinaryPrimitivesFullName);
        MemoryMarshal = compilation.GetTypeByMetadataName(Names.Decoders.MemoryMarshalFullName);
        ArrayPool = compilation.GetTypeByMetadataName(Names.ArrayPool.FullName);
        MemoryPool = compilation.GetTypeByMetadataName(Names.MemoryPool.FullName);
        MemoryOwner = compilation.GetTypeByMetadataName(Names.MemoryOwner.FullName);
        ArraySegment = compilation.GetTypeByMetadataName(Names.ArrayViews.ArraySegmentFullName);
        PipeReader = compilation.GetTypeByMetadataName(Names.PipeReader.FullName);
        ReadResult = compilation.GetTypeByMetadataName(Names.ReadResult.FullName);
        BufferWriter = compilation.GetTypeByMetadataName(Names.BufferWriter.FullName);
        Enumerable = compilation.GetTypeByMetadataName(Names.DataReads.EnumerableFullName);
    }

    public INamedTypeSymbol? ReadOnlySequence { get; }
    public INamedTypeSymbol? SequenceReader { get; }
    public INamedTypeSymbol? MemoryExtensions { get; }
    public INamedTypeSymbol? BinaryPrimitives { get; }
    public INamedTypeSymbol? MemoryMarshal { get; }
    public INamedTypeSymbol? ArrayPool { get; }
    public INamedTypeSymbol? MemoryPool { get; }
    public INamedTypeSymbol? MemoryOwner { get; }
    public INamedTypeSymbol? ArraySegment { get; }
    public INamedTypeSymbol? PipeReader { get; }
    public INamedTypeSymbol? ReadResult { get; }
    public INamedTypeSymbol? BufferWriter { get; }
    public INamedTypeSymbol? Enumerable { get; }

    /// <summary>The types of a compilation; ReadOnlySequence is null when the compilation cannot see it at all.</summary>
    public static FrameworkTypes Of(Compilation compilation) => CompilationFacts.Of(compilation).Framework;

    public bool IsSequence(ITypeSymbol? type) => Is(type, ReadOnlySequence);

    public bool IsReader(ITypeSymbol? type) => Is(type, SequenceReader);

    public bool IsDecoder(IInvocationOperation call) =>
        Is(call.TargetMethod.ContainingType, BinaryPrimitives) || Is(call.TargetMethod.ContainingType, MemoryMarshal) || IsUnsafe(call.TargetMethod.ContainingType);

    /// <summary><c>System.Runtime.CompilerServices.Unsafe</c>, by name: it lives in several assemblies over the framework's history.</summary>
    public static bool IsUnsafe(ITypeSymbol? type) => type is { Name: Names.Decoders.UnsafeTypeName, ContainingNamespace.Name: Names.Decoders.UnsafeNamespace };

    /// <summary>Whether the type is <paramref name="pool"/> (ArrayPool&lt;T&gt;, MemoryPool&lt;T&gt;) or derives from it: a pool of the user's own is one too.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? pool)
    {
        for (; pool is not null && type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, pool))
                return true;
        }
        return false;
    }

    /// <summary>Whether the type is <c>IBufferWriter&lt;T&gt;</c> or implements it (PipeWriter, ArrayBufferWriter&lt;T&gt;, a writer of the user's own).</summary>
    public bool IsBufferWriter(ITypeSymbol? type)
    {
        if (BufferWriter is null || type is null)
            return false;
        if (Is(type, BufferWriter))
            return true;
        foreach (var implemented in type.AllInterfaces)
        {
            if (Is(implemented, BufferWriter))
                return true;
        }
        return false;
    }

    public bool IsSpanExtension(IInvocationOperation call) => Is(call.TargetMethod.ContainingType, MemoryExtensions);

    /// <summary>Whether the type is <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: Names.Span.TypeName or Names.Span.ReadOnlyTypeName, ContainingNamespace.Name: Names.SystemNamespace, IsGenericType: true };

    /// <summary>Whether the type is <c>Memory&lt;T&gt;</c> or <c>ReadOnlyMemory&lt;T&gt;</c>.</summary>
    public static bool IsMemoryType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: Names.Memory.TypeName or Names.Memory.ReadOnlyTypeName, ContainingNamespace.Name: Names.SystemNamespace, IsGenericType: true };

    public bool IsMemoryOwner(ITypeSymbol? type) => Is(type, MemoryOwner);

    public bool IsEnumerable(ITypeSymbol? type) => Is(type, Enumerable);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        definition is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);
}
