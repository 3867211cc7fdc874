using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>How many bytes a decoder touches, and what an index counted from the end looks like: FOLIO002, FOLIO010 and their fixes ask the same.</summary>
internal static class ValueSizes
{
    /// <summary>
    /// From the name (<c>ReadInt32LittleEndian</c>: 4) or, for <c>Read&lt;T&gt;</c>-style methods, a primitive type
    /// argument; null when the size is not fixed (a struct, or Cast and friends that reinterpret the whole span).
    /// </summary>
    public static int? Decoded(IMethodSymbol method)
    {
        if (FromName(method.Name) is { } named)
            return named;
        return method.TypeArguments.Length > 0 && method.Name is Names.Decoders.Read or Names.Decoders.Write or Names.Decoders.AsRef or Names.Decoders.TryRead or Names.Decoders.TryWrite
                or Names.Decoders.ReadUnaligned or Names.Decoders.WriteUnaligned or Names.Decoders.As
            ? ConstantValues.SizeOfPrimitive(method.TypeArguments[method.TypeArguments.Length - 1])
            : null;
    }

    /// <summary>The size a BinaryPrimitives-style name states (Int16, Half: 2; Int32, Single: 4; Int64, Double: 8; Int128: 16).</summary>
    public static int? FromName(string name)
    {
        if (name.Contains(Names.SizedTypeNames.Int128))
            return 16;
        if (name.Contains(Names.SizedTypeNames.Int16) || name.Contains(Names.SizedTypeNames.Half))
            return 2;
        if (name.Contains(Names.SizedTypeNames.Int32) || name.Contains(Names.SizedTypeNames.Single))
            return 4;
        if (name.Contains(Names.SizedTypeNames.Int64) || name.Contains(Names.SizedTypeNames.Double))
            return 8;
        return null;
    }

    /// <summary><c>^n</c>: counted from the end of the span, which for a folio or a segment is not the end of the data.</summary>
    public static bool IsFromEnd(IOperation? index) =>
        OperationShape.Unwrap(index) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat };
}
