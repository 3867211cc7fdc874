using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pools;

/// <summary>What an operation holds of a rented buffer.</summary>
internal enum RentedShape
{
    /// <summary>A MemoryPool's owner: its <c>Memory</c> is the buffer.</summary>
    Owner,

    /// <summary>All of the buffer: the array, or a span or memory of all of it.</summary>
    Whole,

    /// <summary>The buffer from some offset to its end.</summary>
    Tail,
}

/// <summary>
/// Where a value that holds a rented buffer (or a view of all of it, or of its tail) stops being passed along
/// unchanged: <see cref="Top"/> is the outermost operation that still holds it, and its parent is what uses it.
/// </summary>
internal readonly struct Reach(IOperation top, RentedShape shape, IOperation? count, bool exact)
{
    public IOperation Top { get; } = top;

    public RentedShape Shape { get; } = shape;

    /// <summary>A count taken from the buffer's own length (<c>a.AsSpan(0, a.Length)</c>): where the length is used, to report and rewrite.</summary>
    public IOperation? Count { get; } = count;

    /// <summary>Whatever else the value may be (another branch of a conditional) holds the size asked for too, so slicing it to that size is safe.</summary>
    public bool Exact { get; } = exact;
}

/// <summary>A count taken from a rented buffer's length: <see cref="Leaf"/> names it (the <c>Length</c>, or a local holding it), <see cref="Less"/> is what was taken off it.</summary>
internal readonly struct LengthOf(IOperation leaf, IOperation? less)
{
    /// <summary>Where the length is named: the place to report and to rewrite.</summary>
    public IOperation Leaf { get; } = leaf;

    /// <summary>What is subtracted from the length, or null for the whole length.</summary>
    public IOperation? Less { get; } = less;

    /// <summary>
    /// Whether a count of this length from <paramref name="start"/> (null: from 0) runs to the buffer's end, or next to
    /// it: the whole length from 0, the length less the start, or less a constant (a trailing byte dropped). The
    /// length less anything else is bookkeeping of the free space at the end (<c>a.Length - free</c>), which counts
    /// only what was written.
    /// </summary>
    public bool ReachesEnd(IOperation? start)
    {
        if (Less is null)
            return true;
        if (Less.ConstantValue.HasValue)
            return true;
        return start is not null && OperationShape.UnwrapNumeric(Less)?.Syntax.ToString() == OperationShape.UnwrapNumeric(start)?.Syntax.ToString();
    }
}

/// <summary>
/// One rented buffer followed through the member: through conditionals, assignments, views of all of it
/// (<c>AsSpan()</c>, <c>AsMemory()</c>, <c>new ReadOnlySpan&lt;T&gt;(a)</c>, <c>.Memory</c>, <c>.Span</c>, read-only
/// conversions) and the locals that hold it (ref locals included), to the operations that use it
/// (<see cref="Ends"/>). A local holds it at each of its references that no other write comes before, in the
/// text, since the assignment: a later write anywhere between means the reference may see another value, and
/// the rule stays silent there. References in lambdas and local functions are not followed: when they run is
/// not known.
/// </summary>
internal sealed class RentedFlow
{
    private const int MaxDepth = 6;

    private readonly FrameworkTypes _types;
    private readonly VariableWrites _writes;
    private readonly IOperation[] _listing;
    private readonly IOperation? _function;
    private readonly HashSet<(ILocalSymbol, int)> _carried = [];
    private readonly Queue<(IOperation Start, RentedShape Shape, bool Exact, int Depth)> _pending = new();

    private RentedFlow(Rental rental, FrameworkTypes types)
    {
        Rental = rental;
        _types = types;
        _writes = VariableWrites.Of(rental.Call);
        _listing = OperationTrees.Of(OperationShape.Root(rental.Call));
        _function = OperationShape.EnclosingFunction(rental.Call);
    }

    public Rental Rental { get; }

    /// <summary>Where the buffer is used: each operation that holds it, whose parent is not a view or a local that passes it on.</summary>
    public List<Reach> Ends { get; } = [];

    /// <summary>The references to locals at which they hold the buffer.</summary>
    public HashSet<IOperation> References { get; } = new(OperationIdentity.Instance);

