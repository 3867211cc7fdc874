using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>
/// What a <see cref="ResourceKind"/> may ask about the resource the engine follows: whether an operation is it (the local
/// or an alias of it), the calls it may come from, and the value a local of the graph is given when it is given one.
/// </summary>
internal readonly struct Tracked(Func<IOperation?, bool> isTracked, IReadOnlyList<IInvocationOperation> acquisitions, Func<ILocalSymbol, IOperation?> singleWrite, Func<ILocalSymbol, bool>? isView = null)
{
    /// <summary>Whether the operation is the tracked local, an alias of it, or a flow capture that stands for it.</summary>
    public bool Is(IOperation? operation) => isTracked(operation);

    /// <summary>
    /// Where <paramref name="node"/> reads the resource through its variable: the outermost operation around the
    /// reference (conversions and parentheses included); null when the node is no such reference, or when it is the
    /// target of a new value written over the variable, which no longer touches the resource.
    /// </summary>
    public IOperation? ReferenceAt(IOperation node)
    {
        if (node is not (ILocalReferenceOperation or IFlowCaptureReferenceOperation) || !Is(node))
            return null;
        var used = OperationShape.Outermost(node);
        return used.Parent is ISimpleAssignmentOperation assignment && assignment.Target == used ? null : used;
    }

    /// <summary>Whether the operation reads a local that holds a view of the resource (a view of a view is one too).</summary>
    public bool IsViewLocal(IOperation? operation) => isView is not null && operation is ILocalReferenceOperation local && isView(local.Local);

    /// <summary>The calls the resource may come from (several on different paths).</summary>
    public IReadOnlyList<IInvocationOperation> Acquisitions { get; } = acquisitions;

    /// <summary>
    /// Whether <paramref name="source"/> is named the way the instance of any acquisition is (<c>reader</c>,
    /// <c>_output</c>, <c>this._output</c> as <c>_output</c>): the reader or writer the resource came from.
    /// </summary>
    public bool CameFrom(IOperation? source)
    {
        if (source is null)
            return false;
        string key = SourceKey(source);
        foreach (var acquisition in Acquisitions)
        {
            if (acquisition.Instance is { } from && SourceKey(from) == key)
                return true;
        }
        return false;
    }

    /// <summary>How a reader or writer is named: by its text, and a local given one field or property once (<c>var input = _transport.Input</c>) by that member.</summary>
    private string SourceKey(IOperation source) =>
        OperationShape.Unwrap(source) is ILocalReferenceOperation local && SingleWrite(local.Local) is { } value
            && OperationShape.Unwrap(value) is IFieldReferenceOperation or IPropertyReferenceOperation
            ? OperationShape.TextKey(OperationShape.Unwrap(value)!)
            : OperationShape.TextKey(source);

    /// <summary>The value a local of the graph is assigned, when it is assigned exactly once; else null.</summary>
    public IOperation? SingleWrite(ILocalSymbol local) => singleWrite(local);

    /// <summary>A resource just acquired by <paramref name="call"/>, seen before it reaches any local (WhereItGoes).</summary>
    public static Tracked Fresh(IInvocationOperation call) => new(operand => operand == call, [call], static _ => null);
}
