using Microsoft.CodeAnalysis;
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

    /// <summary>Whether the operation reads a local that holds a view of the resource (a view of a view is one too).</summary>
    public bool IsViewLocal(IOperation? operation) => isView is not null && operation is ILocalReferenceOperation local && isView(local.Local);

    /// <summary>The calls the resource may come from (several on different paths).</summary>
    public IReadOnlyList<IInvocationOperation> Acquisitions { get; } = acquisitions;

    /// <summary>The value a local of the graph is assigned, when it is assigned exactly once; else null.</summary>
    public IOperation? SingleWrite(ILocalSymbol local) => singleWrite(local);

    /// <summary>A resource just acquired by <paramref name="call"/>, seen before it reaches any local (WhereItGoes).</summary>
    public static Tracked Fresh(IInvocationOperation call) => new(operand => operand == call, [call], static _ => null);
}
