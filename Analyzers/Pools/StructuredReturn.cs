using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Pools;

/// <summary>
/// Rented arrays given back the way most code does, proven on the operation tree so that FOLIO011 and FOLIO012 need
/// no control-flow graph for them: <c>var a = pool.Rent(n);</c> followed at once by <c>try { } finally { }</c> whose
/// finally first returns it to the same pool, or followed in the same block by statements that cannot jump out of it
/// and then <c>pool.Return(a);</c> (an exception among them leaves the array to the garbage collector: that shape is
/// proven only where leaks on exception paths are not reported). Every use of the array, and of any span, memory or
/// segment over it, must stand inside that scope, outside lambdas and local functions, where it is consumed: indexed,
/// read, passed to a parameter that does not take it, or kept in a local of the scope whose uses are such uses too.
/// Nothing then can use the array after it went back, return it twice or keep it: the flow over the graph finds
/// nothing there either (<c>StructuredReturnTests</c>). Anything else is left to the graph.
/// </summary>
internal static class StructuredReturn
{
    private const int MaxViewLocals = 8;

    /// <summary>
    /// Whether the array rented by <paramref name="rent"/> is held in a local that one of the shapes above returns;
    /// <paramref name="release"/> is that Return call.
    /// </summary>
    public static bool Returns(IInvocationOperation rent, IOperation[] listing, bool exceptionLeaksReported, Func<IInvocationOperation, bool> isReturn, out IInvocationOperation? release)
    {
        release = null;
        if (rent.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } array } declarator }
            || declarator.Parent is not IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Declarations.Length: 1, Parent: IBlockOperation block } group }
            || Scope(block, group, array, exceptionLeaksReported, isReturn, out release) is not { } scope
            || rent.Instance is null || release!.Instance is null || !SyntaxFactory.AreEquivalent(rent.Instance.Syntax, release.Instance.Syntax))
            return false;
        var viewLocals = new List<ILocalSymbol> { array };
        for (int next = 0; next < viewLocals.Count; next++)
        {
            if (next == MaxViewLocals)
                return false;
            foreach (var operation in listing)
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, viewLocals[next])
                    && !(next == 0 && OperationShape.Outermost(reference).Parent is IArgumentOperation { Parent: var call } && call == release)
                    && !(scope.Contains(reference.Syntax.Span) && !OperationShape.InNestedFunction(reference) && ConsumedInScope(reference, scope, isReturn, viewLocals)))
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The text where the array may be used, and the Return that ends it: the try's body and catches when the next
    /// statement is a try whose finally returns it first; else the statements up to the first that returns it, when
    /// none of them can leave the block but by an exception.
    /// </summary>
    private static TextSpan? Scope(IBlockOperation block, IOperation declaration, ILocalSymbol array, bool exceptionLeaksReported, Func<IInvocationOperation, bool> isReturn, out IInvocationOperation? release)
    {
        release = null;
        int at = block.Operations.IndexOf(declaration);
        if (at + 1 < block.Operations.Length
            && block.Operations[at + 1] is ITryOperation { Finally: { Operations.Length: > 0 } @finally } @try
            && ReturnOf(@finally.Operations[0], array, isReturn) is { } last)
        {
            release = last;
            return TextSpan.FromBounds(@try.Body.Syntax.SpanStart, @try.Catches.LastOrDefault()?.Syntax.Span.End ?? @try.Body.Syntax.Span.End);
        }
        if (exceptionLeaksReported)
            return null;
        for (int end = at + 1; end < block.Operations.Length; end++)
        {
            if (ReturnOf(block.Operations[end], array, isReturn) is not { } found)
                continue;
            release = found;
            if (end == at + 1)
                return new TextSpan(found.Syntax.SpanStart, 0);
            var scope = TextSpan.FromBounds(block.Operations[at + 1].Syntax.SpanStart, block.Operations[end - 1].Syntax.Span.End);
            for (int i = at + 1; i < end; i++)
            {
                if (LeavesBy(block.Operations[i], scope))
                    return null;
            }
            return scope;
        }
        return null;
    }

    /// <summary>The statement as <c>pool.Return(array...)</c>, or null.</summary>
    private static IInvocationOperation? ReturnOf(IOperation statement, ILocalSymbol array, Func<IInvocationOperation, bool> isReturn) =>
        statement is IExpressionStatementOperation { Operation: IInvocationOperation call } && isReturn(call)
        && PooledArrayKind.ReturnedArray(call) is { } returned && OperationShape.Unwrap(returned) is ILocalReferenceOperation local
        && SymbolEqualityComparer.Default.Equals(local.Local, array)
            ? call
            : null;

    /// <summary>Whether a statement can jump past the end of the scope: a return, a goto, or a break or continue of a loop outside it.</summary>
    private static bool LeavesBy(IOperation statement, TextSpan scope)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IReturnOperation or IBranchOperation && !OperationShape.InNestedFunction(operation)
                && !(operation is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } branch && EnclosingTarget(branch) is { } target && scope.Contains(target.Syntax.Span)))
                return true;
        }
        return false;
    }

    /// <summary>The loop a break or continue leaves (or, for a break, the switch).</summary>
    private static IOperation? EnclosingTarget(IBranchOperation branch)
    {
        for (var parent = branch.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation || parent is ISwitchOperation && branch.BranchKind == BranchKind.Break)
                return parent;
        }
        return null;
    }

    /// <summary>
    /// Whether a reference to the array or a view local is consumed where it stands: through the views made of it (a
    /// conversion, <c>AsSpan</c>, <c>Slice</c>, <c>.Span</c>, a span or segment made over it) to an element access, a
    /// member read or call that yields no buffer, a comparison, a <c>foreach</c>, or an argument that does not take it;
    /// or kept in a local declared in the scope, whose uses are checked in turn.
    /// </summary>
    private static bool ConsumedInScope(IOperation reference, TextSpan scope, Func<IInvocationOperation, bool> isReturn, List<ILocalSymbol> viewLocals)
    {
        var top = reference;
        while (ViewOver(top) is { } view)
            top = view;
        switch (top.Parent)
        {
            case IArgumentOperation argument:
                return argument.Parameter is { RefKind: not (RefKind.Ref or RefKind.Out) }
                    && !Transfers.IsOwnerArgument(argument)
                    && !(argument.Parent is IInvocationOperation callee && isReturn(callee));
            case IInvocationOperation call when call.Instance == top:
                return true;
            case IPropertyReferenceOperation property when property.Instance == top:
                return true;
            case IArrayElementReferenceOperation element when element.ArrayReference == top:
                return true;
            case IForEachLoopOperation loop when loop.Collection == top:
                return true;
            case IExpressionStatementOperation or IBinaryOperation or IIsTypeOperation:
                return true;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } local } }:
                return Keep(local, scope, viewLocals);
            case ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation { Local: { IsRef: false } local } } assignment when assignment.Value == top:
                return Keep(local, scope, viewLocals);
            default:
                return false;
        }
    }

    /// <summary>A local of the scope that holds the buffer: its own uses must be consumed in the scope.</summary>
    private static bool Keep(ILocalSymbol local, TextSpan scope, List<ILocalSymbol> viewLocals)
    {
        if (local.DeclaringSyntaxReferences.FirstOrDefault() is not { } declared || !scope.Contains(declared.Span))
            return false;
        if (!viewLocals.Contains(local, SymbolEqualityComparer.Default))
            viewLocals.Add(local);
        return true;
    }

    /// <summary>
    /// The operation that makes a view of the value and still holds the buffer (a conversion, a member whose value is
    /// an array, span, memory or segment other than a copy, a span or segment made over it); null where the value is
    /// consumed.
    /// </summary>
    private static IOperation? ViewOver(IOperation value) => value.Parent switch
    {
        IConversionOperation conversion => conversion,
        IInvocationOperation call when call.Instance == value && HoldsBuffer(call) => call,
        IPropertyReferenceOperation property when property.Instance == value && BufferTypes.CanHold(property.Type) => property,
        IImplicitIndexerReferenceOperation range when range.Instance == value && BufferTypes.CanHold(range.Type) => range,
        IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } call } when HoldsBuffer(call) => call,
        IArgumentOperation { Parameter.Ordinal: 0, Parent: IObjectCreationOperation creation } when BufferTypes.IsView(creation.Type) => creation,
        _ => null,
    };

    private static bool HoldsBuffer(IInvocationOperation call) => BufferTypes.CanHold(call.Type) && call.TargetMethod.Name != Names.ReadOnlySequence.ToArray;
}
