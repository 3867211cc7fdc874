using Folios.Analyzers.Engine;
using Folios.Analyzers.Pools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// The tree-proven half of the engine's use model: whether a local that holds a buffer (a rented array, a writer's
/// span), and every local given a view of it, is used only inside a stretch of text, in one function, where each use
/// consumes it: through the views made of it (a conversion, <c>AsSpan</c>, <c>Slice</c>, <c>.Span</c>, a span or segment
/// made over it) to an element access, a member read or call that yields no buffer, a comparison, a <c>foreach</c>, or
/// an argument that does not take it; or kept in a local declared in that stretch, whose uses are checked in turn.
/// Nothing used so can be used outside the stretch or kept beyond it. The proofs of the kinds
/// (<see cref="StructuredReturn"/>, <see cref="Pipelines.StructuredAdvance"/>) decide where the stretch ends.
/// </summary>
internal sealed class ScopedUses(IOperation[] listing, TextSpan scope, IOperation? function, Func<IArgumentOperation, bool> takes)
{
    private const int MaxViewLocals = 8;

    private readonly List<ILocalSymbol> _holders = [];

    /// <summary>
    /// Whether every reference to <paramref name="holder"/> but the <paramref name="exempt"/> ones, and every reference
    /// to a local given a view of it, is consumed inside the scope.
    /// </summary>
    public bool AllConsumed(ILocalSymbol holder, Func<ILocalReferenceOperation, bool> exempt)
    {
        if (!_holders.Contains(holder, SymbolEqualityComparer.Default))
            _holders.Add(holder);
        for (int next = 0; next < _holders.Count; next++)
        {
            if (next == MaxViewLocals)
                return false;
            foreach (var operation in listing)
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, _holders[next])
                    && !(SymbolEqualityComparer.Default.Equals(reference.Local, holder) && exempt(reference))
                    && !(scope.Contains(reference.Syntax.Span) && OperationShape.EnclosingFunction(reference) == function && Consumed(reference)))
                    return false;
            }
        }
        return true;
    }

    /// <summary>Whether a value that holds the buffer is consumed where it stands, or kept in a local of the scope (checked by <see cref="AllConsumed"/>).</summary>
    public bool Consumed(IOperation value)
    {
        var top = value;
        while (ViewOver(top) is { } view)
            top = view;
        switch (top.Parent)
        {
            case IArgumentOperation argument:
                return argument.Parameter is { RefKind: not (RefKind.Ref or RefKind.Out) } && !takes(argument);
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
                return Keep(local);
            case ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation { Local: { IsRef: false } local } } assignment when assignment.Value == top:
                return Keep(local);
            default:
                return false;
        }
    }

    /// <summary>A local of the scope that holds the buffer: its own uses must be consumed in the scope.</summary>
    private bool Keep(ILocalSymbol local)
    {
        if (local.DeclaringSyntaxReferences.FirstOrDefault() is not { } declared || !scope.Contains(declared.Span))
            return false;
        if (!_holders.Contains(local, SymbolEqualityComparer.Default))
            _holders.Add(local);
        return true;
    }

    /// <summary>
    /// The operation that makes a view of the value and still holds the buffer (a conversion, either branch of a
    /// conditional, a member whose value is an array, span, memory or segment other than a copy, a span or segment made
    /// over it); null where the value is consumed.
    /// </summary>
    private static IOperation? ViewOver(IOperation value) => value.Parent switch
    {
        IConversionOperation conversion => conversion,
        IConditionalOperation conditional when conditional.WhenTrue == value || conditional.WhenFalse == value => conditional,
        IInvocationOperation call when call.Instance == value && HoldsBuffer(call) => call,
        IPropertyReferenceOperation property when property.Instance == value && BufferTypes.CanHold(property.Type) => property,
        IImplicitIndexerReferenceOperation range when range.Instance == value && BufferTypes.CanHold(range.Type) => range,
        IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } call } when HoldsBuffer(call) => call,
        IArgumentOperation { Parameter.Ordinal: 0, Parent: IObjectCreationOperation creation } when BufferTypes.IsView(creation.Type) => creation,
        _ => null,
    };

    private static bool HoldsBuffer(IInvocationOperation call) => BufferTypes.CanHold(call.Type) && call.TargetMethod.Name != Names.Span.ToArray;
}
