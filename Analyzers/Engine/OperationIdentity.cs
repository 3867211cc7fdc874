using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// Operations as keys: the same operation by reference, hashed by where its syntax starts and by its kind. An
/// operation's own hash code is the object's identity hash, which the runtime reads through a slow path for the root
/// operation of a member, the key of every member's cache (docs/performance.md); every set and dictionary of
/// operations uses this instead.
/// </summary>
internal sealed class OperationIdentity : IEqualityComparer<IOperation>
{
    public static OperationIdentity Instance { get; } = new();

    private OperationIdentity()
    {
    }

    public bool Equals(IOperation? x, IOperation? y) => ReferenceEquals(x, y);

    public int GetHashCode(IOperation operation) => unchecked(operation.Syntax.FullSpan.Start * 31 + (int)operation.Kind);
}
