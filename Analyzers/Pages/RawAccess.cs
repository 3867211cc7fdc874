using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pages;

/// <summary>
/// Follows a raw folio span through slicing to the operation that touches memory, tracking the byte range
/// touched when it is constant: a constant range inside the page is provably inside the folio.
/// </summary>
internal sealed class RawAccess
{
    private RawAccess(IOperation node, bool staysInsideFolio, string helper)
    {
        Node = node;
        StaysInsideFolio = staysInsideFolio;
        Helper = helper;
    }

    /// <summary>The outermost operation of the access: the one to report and rewrite.</summary>
    public IOperation Node { get; }

    public bool StaysInsideFolio { get; }

    /// <summary>The ExtentBuffer helpers that do the same safely.</summary>
    public string Helper { get; }

    /// <summary>The access that a raw span reaches, or null when the span is only passed along whole.</summary>
    public static RawAccess? Follow(IOperation span, FoliosTypes types, int pageSize)
    {
        // The touched range relative to the folio start; End == null means "to the end of the span".
        long? start = 0, end = null;
        bool sliced = false;
        // The one slice of the whole folio (its offset and length), for a guard on the folio's own length.
        IOperation? window = null, windowLength = null;
        int slices = 0;
        var current = span;
        while (true)
        {
            current = OperationShape.Outermost(current);
            var parent = current.Parent;
            switch (parent)
            {
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice when slice.Instance == current:
                    sliced = true;
                    var offset = slice.Arguments.Length > 0 ? slice.Arguments[0].Value : null;
                    var length = slice.Arguments.Length > 1 ? slice.Arguments[1].Value : null;
                    if (slices++ == 0)
                        (window, windowLength) = (offset, length);
                    (start, end) = Narrow(start, end, offset, length);
                    current = slice;
                    continue;
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span } memorySpan when memorySpan.Instance == current && PageMemory.IsMemory(current.Type):
                    current = memorySpan;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == current:
                    var (index, _) = Narrow(start, end, indexer.Arguments[0].Value, null);
                    // An element passed by reference to Unsafe reads or writes a whole T from there.
                    if (ByRefToUnsafe(indexer) is { } unsafeCall)
                        return new RawAccess(unsafeCall, index is { } from && from + ScalarSize(unsafeCall) <= pageSize
                            || IndexBoundedByOwnLength(unsafeCall, indexer, ScalarSize(unsafeCall), slices, window, span, types), HelperFor(unsafeCall));
                    return new RawAccess(indexer, index is { } at && at < pageSize || IndexBoundedByOwnLength(indexer, indexer, 1, slices, window, span, types), ByteHelpers);
                case IImplicitIndexerReferenceOperation fromEndOrRange when fromEndOrRange.Instance == current:
                    // span[^4] and span[a..b]: the end of the first folio is not the end of the buffer, so an index
                    // from the end is never proven; a range of constants from the start is narrowed like Slice.
                    if (OperationShape.Unwrap(fromEndOrRange.Argument) is not IRangeOperation range)
                        return new RawAccess(fromEndOrRange, false, ByteHelpers);
                    sliced = true;
                    (start, end) = NarrowRange(start, range);
                    current = fromEndOrRange;
                    continue;
                case IIsPatternOperation test when test.Value == current:
                    return ListPatternRead([test.Pattern], start, pageSize) ?? Leave(current);
                case ISwitchExpressionOperation choice when choice.Value == current:
                    return ListPatternRead(choice.Arms.Select(arm => arm.Pattern), start, pageSize) ?? Leave(current);
                case ISwitchOperation choice when choice.Value == current:
                    return ListPatternRead(choice.Cases.SelectMany(@case => @case.Clauses).OfType<IPatternCaseClauseOperation>().Select(clause => clause.Pattern), start, pageSize)
                        ?? Leave(current);
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call && ReadsItsSpan(call, argument, types):
                    return new RawAccess(call, false, AnyHelper);
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call && types.Framework.IsDecoder(call):
                    long size = ScalarSize(call);
                    bool inside = start is { } first && first >= 0 && (end ?? first + size) <= pageSize && first + size <= pageSize;
                    return new RawAccess(call, inside || slices == 1 && window is not null && OwnLength.Bounds(call, window, size, span, types), HelperFor(call));
                case IInvocationOperation { TargetMethod.Name: Names.Span.CopyTo or Names.Span.TryCopyTo } copy when copy.Instance == current:
                    return new RawAccess(copy, !sliced || IsInside(start, end, pageSize) || WindowBoundedByOwnLength(copy, slices, window, windowLength, span, types), Names.ExtentBuffer.Read);
                case IArgumentOperation argument when argument.Parent is IInvocationOperation { TargetMethod.Name: Names.Span.CopyTo or Names.Span.TryCopyTo } copy:
                    return new RawAccess(copy, !sliced || IsInside(start, end, pageSize) || WindowBoundedByOwnLength(copy, slices, window, windowLength, span, types), Names.ExtentBuffer.Write);
                default:
                    // Pinned as a pointer: nothing bounds what is read through it to the folio.
                    if (current.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.EqualsValueClauseSyntax { Parent.Parent.Parent: Microsoft.CodeAnalysis.CSharp.Syntax.FixedStatementSyntax })
                        return new RawAccess(current, false, AnyHelper);
                    return Leave(current);
            }
        }

