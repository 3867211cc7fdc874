using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace Folios.CodeFixes.Rewrites;

/// <summary>
/// A statement around <c>a.Allocate(order, flags)</c> becomes a <c>TryAllocate</c> without NoFail and a failure
/// branch that throws what Allocate threw, ready for a real fallback:
/// <code>
/// if (!a.TryAllocate(order, flags, out var f, out var reason))
/// {
///     throw new PageAllocationException(order, flags, reason);
/// }
/// </code>
/// Handled forms: a local declaration, an assignment to a local, parameter or field, a discarded call, a return.
/// </summary>
internal static class TryAllocateRewrite
{
    public static SyntaxNode? TryApply(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax allocate, ExpressionSyntax flags, CancellationToken cancellation)
    {
        if (allocate.Expression is not MemberAccessExpressionSyntax { Name.Identifier.Text: Names.PageAllocator.Allocate } access
            || SyntaxChecks.PositionalArguments(allocate) is not { Count: 2 } arguments
            || !IsSafeOrder(arguments[0])
            || !SyntaxChecks.IsSafeToRepeat(flags)
            || allocate.FirstAncestorOrSelf<StatementSyntax>() is not { } statement
            || !SyntaxChecks.IsInStatementList(statement)
            || model.GetTypeInfo(allocate, cancellation).Type is not { } folioType)
            return null;

        string reason = SyntaxChecks.UniqueName(statement, model, "reason");
        string? returned = null;
        string outTarget;
        switch (statement)
        {
            case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0, Declaration: { Variables.Count: 1 } declaration }
                when declaration.Variables[0].Initializer?.Value == allocate
                     && (declaration.Type.IsVar || SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(declaration.Type, cancellation).Type, folioType)):
                outTarget = $"out {declaration.Type.WithoutTrivia()} {declaration.Variables[0].Identifier.ValueText}";
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                     && assignment.Right == allocate && IsOutTarget(model.GetOperation(assignment.Left, cancellation), folioType):
                outTarget = $"out {assignment.Left.WithoutTrivia()}";
                break;
            case ExpressionStatementSyntax { Expression: var expression } when expression == allocate:
                outTarget = "out _";
                break;
            case ReturnStatementSyntax { Expression: var expression } when expression == allocate:
                returned = SyntaxChecks.UniqueName(statement, model, "folio");
                outTarget = $"out var {returned}";
                break;
            default:
                return null;
        }

        string order = arguments[0].WithoutTrivia().ToString(), flagsText = flags.WithoutTrivia().ToString();
        var check = (IfStatementSyntax)SyntaxFactory.ParseStatement(
            $"if (!{access.Expression.WithoutTrivia()}.TryAllocate({order}, {flagsText}, {outTarget}, out var {reason}))\n" +
            $"{{\n    throw new global::Folios.PageAllocationException({order}, {flagsText}, {reason});\n}}");
        var exceptionType = ((ObjectCreationExpressionSyntax)check.DescendantNodes().OfType<ThrowStatementSyntax>().Single().Expression!).Type;
        check = check.ReplaceNode(exceptionType, exceptionType.WithAdditionalAnnotations(Simplifier.Annotation))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        if (returned is null)
            return root.ReplaceNode(statement, check);
        // Parsed rather than built: built tokens carry elastic trivia, for which the formatter adds a blank line after the block.
        var indentation = statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var returnStatement = SyntaxFactory.ParseStatement($"return {returned};")
            .WithLeadingTrivia(indentation.Reverse())
            .WithTrailingTrivia(statement.GetTrailingTrivia());
        return root.ReplaceNode(statement, new SyntaxNode[] { check, returnStatement });
    }

    /// <summary>An order written as a name or constant, or <c>x.OrderForSize(constant)</c>: the failure branch repeats it.</summary>
    private static bool IsSafeOrder(ExpressionSyntax order) =>
        SyntaxChecks.IsSafeToRepeat(order)
        || order is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.PageAllocator.OrderForSize } call } invocation
           && SyntaxChecks.IsSafeToRepeat(call.Expression)
           && invocation.ArgumentList.Arguments.All(a => SyntaxChecks.IsSafeToRepeat(a.Expression));

    /// <summary>A variable an <c>out</c> argument may write: a local, a by-value or ref parameter, a writable field, of the folio's type.</summary>
    private static bool IsOutTarget(IOperation? target, ITypeSymbol folioType) =>
        target is ILocalReferenceOperation or IParameterReferenceOperation { Parameter.RefKind: RefKind.None or RefKind.Ref or RefKind.Out } or IFieldReferenceOperation { Field.IsReadOnly: false }
        && SymbolEqualityComparer.Default.Equals(target.Type, folioType);
}
