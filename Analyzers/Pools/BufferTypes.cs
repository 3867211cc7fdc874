using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Pools;

/// <summary>
/// The types a rented buffer travels as, by name (they live in several assemblies over the framework's history):
/// arrays, spans, memories, array segments and sequences, read-only or writable.
/// </summary>
internal static class BufferTypes
{
    /// <summary><c>ReadOnlySpan&lt;T&gt;</c>, <c>ReadOnlyMemory&lt;T&gt;</c>, <c>ReadOnlySequence&lt;T&gt;</c>: a callee that takes one only reads it.</summary>
    public static bool IsReadOnly(ITypeSymbol? type) => type is INamedTypeSymbol { IsGenericType: true } named
        && (InSystem(named) && named.Name is Names.Span.ReadOnlyTypeName or Names.Memory.ReadOnlyTypeName
            || named.Name == Names.Pools.ReadOnlySequenceTypeName && named.ContainingNamespace is { Name: Names.Pools.BuffersNamespace } space && InSystem(space));

    /// <summary><c>Span&lt;T&gt;</c>, <c>Memory&lt;T&gt;</c>: a callee that takes one may write it.</summary>
    public static bool IsWritable(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && InSystem(named) && named.Name is Names.Span.TypeName or Names.Memory.TypeName;

    /// <summary>A span or memory of either kind: what a view of an array is.</summary>
    public static bool IsSpanOrMemory(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && InSystem(named)
        && named.Name is Names.Span.TypeName or Names.Span.ReadOnlyTypeName or Names.Memory.TypeName or Names.Memory.ReadOnlyTypeName;

    /// <summary>A type whose constructor takes an array and makes a view of it: a span, a memory or an <c>ArraySegment&lt;T&gt;</c>.</summary>
    public static bool IsView(ITypeSymbol? type) => IsSpanOrMemory(type) || IsSegment(type);

    public static bool IsSegment(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true, Name: Names.ArrayViews.ArraySegmentTypeName } named && InSystem(named);

    /// <summary>A sequence of elements that a callee can only read: IEnumerable, IReadOnlyCollection, IReadOnlyList.</summary>
    public static bool IsReadOnlyCollection(ITypeSymbol? type) => type?.OriginalDefinition.SpecialType
        is SpecialType.System_Collections_Generic_IEnumerable_T or SpecialType.System_Collections_Generic_IReadOnlyCollection_T or SpecialType.System_Collections_Generic_IReadOnlyList_T;

    /// <summary>A type a rented buffer can be converted to and still be all of it.</summary>
    public static bool CanHold(ITypeSymbol? type) => type is IArrayTypeSymbol || IsView(type);

    public static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_UInt64;

    /// <summary>The element type of a buffer: an array's, or a span's, memory's or segment's type argument.</summary>
    public static ITypeSymbol? ElementOf(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0],
        _ => null,
    };

    private static bool InSystem(ISymbol symbol) =>
        symbol.ContainingNamespace is { Name: Names.SystemNamespace, ContainingNamespace.IsGlobalNamespace: true };
}
