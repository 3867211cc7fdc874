using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

internal enum OversizeKind
{
    /// <summary>All of the buffer (or all of it from an offset) read as data: written out, hashed, decoded, compared, copied, enumerated.</summary>
    WholeRead,

    /// <summary>The buffer's length as the count of such a read.</summary>
    LengthAsCount,

    /// <summary>The buffer's length as the bound of a loop that reads its elements.</summary>
    LengthAsBound,

    /// <summary>All of the buffer filled from a stream (<c>ReadExactly</c>): more data is taken than the size asked for.</summary>
    ExactFill,
}

/// <summary>One use of a rented buffer that takes it as exactly the size asked for.</summary>
internal sealed class OversizedUse(IOperation node, OversizeKind kind, bool exact, IOperation? loop = null, bool fromOffset = false)
{
    /// <summary>What is reported and rewritten: the buffer (or view) passed, or its length.</summary>
    public IOperation Node { get; } = node;

    public OversizeKind Kind { get; } = kind;

    /// <summary>Whether slicing the value to the size asked for is safe on every path it may come from.</summary>
    public bool Exact { get; } = exact;

    /// <summary>A view from an offset to the end (<c>a.AsSpan(4)</c>): the part asked for is not known to start there.</summary>
    public bool FromOffset { get; } = fromOffset;

    /// <summary>For a loop bound, the loop: the size asked for must not change anywhere in it.</summary>
    public IOperation? Loop { get; } = loop;

    /// <summary>Whether a call wrote into the buffer and said how much before this use: that count, not the size asked for, is the data.</summary>
    public bool FilledWithCount { get; set; }
}

/// <summary>
/// Judges each end of a rented buffer's flow (<see cref="RentedFlow"/>): a read of all of it, its length used as a
/// count or a loop bound, a fill of all of it from a stream. A read is not reported when the code wrote every
/// element first (a fill, a writing loop to its length, a callee that writes into it and reports no count): then
/// nothing stale is read, and the code visibly took the whole array as its buffer.
/// </summary>
internal sealed class OversizedUses
{
    private readonly RentedFlow _flow;
    private readonly FrameworkTypes _types;
    private readonly List<OversizedUse> _found = [];
    private readonly List<int> _fills = [];
    private readonly List<int> _countedFills = [];

    private OversizedUses(RentedFlow flow, FrameworkTypes types)
    {
        _flow = flow;
        _types = types;
    }

    /// <summary>The uses of the rental to report, in source order.</summary>
    public static List<OversizedUse> Find(RentedFlow flow, FrameworkTypes types)
    {
        var uses = new OversizedUses(flow, types);
        foreach (var end in flow.Ends)
            uses.Judge(end);
        int rented = flow.Rental.Position;
        var reported = new List<OversizedUse>();
        foreach (var use in uses._found)
        {
            int at = use.Node.Syntax.SpanStart;
            if (use.Kind != OversizeKind.ExactFill && uses._fills.Any(fill => fill > rented && fill < at) || uses.CheckedExact(use.Node))
                continue;
            use.FilledWithCount = uses._countedFills.Any(fill => fill > rented && fill < at);
            reported.Add(use);
        }
        reported.Sort((a, b) => a.Node.Syntax.SpanStart.CompareTo(b.Node.Syntax.SpanStart));
        return reported;
    }

