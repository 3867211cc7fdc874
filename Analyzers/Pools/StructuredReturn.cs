using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Pools;

/// <summary>
/// Rented arrays given back the way most code does, proven on the operation tree so that FOLIO011 and FOLIO012 need
/// no control-flow graph for them. The array is held in a local declared by the rent (<c>var a = pool.Rent(n);</c>),
/// or declared null and assigned by it once (<c>Span&lt;byte&gt; s = n &lt;= 256 ? stackalloc byte[256] : (a =
/// pool.Rent(n));</c>); the same block later returns it to the same pool, in a statement of its own
/// (<c>pool.Return(a);</c>, or under a null test, <c>if (a != null) pool.Return(a);</c>) or first in the finally of a
/// try, or hands it to the caller (<c>return a;</c>). Nothing before that statement can jump out of the block but into
/// that try, so every path that does not throw gives the array back; an exception outside the try leaves it to the
/// garbage collector, so such a shape is proven only where leaks on exception paths are not reported. Every use of the
/// array, and of any span, memory or segment over it, must stand before the return, in the same function, where it is
/// consumed (<see cref="ScopedUses"/>). Nothing then can use the array after it went back, return it twice or keep
/// it: the flow over the graph finds nothing there either (<c>StructuredReturnTests</c>). Anything else is left to the
/// graph.
/// </summary>
internal static class StructuredReturn
{
    /// <summary>
    /// Whether the array rented by <paramref name="rent"/> is held in a local that one of the shapes above gives back;
    /// <paramref name="release"/> is the Return call (null where the array is handed to the caller).
    /// </summary>
    public static bool Returns(IInvocationOperation rent, IOperation[] listing, bool exceptionLeaksReported, Func<IInvocationOperation, bool> isReturn, out IInvocationOperation? release)
    {
        release = null;
        if (HeldIn(rent) is not { } held || held.Assigned is not null && exceptionLeaksReported
            || Scope(held, exceptionLeaksReported, isReturn, out var releasing, out release) is not { } scope
            || release is not null && (rent.Instance is null || release.Instance is null || !SyntaxFactory.AreEquivalent(rent.Instance.Syntax, release.Instance.Syntax)))
            return false;
        var uses = new ScopedUses(listing, scope, OperationShape.EnclosingFunction(rent),
            argument => Transfers.IsOwnerArgument(argument) || argument.Parent is IInvocationOperation call && isReturn(call));
        return (held.Assigned is null || uses.Consumed(held.Assigned))
            && uses.AllConsumed(held.Array, reference => reference.Parent == held.Assigned || releasing.Contains(reference.Syntax.Span));
    }

    /// <summary>Where a rented array is held: its local, the statements around the rent and which of them rents, and the assignment that stores it (null for a declaration).</summary>
    private sealed class Held(ILocalSymbol array, ImmutableArray<IOperation> statements, int statement, ISimpleAssignmentOperation? assigned)
    {
        public ILocalSymbol Array { get; } = array;

        /// <summary>The statements of the block or switch section around the rent.</summary>
        public ImmutableArray<IOperation> Statements { get; } = statements;

        public int Statement { get; } = statement;

        public ISimpleAssignmentOperation? Assigned { get; } = assigned;
    }