    public static RentedFlow Follow(Rental rental, FrameworkTypes types)
    {
        var flow = new RentedFlow(rental, types);
        flow._pending.Enqueue((rental.Call, rental.OfMemoryPool ? RentedShape.Owner : RentedShape.Whole, true, 0));
        while (flow._pending.Count > 0)
        {
            var (start, shape, exact, depth) = flow._pending.Dequeue();
            if (flow.Climb(start, shape, exact, depth) is { } end)
                flow.Ends.Add(end);
        }
        return flow;
    }

    /// <summary>
    /// Whether the operation holds all of this buffer: a reference that holds it, the rental itself, or a view of all
    /// of it (<c>a.AsSpan()</c>, <c>owner.Memory</c>, <c>memory.Span</c>).
    /// </summary>
    public bool HoldsWhole(IOperation? operation)
    {
        for (int depth = 0; depth < MaxDepth && operation is not null; depth++)
        {
            operation = OperationShape.Unwrap(operation);
            if (operation == Rental.Call || operation is not null && References.Contains(operation))
                return true;
            operation = operation switch
            {
                IInvocationOperation { Arguments.Length: 1 } view when IsViewCall(view) => view.Arguments[0].Value,
                IPropertyReferenceOperation { Property.Name: Names.MemoryOwner.Memory or Names.Memory.Span } property => property.Instance,
                IObjectCreationOperation { Arguments.Length: 1 } creation when BufferTypes.IsView(creation.Type) => creation.Arguments[0].Value,
                _ => null,
            };
        }
        return false;
    }

