using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    /// An argument whose callee keeps what it is given: a ref or out parameter, a collection's adder, a constructor, a
    /// local function of the method (its own graph is analysed on its own, and it may release what it is given), or a
    /// method of the compilation that keeps the parameter (<see cref="KeepsParameter"/>).
    /// </summary>
    public static bool IsOwnerArgument(IArgumentOperation argument) =>
        argument.Parameter is { } parameter
        && (parameter.RefKind is RefKind.Ref or RefKind.Out
            || argument.Parent is IInvocationOperation call
                && (Array.IndexOf(Names.Collections.Adders, call.TargetMethod.Name) >= 0 || call.TargetMethod.MethodKind == MethodKind.LocalFunction
                    || call.TargetMethod.MethodKind == MethodKind.Ordinary && KeepsParameter(call.TargetMethod, parameter))
            || argument.Parent is IObjectCreationOperation);

    /// <summary>
    /// Whether a method of the compilation keeps a parameter, read from its source without binding it: stores it in a
    /// field or property (<c>_array = array</c>, <c>this.array = array</c>: a segment's <c>Assign</c>, a holder's
    /// <c>SetArray</c>), or gives it back to a pool (<c>pool.Return(buffer)</c>: the project's own return helper).
    /// </summary>
    private static bool KeepsParameter(IMethodSymbol method, IParameterSymbol parameter)
    {
        if (method.IsAbstract || method.DeclaringSyntaxReferences.Length != 1 || method.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
            return false;
        SyntaxNode? body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
        if (body is null)
            return false;
        string name = parameter.Name;
        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } store
                    when IsParameter(store.Right, name) && store.Left is MemberAccessExpressionSyntax or IdentifierNameSyntax && !DeclaresLocal(body, store.Left):
                    return true;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.ArrayPool.Return }, ArgumentList.Arguments: { Count: > 0 } arguments }
                    when IsParameter(arguments[0].Expression, name):
                    return true;
            }
        }
        return false;
    }

    /// <summary>Whether an expression is the parameter itself (<c>array</c>, <c>array!</c>, <c>array ?? throw ...</c>).</summary>
    private static bool IsParameter(ExpressionSyntax expression, string parameter) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == parameter,
        ParenthesizedExpressionSyntax parenthesized => IsParameter(parenthesized.Expression, parameter),
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed => IsParameter(suppressed.Operand, parameter),
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression, Right: ThrowExpressionSyntax } coalesce => IsParameter(coalesce.Left, parameter),
        _ => false,
    };

    /// <summary>Whether the target of a store is a local or parameter of the body rather than a field or property.</summary>
    private static bool DeclaresLocal(SyntaxNode body, ExpressionSyntax target)
    {
        if (target is not IdentifierNameSyntax identifier)
            return false;
        string name = identifier.Identifier.ValueText;
        if (body.Parent is MethodDeclarationSyntax method && method.ParameterList.Parameters.Any(parameter => parameter.Identifier.ValueText == name))
            return true;
        return body.DescendantNodes().Any(node => node is VariableDeclaratorSyntax declarator && declarator.Identifier.ValueText == name
            || node is SingleVariableDesignationSyntax designation && designation.Identifier.ValueText == name);
    }

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
