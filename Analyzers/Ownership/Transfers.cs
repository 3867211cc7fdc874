using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>Where a resource's ownership leaves the method, whatever its kind: the engine's transfer model.</summary>
internal static class Transfers
{
    /// <summary>
    /// Whether a body keeps or drops a resource it acquires, and parses: the cheap test before building a control-flow
    /// graph. Most bodies acquire nothing, a resource handed straight on (<see cref="WhereItGoes"/>) is not the body's
    /// to release, and one released by a structure it cannot escape (<see cref="ResourceKind.ReleasedByStructure"/>)
    /// cannot be reported (<paramref name="exceptionLeaksReported"/>: whether the rule asking reports a resource lost
    /// by an exception); while the code does not parse, paths are guesses, so the rules stay silent.
    /// </summary>
    public static bool WorthAGraph(IOperation body, ResourceKind kind, bool exceptionLeaksReported)
    {
        if (body.Syntax.ContainsDiagnostics)
            return false;
        var listing = OperationTrees.Of(body);
        List<IInvocationOperation>? releases = null;
        foreach (var operation in listing)
        {
            if (operation is not IInvocationOperation call || !kind.Acquires(call) || WhereItGoes(call, kind) == FreshResource.HandedOn)
                continue;
            if (!kind.ReleasedByStructure(call, listing, exceptionLeaksReported, out var release))
                return true;
            releases ??= [];
            if (release is not null)
                releases.Add(release);
        }
        return releases is not null && !kind.ReleasesNothingElse(listing, releases);
    }

    /// <summary>What becomes of a resource in the expression that acquires it.</summary>
    public enum FreshResource
    {
        /// <summary>Into a local, a conditional, a tuple...: the flow over the graph follows it.</summary>
        Followed,

        /// <summary>To an owner (an argument that takes it, a return, a field, property or array element), or released at once.</summary>
        HandedOn,

        /// <summary>Used once and not kept: a statement of its own, a member read or call on it, an argument that does not take it.</summary>
        Dropped,
    }

    public static FreshResource WhereItGoes(IInvocationOperation call, ResourceKind kind)
    {
        var value = OperationShape.Awaited(OperationShape.Outermost(call));
        return value.Parent switch
        {
            IArgumentOperation argument => kind.TakesOwnership(argument, Tracked.Fresh(call)) || argument.Parent is IInvocationOperation release && kind.ReleaseBy(release, Tracked.Fresh(call)) != ResourceKind.Release.None
                    || KeptAsView(argument.Parent, call, kind)
                ? FreshResource.HandedOn
                : FreshResource.Dropped,
            IReturnOperation => FreshResource.HandedOn,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation } store when store.Value == value => FreshResource.HandedOn,
            IExpressionStatementOperation => FreshResource.Dropped,
            IPropertyReferenceOperation property when property.Instance == value => FreshResource.Dropped,
            IInvocationOperation use when use.Instance == value => kind.ReleaseBy(use, Tracked.Fresh(call)) != ResourceKind.Release.None ? FreshResource.HandedOn : FreshResource.Dropped,
            _ => FreshResource.Followed,
        };
    }

    /// <summary>
    /// An argument whose callee keeps what it is given: a ref or out parameter, a collection's adder, a constructor, or
    /// a local function of the method (its own graph is analysed on its own, and it may release what it is given).
    /// </summary>
    public static bool IsOwnerArgument(IArgumentOperation argument) =>
        argument.Parameter is { } parameter
        && (parameter.RefKind is RefKind.Ref or RefKind.Out
            || argument.Parent is IInvocationOperation call
                && (Array.IndexOf(Names.Collections.Adders, call.TargetMethod.Name) >= 0 || call.TargetMethod.MethodKind == MethodKind.LocalFunction)
            || argument.Parent is IObjectCreationOperation);

    /// <summary>
    /// A resource turned at once into a view that leads back to it (<c>pool.Rent(n).AsMemory(0, n)</c>): the code keeps
    /// it as that view, which the flow does not follow.
    /// </summary>
    private static bool KeptAsView(IOperation? maker, IInvocationOperation call, ResourceKind kind) =>
        maker is IInvocationOperation or IObjectCreationOperation && kind.IsView(maker, Tracked.Fresh(call)) && kind.ViewCarriesOwnership(maker);

    /// <summary>A value built around its parts (a tuple, an array), so that a resource among them goes where it goes.</summary>
    public static bool IsCarrier(IOperation operation) => operation is ITupleOperation or IArrayInitializerOperation;

    /// <summary>A store that keeps the resource beyond the method: a field, property, array element, parameter or another variable.</summary>
    public static bool IsEscapeTarget(IOperation target) =>
        target is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation or IParameterReferenceOperation
            or ILocalReferenceOperation or IDynamicMemberReferenceOperation;
}