    /// <summary>
    /// The operation as a count taken from this buffer's length: its <c>Length</c>, that less something, or a local
    /// that holds one; null for any other value.
    /// </summary>
    public LengthOf? Length(IOperation? operation)
    {
        operation = OperationShape.UnwrapNumeric(operation);
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } less when Length(less.LeftOperand) is { Less: null } length:
                return new LengthOf(length.Leaf, less.RightOperand);
            case ILocalReferenceOperation local when BufferTypes.IsIntegral(local.Local.Type) && ConstantValues.SingleAssignedValue(local) is { } held
                && Length(held) is { } length:
                return new LengthOf(local, length.Less);
            case IPropertyReferenceOperation { Property.Name: Names.Span.Length or Names.ArrayViews.LongLength, Instance: { } buffer } length when HoldsWhole(buffer):
                return new LengthOf(length, null);
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether, in the branch of the conditional named by <paramref name="whenTrue"/>, the code has checked the
    /// buffer's length for equality (<c>a.Length == n</c>, <c>count == a.Length</c>, in an <c>&amp;&amp;</c> chain; the
    /// else of <c>!=</c>, in an <c>||</c> chain): code that compares the length knows it may differ, and there the
    /// whole buffer is what it counted (the size asked for, or as many as it wrote).
    /// </summary>
    public bool ChecksLength(IConditionalOperation conditional, bool whenTrue)
    {
        var tests = new Stack<IOperation>();
        tests.Push(conditional.Condition);
        while (tests.Count > 0)
        {
            var test = OperationShape.Unwrap(tests.Pop());
            if (test is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } both
                && both.OperatorKind == (whenTrue ? BinaryOperatorKind.ConditionalAnd : BinaryOperatorKind.ConditionalOr))
            {
                tests.Push(both.LeftOperand);
                tests.Push(both.RightOperand);
            }
            else if (test is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                && (comparison.OperatorKind == BinaryOperatorKind.Equals) == whenTrue
                && (Length(comparison.LeftOperand) is { Less: null } || Length(comparison.RightOperand) is { Less: null }))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the operation runs in the same function as the rental (not in a lambda or local function of its own).</summary>
    public bool InRentalsFunction(IOperation operation) => OperationShape.EnclosingFunction(operation) == _function;

    /// <summary>The operations of the member, lambdas and local functions included, in source order.</summary>
    public IOperation[] Listing => _listing;

    /// <summary>Follows the value up through what passes it on unchanged; null when it went into a local (followed from there) or into a bounded slice.</summary>
    private Reach? Climb(IOperation start, RentedShape shape, bool exact, int depth)
    {
        var current = start;
        IOperation? count = null;
        for (int step = 0; step < 32; step++)
        {
            current = OperationShape.Outermost(current);
            switch (current.Parent)
            {
                case IConditionalOperation conditional when conditional.Condition != current && conditional.WhenFalse is { } whenFalse:
                    if (ChecksLength(conditional, current == conditional.WhenTrue))
                        return null;
                    exact &= HoldsTheSizeAskedFor(conditional, current == conditional.WhenTrue ? whenFalse : conditional.WhenTrue);
                    current = conditional;
                    continue;
                case ICoalesceOperation coalesce:
                    exact = false;
                    current = coalesce;
                    continue;
                case ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation target } assignment when assignment.Value == current:
                    Carry(target.Local, assignment.Syntax.Span.End, shape, exact, depth);
                    if (assignment.Parent is IExpressionStatementOperation)
                        return null;
                    current = assignment; // (rented = pool.Rent(n)) is a value too
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    Carry(declarator.Symbol, declarator.Syntax.Span.End, shape, exact, depth);
                    return null;
                case IConversionOperation { IsImplicit: false } cast when BufferTypes.CanHold(cast.Type):
                    current = cast;
                    continue;
                case IPropertyReferenceOperation { Property.Name: Names.MemoryOwner.Memory } memory when shape == RentedShape.Owner && _types.IsMemoryOwner(memory.Property.ContainingType):
                    shape = RentedShape.Whole;
                    current = memory;
                    continue;
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span } span when shape != RentedShape.Owner && BufferTypes.IsSpanOrMemory(span.Property.ContainingType):
                    current = span;
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation call } argument when shape != RentedShape.Owner && call.Arguments[0] == argument && IsViewCall(call):
                    if (!Slice(call.Arguments.Skip(1).Select(a => a.Value).ToList(), ref shape, ref count))
                        return null;
                    current = call;
                    continue;
                case IArgumentOperation { Parent: IObjectCreationOperation creation } argument when shape != RentedShape.Owner && creation.Arguments[0] == argument && BufferTypes.IsView(creation.Type):
                    if (!Slice(creation.Arguments.Skip(1).Select(a => a.Value).ToList(), ref shape, ref count))
                        return null;
                    current = creation;
                    continue;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice when shape != RentedShape.Owner && slice.Instance == current:
                    if (!Slice(slice.Arguments.Select(a => a.Value).ToList(), ref shape, ref count))
                        return null;
                    current = slice;
                    continue;
                case IImplicitIndexerReferenceOperation indexer when shape != RentedShape.Owner && indexer.Instance == current:
                    if (OperationShape.Unwrap(indexer.Argument) is not IRangeOperation range || !Range(range, ref shape, ref count))
                        return new Reach(current, shape, count, exact);
                    current = indexer;
                    continue;
                case IArrayElementReferenceOperation { Indices.Length: 1 } element when shape != RentedShape.Owner && element.ArrayReference == current:
                    if (OperationShape.Unwrap(element.Indices[0]) is not IRangeOperation subArray || !Range(subArray, ref shape, ref count))
                        return new Reach(current, shape, count, exact);
                    current = element; // a[x..] copies, all the same elements
                    continue;
                default:
                    return new Reach(current, shape, count, exact);
            }
        }
        return null;
    }

    /// <summary>The local holds the buffer from <paramref name="from"/> on: each later reference of it that no other write comes before.</summary>
    private void Carry(ILocalSymbol local, int from, RentedShape shape, bool exact, int depth)
    {
        if (depth >= MaxDepth || !_carried.Add((local, from)))
            return;
        foreach (var operation in _listing)
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && reference.Syntax.SpanStart > from && !IsWrittenThrough(reference) && InRentalsFunction(reference)
                && !_writes.WrittenBetween(local, from, reference.Syntax.SpanStart))
            {
                References.Add(reference);
                _pending.Enqueue((reference, shape, exact, depth + 1));
            }
        }
    }

    private static bool IsWrittenThrough(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        IIncrementOrDecrementOperation or IDeclarationExpressionOperation => true,
        _ => false,
    };

    /// <summary><c>AsSpan</c>/<c>AsMemory</c> of an array, span or memory, and MemoryMarshal's reinterpretations of a span.</summary>
    private bool IsViewCall(IInvocationOperation call)
    {
        string name = call.TargetMethod.Name;
        if (_types.IsSpanExtension(call))
            return name is Names.Span.AsSpan or Names.ArrayViews.AsMemory;
        return SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _types.MemoryMarshal) && Array.IndexOf(Names.Pools.MarshalViews, name) >= 0
            && call.Arguments.Length == 1;
    }

    /// <summary>
    /// A view from <c>start</c> (and of <c>length</c>): from 0, the same shape; from elsewhere, the tail; of a length
    /// taken from the buffer itself, still to its end (remembered as the count to report). False for a bounded view.
    /// </summary>
    private bool Slice(List<IOperation> arguments, ref RentedShape shape, ref IOperation? count)
    {
        if (arguments.Count == 0)
            return true;
        var start = arguments[0];
        if (OperationShape.Unwrap(start) is IRangeOperation range)
            return Range(range, ref shape, ref count);
        if (start.Type?.SpecialType != SpecialType.System_Int32)
            return false; // an Index: from the end, or a position we do not follow
        bool fromStart = ConstantValues.TryGetInt64(start, out long at) && at == 0;
        if (arguments.Count == 1)
        {
            if (!fromStart)
                shape = RentedShape.Tail;
            return true;
        }
        if (Length(arguments[1]) is not { } length || !length.ReachesEnd(fromStart ? null : start))
            return false;
        count ??= length.Leaf;
        if (!fromStart || length.Less is not null)
            shape = RentedShape.Tail;
        return true;
    }

    /// <summary><c>[..]</c>, <c>[s..]</c>, <c>[..^0]</c>, <c>[..^k]</c> and <c>[s..a.Length]</c> run to (near) the end; any other range is bounded.</summary>
    private bool Range(IRangeOperation range, ref RentedShape shape, ref IOperation? count)
    {
        bool fromStart = range.LeftOperand is null || ConstantValues.TryGetInt64(range.LeftOperand, out long at) && at == 0;
        if (!fromStart)
            shape = RentedShape.Tail;
        switch (OperationShape.Unwrap(range.RightOperand))
        {
            case null:
                return true;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd:
                if (!(ConstantValues.TryGetInt64(fromEnd.Operand, out long back) && back == 0))
                    shape = RentedShape.Tail;
                return true;
            case var end when Length(end) is { } length && length.ReachesEnd(fromStart ? null : range.LeftOperand):
                count ??= length.Leaf;
                if (length.Less is not null)
                    shape = RentedShape.Tail;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether the other branch of a conditional that may hold the buffer holds at least the size asked for, so
    /// that slicing the result to that size is safe on both: <c>new T[n]</c> or <c>stackalloc T[n]</c> of the same
    /// size, or <c>n &lt;= C ? stackalloc T[C] : pool.Rent(n)</c>, the shape dotnet/runtime uses.
    /// </summary>
    private bool HoldsTheSizeAskedFor(IConditionalOperation conditional, IOperation other)
    {
        var length = OperationShape.Unwrap(other) switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1 } array => array.DimensionSizes[0],
            { Kind: OperationKind.None } onStack when onStack.Syntax is StackAllocArrayCreationExpressionSyntax => StackallocLength(onStack),
            _ => null,
        };
        if (length is null)
            return false;
        string asked = Rental.Size.Syntax.ToString();
        if (OperationShape.UnwrapNumeric(length)?.Syntax.ToString() == asked)
            return true;
        // n <= C ? stackalloc T[C] : ... (or C >= n, n < C, C > n) with the branch taken when n fits.
        if (!ConstantValues.TryGetInt64(length, out long capacity) || OperationShape.Unwrap(conditional.Condition) is not IBinaryOperation test)
            return false;
        bool whenTrue = conditional.WhenTrue == OperationShape.Outermost(other) || OperationShape.Unwrap(conditional.WhenTrue) == OperationShape.Unwrap(other);
        var (small, large, kind) = test.OperatorKind switch
        {
            BinaryOperatorKind.LessThanOrEqual => (test.LeftOperand, test.RightOperand, 0),
            BinaryOperatorKind.LessThan => (test.LeftOperand, test.RightOperand, 1),
            BinaryOperatorKind.GreaterThanOrEqual => (test.RightOperand, test.LeftOperand, 0),
            BinaryOperatorKind.GreaterThan => (test.RightOperand, test.LeftOperand, 1),
            _ => (null!, null!, -1),
        };
        return kind >= 0 && whenTrue && OperationShape.UnwrapNumeric(small)?.Syntax.ToString() == asked
            && ConstantValues.TryGetInt64(large, out long bound) && bound - kind <= capacity;
    }

    /// <summary>The length of <c>stackalloc T[n]</c>, which Roslyn 4.8 shows as an operation of no kind with the size among its children.</summary>
    private static IOperation? StackallocLength(IOperation onStack)
    {
        foreach (var child in onStack.ChildOperations)
            return child;
        return null;
    }
}
