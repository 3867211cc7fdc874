using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pages;

/// <summary>
/// Whose memory a span or memory value is. Every alias the rules follow for page memory is followed here, in one
/// place: conversions to read-only spans and memory (implicit or cast), locals assigned once (also when a lambda or
/// local function reads them), a folio's <c>Span</c> and <c>AsMemory()</c>, a memory's <c>Span</c>, and, when asked,
/// slices. FOLIO002 asks for the [RawPageAccess] member behind a folio; FOLIO008 asks whether an index is into page
/// memory at all.
/// </summary>
internal static class PageMemory
{
    private const int MaxDepth = 8;

    /// <summary>
    /// The value that owns the memory: a Folio or a PageMapping (the instance of its <c>Span</c> or <c>AsMemory()</c>),
    /// or a [RawPageAccess] member that returns memory itself; null for any other memory.
    /// </summary>
    public static IOperation? Owner(IOperation? value, FoliosTypes types, bool throughSlices)
    {
        for (int depth = 0; depth < MaxDepth && (value = UnwrapViews(value)) is not null; depth++)
        {
            switch (value)
            {
                case IPropertyReferenceOperation { Property.Name: Names.Folio.Span, Instance: { } owner } when IsOwner(owner.Type, types):
                    return owner;
                case IInvocationOperation { TargetMethod.Name: Names.Folio.AsMemory, Instance: { } owner } when IsOwner(owner.Type, types):
                    return owner;
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span, Instance: { } memory } when IsMemory(memory.Type):
                    value = memory;
                    break;
                case IPropertyReferenceOperation property when FoliosTypes.HasAttribute(property.Property, types.RawPageAccessAttribute):
                    return property;
                case IInvocationOperation call when FoliosTypes.HasAttribute(call.TargetMethod, types.RawPageAccessAttribute):
                    return call;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice, Instance: { } sliced } when throughSlices:
                    value = sliced;
                    break;
                case ILocalReferenceOperation local when IsView(local.Local.Type):
                    value = ConstantValues.SingleAssignedValue(local);
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The [RawPageAccess] member whose folio a span or memory value is the memory of (<c>GetFolio(i).Span</c>,
    /// <c>GetFolio(i).AsMemory()</c>, through the aliases above, slices not included: a slice is an access of its own),
    /// or null. A folio from anywhere else (an allocator's whole folio) is not raw page access.
    /// </summary>
    public static ISymbol? RawMemberOf(IOperation? value, FoliosTypes types)
    {
        if (Owner(value, types, throughSlices: false) is not { } owner || !SymbolEqualityComparer.Default.Equals(owner.Type, types.Folio))
            return null;
        return RawFolioSource(owner, types);
    }

    /// <summary>The [RawPageAccess] member a folio value comes from (<c>buffer.GetFolio(i)</c>, directly or through a local), or null.</summary>
    public static ISymbol? RawFolioSource(IOperation folio, FoliosTypes types)
    {
        var source = OperationShape.Unwrap(folio);
        if (source is ILocalReferenceOperation local)
            source = OperationShape.Unwrap(ConstantValues.SingleAssignedValue(local));
        ISymbol? member = source switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
        return member is not null && FoliosTypes.HasAttribute(member, types.RawPageAccessAttribute) ? member : null;
    }

    /// <summary>Whether the value is the memory of a folio, a mapping or a [RawPageAccess] member, sliced or not.</summary>
    public static bool IsPageMemory(IOperation? value, FoliosTypes types) => Owner(value, types, throughSlices: true) is not null;

    /// <summary>Whether the type is a span or a memory (read-only or not).</summary>
    public static bool IsView(ITypeSymbol? type) => FrameworkTypes.IsSpan(type) || IsMemory(type);

    /// <summary>Whether the type is <c>Memory&lt;T&gt;</c> or <c>ReadOnlyMemory&lt;T&gt;</c>.</summary>
    public static bool IsMemory(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: Names.Memory.TypeName or Names.Memory.ReadOnlyTypeName, ContainingNamespace.Name: Names.SystemNamespace, IsGenericType: true };

    /// <summary>
    /// The value under conversions between views (<c>Span</c> to <c>ReadOnlySpan</c>, <c>Memory</c> to
    /// <c>ReadOnlyMemory</c>, implicit or cast), parentheses and the other conversions <see cref="OperationShape.Unwrap"/> strips.
    /// </summary>
    public static IOperation? UnwrapViews(IOperation? value)
    {
        while (true)
        {
            value = OperationShape.Unwrap(value);
            if (value is IConversionOperation { Operand: { } operand } conversion && IsView(conversion.Type) && IsView(operand.Type))
                value = operand;
            else
                return value;
        }
    }

    private static bool IsOwner(ITypeSymbol? type, FoliosTypes types) =>
        SymbolEqualityComparer.Default.Equals(type, types.Folio) || SymbolEqualityComparer.Default.Equals(type, types.PageMapping);
}