        // The span leaves whole or partly sliced: a non-constant slice is itself the risky access.
        RawAccess? Leave(IOperation at) =>
            sliced ? new RawAccess(at, IsInside(start, end, pageSize) || WindowBoundedByOwnLength(at, slices, window, windowLength, span, types), CopyHelpers) : null;
    }

    /// <summary>
    /// An element of the whole folio at an index its own length bounds (<c>page[j]</c> under <c>j &lt; page.Length</c>),
    /// or at a constant index into its one slice (<c>page.Slice(o)[3]</c> under <c>o + 4 &lt;= page.Length</c>).
    /// </summary>
    private static bool IndexBoundedByOwnLength(IOperation access, IPropertyReferenceOperation element, long bytes, int slices, IOperation? window, IOperation span, FoliosTypes types)
    {
        var index = element.Arguments[0].Value;
        if (slices == 0)
            return OwnLength.Bounds(access, index, bytes, span, types);
        return slices == 1 && window is not null && ConstantValues.TryGetInt64(index, out long at) && at >= 0 && OwnLength.Bounds(access, window, at + bytes, span, types);
    }

    /// <summary>
    /// The one slice of the folio, to its end or of a constant length, bounded by its own length
    /// (<c>page.Slice(o, 8)</c> under <c>o + 8 &lt;= page.Length</c>).
    /// </summary>
    private static bool WindowBoundedByOwnLength(IOperation access, int slices, IOperation? window, IOperation? windowLength, IOperation span, FoliosTypes types)
    {
        long bytes = 0;
        return slices == 1 && window is not null && (windowLength is null || ConstantValues.TryGetInt64(windowLength, out bytes) && bytes >= 0)
            && OwnLength.Bounds(access, window, bytes, span, types);
    }

    /// <summary>
    /// Whether the code at <paramref name="at"/> is inside a [PageHelper]: its innermost local function or lambda
    /// (the attribute is allowed on both), a function around it, the member, or a type around that.
    /// </summary>
    public static bool IsInsidePageHelper(IOperation at, ISymbol? member, FoliosTypes types)
    {
        for (var parent = at.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILocalFunctionOperation function:
                    return types.IsInsidePageHelper(function.Symbol);
                case IAnonymousFunctionOperation lambda:
                    return types.IsInsidePageHelper(lambda.Symbol);
            }
        }
        return types.IsInsidePageHelper(member);
    }

    /// <summary>
    /// A list pattern matched against the span reads its elements: those before a slice (<c>..</c>) at constant
    /// indexes from the start, which are proven inside the folio like <c>span[3]</c>; those after it, or inside a
    /// slice's own list pattern, from the end, which for a folio is never the end of the buffer (<c>[.., 0x55, 0xAA]</c>
    /// checks the last bytes of the first page). Only the patterns that test the span itself count, through
    /// <c>and</c>, <c>or</c>, <c>not</c> and parentheses; a property pattern (<c>{ Length: 8 }</c>) reads no element.
    /// </summary>
    private static RawAccess? ListPatternRead(IEnumerable<IPatternOperation> patterns, long? start, int pageSize)
    {
        RawAccess? inside = null;
        foreach (var list in patterns.SelectMany(TopLevelLists))
        {
            int slice = 0;
            while (slice < list.Patterns.Length && list.Patterns[slice] is not ISlicePatternOperation)
                slice++;
            if (slice == list.Patterns.Length)
                slice = -1;
            int leading = slice < 0 ? list.Patterns.Length : slice;
            bool fromEnd = slice >= 0 && (slice < list.Patterns.Length - 1 || ((ISlicePatternOperation)list.Patterns[slice]).Pattern is IListPatternOperation);
            var access = new RawAccess(list, !fromEnd && start is { } first && first >= 0 && first + leading <= pageSize, ListHelpers);
            if (!access.StaysInsideFolio)
                return access;
            inside ??= access;
        }
        return inside;
    }

    private static IEnumerable<IListPatternOperation> TopLevelLists(IPatternOperation pattern) => pattern switch
    {
        IListPatternOperation list => [list],
        IBinaryPatternOperation both => TopLevelLists(both.LeftPattern).Concat(TopLevelLists(both.RightPattern)),
        INegatedPatternOperation negated => TopLevelLists(negated.Pattern),
        _ => [],
    };

    /// <summary>Narrows by a range of constants counted from the start (<c>[2..8]</c>, <c>[4..]</c>); from the end: unknown.</summary>
    private static (long? Start, long? End) NarrowRange(long? start, IRangeOperation range)
    {
        if (start is null || ValueSizes.IsFromEnd(range.LeftOperand) || ValueSizes.IsFromEnd(range.RightOperand))
            return (null, null);
        long first = 0;
        if (range.LeftOperand is { } left && !ConstantValues.TryGetInt64(left, out first))
            return (null, null);
        if (range.RightOperand is null)
            return (start + first, null);
        return ConstantValues.TryGetInt64(range.RightOperand, out long last) ? (start + first, start + last) : (null, null);
    }

    /// <summary>The Unsafe call an element is handed to by reference (<c>Unsafe.ReadUnaligned&lt;int&gt;(ref span[i])</c>).</summary>
    private static IInvocationOperation? ByRefToUnsafe(IOperation element) =>
        element.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter, Parent: IInvocationOperation call }
        && FrameworkTypes.IsUnsafe(call.TargetMethod.ContainingType)
            ? call
            : null;

    /// <summary>
    /// A method of this compilation (not a [PageHelper]) that indexes, slices or decodes the span parameter it is
    /// given: one call level is followed, by its syntax, so that the access inside it is reported at the call.
    /// </summary>
    private static bool ReadsItsSpan(IInvocationOperation call, IArgumentOperation argument, FoliosTypes types)
    {
        if (argument.Parameter is not { } parameter || types.IsInsidePageHelper(call.TargetMethod) || types.Framework.IsDecoder(call))
            return false;
        foreach (var reference in call.TargetMethod.OriginalDefinition.DeclaringSyntaxReferences)
        {
            foreach (var use in reference.GetSyntax().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>())
            {
                if (use.Identifier.ValueText != parameter.Name)
                    continue;
                if (use.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ElementAccessExpressionSyntax access && access.Expression == use)
                    return true;
                if (use.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Span.Slice } slice && slice.Expression == use)
                    return true;
            }
        }
        return false;
    }

    private static bool IsInside(long? start, long? end, int pageSize) =>
        start is { } first && first >= 0 && first <= pageSize && (end is null || end <= pageSize);

    private static (long? Start, long? End) Narrow(long? start, long? end, IOperation? offset, IOperation? length)
    {
        if (start is null || offset is null || !ConstantValues.TryGetInt64(offset, out long delta))
            return (null, null);
        long newStart = start.Value + delta;
        if (length is null)
            return (newStart, end);
        // A length that is not constant leaves the range unknown, which is not provably inside.
        return ConstantValues.TryGetInt64(length, out long count) ? (newStart, newStart + count) : (null, null);
    }

    // The helpers a message suggests instead of a raw access.
    private const string ByteHelpers = Names.ExtentBuffer.ReadByte + ", " + Names.ExtentBuffer.WriteByte;
    private const string CopyHelpers = Names.ExtentBuffer.Read + ", " + Names.ExtentBuffer.Write;
    private const string ListHelpers = Names.ExtentBuffer.ReadByte + ", " + Names.ExtentBuffer.Read;
    private const string AnyHelper = CopyHelpers + ", " + Names.ExtentBuffer.Read + "<T>";

    /// <summary>Bytes a BinaryPrimitives/MemoryMarshal/Unsafe call touches; Cast and friends reinterpret the whole span.</summary>
    private static long ScalarSize(IInvocationOperation call) => ValueSizes.Decoded(call.TargetMethod) ?? long.MaxValue / 2;

    private static string HelperFor(IInvocationOperation call)
    {
        string name = call.TargetMethod.Name;
        // ExtentBuffer has a helper of the same name for each BinaryPrimitives little-endian read and write.
        if ((name.StartsWith(Names.Decoders.ReadPrefix, StringComparison.Ordinal) || name.StartsWith(Names.Decoders.WritePrefix, StringComparison.Ordinal))
            && name.EndsWith(Names.Decoders.LittleEndianSuffix, StringComparison.Ordinal))
            return name;
        return (name.StartsWith(Names.Decoders.WritePrefix, StringComparison.Ordinal) ? Names.ExtentBuffer.Write : Names.ExtentBuffer.Read) + "<T>";
    }
}
