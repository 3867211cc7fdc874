using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Ownership;

/// <summary>What creates a mapping, what releases it, and where its ownership leaves the method.</summary>
internal static class MappingOwnership
{
    public static bool IsMapsPages(IInvocationOperation call, FoliosTypes types) =>
        FoliosTypes.HasAttribute(call.TargetMethod.OriginalDefinition, types.MapsPagesAttribute);

    /// <summary>
    /// Whether a method body keeps or drops a mapping it makes, and parses: the cheap test before building a
    /// control-flow graph. Most bodies map nothing, a mapping handed straight on (<see cref="WhereItGoes"/>) is not
    /// the body's to unmap, and one released by a using or try/finally it cannot escape (<see cref="StructuredRelease"/>)
    /// cannot be reported; while the code does not parse, paths are guesses, so the rules stay silent.
    /// </summary>
    public static bool WorthAGraph(IOperation body, FoliosTypes types)
    {
        if (body.Syntax.ContainsDiagnostics)
            return false;
        var listing = OperationTrees.Of(body);
        List<IInvocationOperation>? releases = null;
        foreach (var operation in listing)
        {
            if (operation is not IInvocationOperation call || !IsMapsPages(call, types) || WhereItGoes(call, types) == FreshMapping.HandedOn)
                continue;
            if (!StructuredRelease.Releases(call, listing, out var release))
                return true;
            releases ??= [];
            if (release is not null)
                releases.Add(release);
        }
        return releases is not null && !StructuredRelease.FreesNothingElse(listing, types, releases);
    }

    /// <summary>What becomes of a mapping in the expression that makes it.</summary>
    public enum FreshMapping
    {
        /// <summary>Into a local, a conditional, a tuple...: the flow over the graph follows it.</summary>
        Followed,

        /// <summary>To an owner (an argument that takes it, a return, a field, property or array element), or unmapped at once.</summary>
        HandedOn,

        /// <summary>Used once and not kept: a statement of its own, a member read or call on it, an argument that does not take it.</summary>
        Dropped,
    }

    public static FreshMapping WhereItGoes(IInvocationOperation call, FoliosTypes types)
    {
        var value = OperationShape.Outermost(call);
        return value.Parent switch
        {
            IArgumentOperation argument => TakesOwnership(argument, types) ? FreshMapping.HandedOn : FreshMapping.Dropped,
            IReturnOperation => FreshMapping.HandedOn,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation } store when store.Value == value => FreshMapping.HandedOn,
            IExpressionStatementOperation => FreshMapping.Dropped,
            IPropertyReferenceOperation property when property.Instance == value => FreshMapping.Dropped,
            IInvocationOperation use when use.Instance == value => IsUnmapsPages(use.TargetMethod, types) ? FreshMapping.HandedOn : FreshMapping.Dropped,
            _ => FreshMapping.Followed,
        };
    }

    public static bool IsUnmapsPages(IMethodSymbol method, FoliosTypes types) =>
        FoliosTypes.HasAttribute(method.OriginalDefinition, types.UnmapsPagesAttribute)
        || (method.Name == Names.Disposable.Dispose && method.Parameters.Length == 0 && method.ContainingType.SpecialType == SpecialType.System_IDisposable);

    /// <summary>An argument that releases the mapping or takes it out of the method: [UnmapsPages], ref/out, a collection.</summary>
    public static bool TakesOwnership(IArgumentOperation argument, FoliosTypes types)
    {
        if (argument.Parameter is not { } parameter)
            return false;
        if (FoliosTypes.HasAttribute(parameter, types.UnmapsPagesAttribute) || parameter.RefKind is RefKind.Ref or RefKind.Out)
            return true;
        return argument.Parent is IInvocationOperation call && Array.IndexOf(Names.Collections.Adders, call.TargetMethod.Name) >= 0
            || argument.Parent is IObjectCreationOperation;
    }

    /// <summary>A value built around its parts (a tuple, an array), so that a mapping among them goes where it goes.</summary>
    public static bool IsCarrier(IOperation operation) => operation is ITupleOperation or IArrayInitializerOperation;

    /// <summary>A store that keeps the mapping beyond the method: a field, property, array element, parameter or another variable.</summary>
    public static bool IsEscapeTarget(IOperation target) =>
        target is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation or IParameterReferenceOperation
            or ILocalReferenceOperation or IDynamicMemberReferenceOperation;
}