    /// <summary>
    /// The local the rent is stored in: declared by it (a single declarator, in a statement of a block), or declared
    /// before it in the same block with no value or null and assigned by it once, in a statement of that block, not in
    /// a loop there.
    /// </summary>
    private static Held? HeldIn(IInvocationOperation rent)
    {
        if (rent.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } declarator })
        {
            return declarator.Parent is IVariableDeclarationOperation { Declarators.Length: 1, Parent: IVariableDeclarationGroupOperation { Declarations.Length: 1 } group }
                && StatementsAround(group) is { IsDefault: false } around
                ? new Held(declared, around, around.IndexOf(group), null)
                : null;
        }
        if (rent.Parent is not ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation { Local: { IsRef: false } local } } assignment)
            return null;
        IOperation statement = assignment;
        while (StatementsAround(statement).IsDefault && statement.Parent is not (null or ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation))
            statement = statement.Parent;
        var statements = StatementsAround(statement);
        if (statements.IsDefault)
            return null;
        int at = statements.IndexOf(statement);
        for (int i = 0; i < at; i++)
        {
            if (statements[i] is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group && group.Declarations[0].Declarators is { Length: 1 } declarators
                && declarators[0] is var only && SymbolEqualityComparer.Default.Equals(only.Symbol, local)
                && (only.GetVariableInitializer() is not { } initializer || OperationShape.IsNullConstant(initializer.Value)))
                return new Held(local, statements, at, assignment);
        }
        return null;
    }

    /// <summary>The statements of the block or switch section the operation is one of; default where it is not a statement of either.</summary>
    private static ImmutableArray<IOperation> StatementsAround(IOperation operation) => operation.Parent switch
    {
        IBlockOperation block => block.Operations,
        ISwitchCaseOperation section when section.Body.Contains(operation) => section.Body,
        _ => default,
    };

    /// <summary>
    /// The text where the array may be used, from the rent's statement to the return: up to the statement that
    /// returns it to the pool or hands it to the caller (<c>return a;</c>: <paramref name="release"/> is then null), or
    /// through the body and catches of the try whose finally returns it first. Nothing in between may jump out of the
    /// block; statements between the rent and that try are allowed only where leaks on exception paths are not
    /// reported. <paramref name="releasing"/> is the statement that returns it.
    /// </summary>
    private static TextSpan? Scope(Held held, bool exceptionLeaksReported, Func<IInvocationOperation, bool> isReturn, out TextSpan releasing, out IInvocationOperation? release)
    {
        release = null;
        releasing = default;
        var statements = held.Statements;
        var function = OperationShape.EnclosingFunction(statements[held.Statement]);
        int start = statements[held.Statement].Syntax.SpanStart;
        for (int end = held.Statement + 1; end < statements.Length; end++)
        {
            TextSpan scope;
            if (ReturnOf(statements[end], held, isReturn) is { } returned)
            {
                release = returned;
                releasing = statements[end].Syntax.Span;
                scope = TextSpan.FromBounds(start, statements[end - 1].Syntax.Span.End);
            }
            else if (statements[end] is IReturnOperation { ReturnedValue: { } handed } && held.Assigned is null && Is(handed, held.Array))
            {
                releasing = statements[end].Syntax.Span;
                scope = TextSpan.FromBounds(start, statements[end - 1].Syntax.Span.End);
            }
            else if (statements[end] is ITryOperation { Finally: { Operations.Length: > 0 } @finally } @try && ReturnOf(@finally.Operations[0], held, isReturn) is { } last
                && (end == held.Statement + 1 || !exceptionLeaksReported))
            {
                release = last;
                releasing = @finally.Operations[0].Syntax.Span;
                scope = TextSpan.FromBounds(start, @try.Catches.LastOrDefault()?.Syntax.Span.End ?? @try.Body.Syntax.Span.End);
            }
            else
            {
                continue;
            }
            bool throughTry = statements[end] is ITryOperation;
            if (exceptionLeaksReported && !throughTry)
                return null;
            for (int i = held.Statement; i < end; i++)
            {
                if (LeavesBy(statements[i], scope, function))
                    return null;
            }
            return scope;
        }
        return null;
    }

    /// <summary>
    /// The statement as <c>pool.Return(array...)</c>, or that under a null test of the array (<c>if (a != null)</c>,
    /// <c>if (a is not null)</c>); null otherwise. An array assigned under a condition must be returned under one.
    /// </summary>
    private static IInvocationOperation? ReturnOf(IOperation statement, Held held, Func<IInvocationOperation, bool> isReturn)
    {
        bool tested = false;
        if (statement is IConditionalOperation { WhenFalse: null } conditional && OperationShape.NullTest(conditional.Condition, operand => Is(operand, held.Array)) == false)
        {
            statement = conditional.WhenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : conditional.WhenTrue;
            tested = true;
        }
        return statement is IExpressionStatementOperation { Operation: IInvocationOperation call } && isReturn(call)
            && PooledArrayKind.ReturnedArray(call) is { } returned && Is(returned, held.Array)
            && (tested || held.Assigned is null || held.Assigned.Parent is IExpressionStatementOperation)
            ? call
            : null;
    }

    private static bool Is(IOperation? operation, ILocalSymbol array) => SymbolEqualityComparer.Default.Equals(OperationShape.VariableOf(operation), array);

    /// <summary>Whether a statement can jump past the end of the scope: a return, a goto, or a break or continue of a loop outside it.</summary>
    private static bool LeavesBy(IOperation statement, TextSpan scope, IOperation? function)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IReturnOperation or IBranchOperation && OperationShape.EnclosingFunction(operation) == function
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
}