    /// <summary>Whether the use sits in the branch of an <c>if</c> or <c>?:</c> where the code checked the buffer's length (<see cref="RentedFlow.ChecksLength"/>).</summary>
    private bool CheckedExact(IOperation use)
    {
        for (IOperation? inner = use, parent = use.Parent; parent is not null; inner = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && inner != conditional.Condition && _flow.ChecksLength(conditional, inner == conditional.WhenTrue))
                return true;
        }
        return false;
    }

    private void Judge(Reach reach)
    {
        if (reach.Shape == RentedShape.Owner)
            return; // the owner itself handed on or disposed: its Memory was not taken here
        var top = reach.Top;
        switch (top.Parent)
        {
            case IArgumentOperation argument:
                JudgeArgument(argument, reach);
                break;
            case IInvocationOperation call when call.Instance == top:
                JudgeReceiver(call, reach);
                break;
            case IPropertyReferenceOperation { Property.Name: Names.Span.Length or Names.ArrayViews.LongLength } length when length.Instance == top && reach.Shape == RentedShape.Whole:
                JudgeLength(length, reach.Exact, 0);
                break;
            case IForEachLoopOperation loop when loop.Collection == top || OperationShape.Unwrap(loop.Collection) == OperationShape.Unwrap(top):
                Read(reach);
                break;
        }
    }

    private void Read(Reach reach) =>
        _found.Add(new OversizedUse(reach.Count ?? reach.Top, reach.Count is null ? OversizeKind.WholeRead : OversizeKind.LengthAsCount, reach.Exact,
            fromOffset: reach.Count is null && reach.Shape == RentedShape.Tail));

    private void JudgeArgument(IArgumentOperation argument, Reach reach)
    {
        if (argument.Parameter is not { RefKind: not (RefKind.Ref or RefKind.Out) } parameter || MethodOf(argument) is not { } method)
            return;
        var host = argument.Parent!;
        var type = parameter.Type;
        if (BufferTypes.IsReadOnly(type))
        {
            if (!ReadsBoundedPart(method, host, argument) && !ToldTheCount(host, argument))
                Read(reach);
        }
        else if (type is IArrayTypeSymbol || type.SpecialType == SpecialType.System_Array || BufferTypes.IsSegment(type) || BufferTypes.IsWritable(type))
        {
            if (ReadsAsSource(method, parameter, host, argument))
            {
                if (!ToldTheCount(host, argument))
                    Read(reach);
            }
            else
            {
                JudgeWrite(method, host, argument, reach);
            }
        }
        else if (BufferTypes.IsReadOnlyCollection(type))
        {
            bool bounded = _types.IsEnumerable(method.ContainingType)
                && (Array.IndexOf(Names.DataReads.BoundedEnumerableMethods, method.Name) >= 0 || method.Name == Names.DataReads.Any && method.Parameters.Length == 1);
            if (!bounded)
                Read(reach);
        }
    }

    /// <summary>The buffer as a destination: a fill of all of it, a write that says how much it wrote, or a partial copy.</summary>
    private void JudgeWrite(IMethodSymbol method, IOperation host, IArgumentOperation argument, Reach reach)
    {
        int at = host.Syntax.SpanStart;
        if (Array.IndexOf(Names.DataReads.ExactFills, method.Name) >= 0)
        {
            _found.Add(new OversizedUse(reach.Count ?? reach.Top, OversizeKind.ExactFill, reach.Exact, fromOffset: reach.Count is null && reach.Shape == RentedShape.Tail));
            _fills.Add(at);
        }
        else if (method.ContainingType?.SpecialType == SpecialType.System_Array && method.IsStatic)
        {
            if (Array.IndexOf(Names.DataReads.ArrayFills, method.Name) >= 0 && CountsAll(host, argument))
                _fills.Add(at);
        }
        else if (Array.IndexOf(Names.DataReads.Copies, method.Name) >= 0 || IsFixedSizeAccess(method))
        {
            // A copy writes as much as its source holds, a decoder's writer a few bytes: the rest stays stale.
        }
        else if (ReportsNoCount(method))
        {
            _fills.Add(at);
        }
        else
        {
            _countedFills.Add(at);
        }
    }

    private void JudgeReceiver(IInvocationOperation call, Reach reach)
    {
        var container = call.TargetMethod.ContainingType;
        if (!BufferTypes.IsSpanOrMemory(container) && container?.SpecialType != SpecialType.System_Array)
            return;
        switch (call.TargetMethod.Name)
        {
            case Names.Span.CopyTo or Names.Span.TryCopyTo or Names.Span.ToArray or Names.Pools.Clone or Names.Span.GetEnumerator:
                Read(reach);
                break;
            case Names.Pools.ToStringMethod when BufferTypes.ElementOf(container)?.SpecialType == SpecialType.System_Char:
                Read(reach);
                break;
            case Names.Pools.Fill or Names.Pools.Clear:
                _fills.Add(call.Syntax.SpanStart);
                break;
        }
    }

    /// <summary>Follows the buffer's length (less something, cast, held in a local) to a count or a loop bound.</summary>
    private void JudgeLength(IOperation length, bool exact, int depth)
    {
        var current = length;
        for (int step = 0; step < 16; step++)
        {
            current = OperationShape.Outermost(current);
            switch (current.Parent)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } less when less.LeftOperand == current:
                    current = less;
                    continue;
                case IConversionOperation { IsImplicit: false } cast when BufferTypes.IsIntegral(cast.Type):
                    current = cast;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when depth < 3 && BufferTypes.IsIntegral(declarator.Symbol.Type):
                    foreach (var operation in _flow.Listing)
                    {
                        if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol)
                            && reference.Syntax.SpanStart > declarator.Syntax.Span.End && _flow.InRentalsFunction(reference))
                            JudgeLength(reference, exact, depth + 1);
                    }
                    return;
                case IArgumentOperation argument when argument.Parent is IInvocationOperation or IObjectCreationOperation:
                    JudgeCount(argument, exact);
                    return;
                case IBinaryOperation comparison:
                    JudgeBound(comparison, current, exact);
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>
    /// The length as the count of a call that reads the same buffer (<c>stream.Write(a, 0, a.Length)</c>), from the
    /// offset argument before it, when the count runs to the end from there.
    /// </summary>
    private void JudgeCount(IArgumentOperation count, bool exact)
    {
        var host = count.Parent!;
        if (MethodOf(count) is not { } method || IsView(host) || _flow.Length(count.Value) is not { } length)
            return; // a view's count is judged where the view is used
        var arguments = Arguments(host).ToList();
        int at = arguments.IndexOf(count);
        var offset = at > 0 && BufferTypes.IsIntegral(arguments[at - 1].Value.Type) ? arguments[at - 1].Value : null;
        if (!length.ReachesEnd(offset))
            return;
        foreach (var other in arguments)
        {
            if (other != count && other.Parameter is { } parameter && _flow.HoldsWhole(other.Value)
                && (BufferTypes.IsReadOnly(parameter.Type) || ReadsAsSource(method, parameter, host, other)))
            {
                _found.Add(new OversizedUse(length.Leaf, OversizeKind.LengthAsCount, exact));
                return;
            }
        }
    }

    /// <summary>The length as the bound of a loop (<c>i &lt; a.Length</c>): reported when the loop reads the elements, a fill when it only writes them.</summary>
    private void JudgeBound(IBinaryOperation comparison, IOperation lengthSide, bool exact)
    {
        if (comparison.OperatorKind is not (BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
            or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals)
            || _flow.Length(lengthSide) is not { } length || !length.ReachesEnd(null)
            || OperationShape.VariableOf(comparison.LeftOperand == lengthSide ? comparison.RightOperand : comparison.LeftOperand) is not { } index)
            return;
        IOperation condition = comparison;
        while (condition.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } or IParenthesizedOperation)
            condition = condition.Parent;
        var loop = condition.Parent switch
        {
            IForLoopOperation forLoop when forLoop.Condition == condition => forLoop,
            IWhileLoopOperation whileLoop when whileLoop.Condition == condition => (ILoopOperation)whileLoop,
            _ => null,
        };
        if (loop is null)
            return;
        bool reads = false, writes = false;
        foreach (var operation in loop.Body.DescendantsAndSelf())
        {
            var (buffer, at) = operation switch
            {
                IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
                IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } item => (item.Instance, item.Arguments[0].Value),
                _ => (null, null),
            };
            if (buffer is null || at is null || !_flow.HoldsWhole(buffer) || !Mentions(at, index))
                continue;
            var access = OperationShape.Outermost(operation);
            switch (access.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == access:
                    writes = true;
                    break;
                case ICompoundAssignmentOperation compound when compound.Target == access:
                case IIncrementOrDecrementOperation:
                    break; // changed in place: neither read out nor filled
                default:
                    reads = true;
                    break;
            }
        }
        if (reads)
            _found.Add(new OversizedUse(length.Leaf, OversizeKind.LengthAsBound, exact, loop));
        else if (writes)
            _fills.Add(loop.Syntax.SpanStart);
    }

    /// <summary>Whether an array (or segment, or a span given to MemoryExtensions) is what the call reads its data from.</summary>
    private bool ReadsAsSource(IMethodSymbol method, IParameterSymbol parameter, IOperation host, IArgumentOperation argument)
    {
        string name = method.Name;
        if (host is IInvocationOperation call && _types.IsSpanExtension(call) && call.Arguments[0] == argument)
            return Array.IndexOf(Names.DataReads.BoundedSpanMethods, name) < 0;
        if (method.ContainingType?.SpecialType == SpecialType.System_Array && method.IsStatic)
            return Array.IndexOf(Names.DataReads.ArrayFills, name) < 0 && Array.IndexOf(Names.DataReads.ArrayParameters, parameter.Name) >= 0;
        if (parameter.Type is not IArrayTypeSymbol && parameter.Type.SpecialType != SpecialType.System_Array && !BufferTypes.IsSegment(parameter.Type))
            return false;
        if (Array.IndexOf(Names.DataReads.SourceParameters, parameter.Name) >= 0)
            return true;
        if (StartsWithAny(name, Names.DataReads.DecodingPrefixes))
            return parameter.Name == Names.DataReads.BytesParameter;
        if (StartsWithAny(name, Names.DataReads.EncodingPrefixes))
            return parameter.Name == Names.DataReads.CharsParameter;
        if (method.MethodKind == MethodKind.Constructor)
            return Array.IndexOf(Names.DataReads.ContentTypes, method.ContainingType?.Name) >= 0;
        return StartsWithAny(name, Names.DataReads.ConsumerPrefixes) && Array.IndexOf(Names.DataReads.DestinationParameters, parameter.Name) < 0;
    }

    /// <summary>A read of a fixed number of elements, or of a prefix: a decoder, a vector load, StartsWith.</summary>
    private bool ReadsBoundedPart(IMethodSymbol method, IOperation host, IArgumentOperation argument) =>
        IsFixedSizeAccess(method)
        || host is IInvocationOperation call && _types.IsSpanExtension(call) && call.Arguments[0] == argument && Array.IndexOf(Names.DataReads.BoundedSpanMethods, method.Name) >= 0;

    /// <summary>BinaryPrimitives, MemoryMarshal, Unsafe, BitConverter and the vector types read and write a few elements at the start.</summary>
    private bool IsFixedSizeAccess(IMethodSymbol method) =>
        method.ContainingType is { } type
        && (FrameworkTypes.IsUnsafe(type) || SymbolEqualityComparer.Default.Equals(type, _types.BinaryPrimitives) || SymbolEqualityComparer.Default.Equals(type, _types.MemoryMarshal)
            || type.Name == Names.DataReads.BitConverterTypeName
            || type.Name.StartsWith(Names.DataReads.VectorPrefix, StringComparison.Ordinal) && Array.IndexOf(Names.DataReads.VectorNamespaces, type.ContainingNamespace?.Name) >= 0);

    /// <summary>
    /// Whether the call is also given a count (any integer): the callee may read only that many. A count taken from
    /// the buffer's own length is judged on its own (<c>stream.Write(a, 0, a.Length)</c> is reported at the length).
    /// </summary>
    private static bool ToldTheCount(IOperation host, IArgumentOperation buffer)
    {
        foreach (var other in Arguments(host))
        {
            if (other != buffer && other.Parameter is { RefKind: RefKind.None or RefKind.In } parameter && IsCount(parameter))
                return true;
        }
        return false;
    }

    /// <summary>An int or long parameter (not an element of a generic T, such as IndexOf's value).</summary>
    private static bool IsCount(IParameterSymbol parameter) =>
        parameter.OriginalDefinition.Type is not ITypeParameterSymbol
        && parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    /// <summary>Array.Clear(a) and Array.Fill(a, v), or with a count that is the array's own length.</summary>
    private bool CountsAll(IOperation host, IArgumentOperation buffer)
    {
        foreach (var other in Arguments(host))
        {
            if (other != buffer && Array.IndexOf(Names.DataReads.CountParameters, other.Parameter?.Name) >= 0 && _flow.Length(other.Value) is not { Less: null })
                return false;
        }
        return true;
    }

    /// <summary>A callee that returns nothing and has no out parameter writes without saying how much: taken as filling what it is given.</summary>
    private static bool ReportsNoCount(IMethodSymbol method)
    {
        if (method.Parameters.Any(p => p.RefKind == RefKind.Out))
            return false;
        var returns = method.ReturnType;
        return method.ReturnsVoid || method.MethodKind == MethodKind.Constructor
            || returns is INamedTypeSymbol { IsGenericType: false, Name: Names.Tasks.Task or Names.Tasks.ValueTask, ContainingNamespace.Name: Names.Tasks.Namespace };
    }

    private bool IsView(IOperation host) => host switch
    {
        IInvocationOperation call => call.TargetMethod.Name is Names.Span.AsSpan or Names.ArrayViews.AsMemory or Names.Span.Slice && (_types.IsSpanExtension(call) || BufferTypes.IsSpanOrMemory(call.TargetMethod.ContainingType)),
        IObjectCreationOperation creation => BufferTypes.IsView(creation.Type),
        _ => false,
    };

    private static IMethodSymbol? MethodOf(IArgumentOperation argument) => argument.Parent switch
    {
        IInvocationOperation call => call.TargetMethod,
        IObjectCreationOperation creation => creation.Constructor,
        _ => null,
    };

    private static IEnumerable<IArgumentOperation> Arguments(IOperation host) => host switch
    {
        IInvocationOperation call => call.Arguments,
        IObjectCreationOperation creation => creation.Arguments,
        _ => ImmutableArray<IArgumentOperation>.Empty,
    };

    private static bool Mentions(IOperation operation, ISymbol variable)
    {
        foreach (var part in operation.DescendantsAndSelf())
        {
            if (SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(part), variable) && part is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation)
                return true;
        }
        return false;
    }

    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (string prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
