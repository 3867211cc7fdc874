using System.Collections.Immutable;
using System.Composition;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO001 fixes: a SingleFolio buffer becomes order-0 pages (Pages or FolioOrPages); an explicit NoFail flag is
/// dropped, which keeps behaviour (the allocator ignores NoFail above order 1) and makes the failure visible.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NoFailOrderFixer)), Shared]
public sealed class NoFailOrderFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("FOLIO001");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || model?.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation)
            return;
        var diagnostic = context.Diagnostics[0];

        if (FindArgument(operation, "AllocationPolicy") is { Syntax: ArgumentSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "SingleFolio" } policy } })
        {
            foreach (var replacement in new[] { "Pages", "FolioOrPages" })
            {
                context.RegisterCodeFix(CodeAction.Create(
                    $"Use AllocationPolicy.{replacement} (order-0 pages never fail)",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(policy.Name, SyntaxFactory.IdentifierName(replacement).WithTriviaFrom(policy.Name)))),
                    "FOLIO001." + replacement), diagnostic);
            }
            return;
        }

        if (FindArgument(operation, "AllocFlags") is { Syntax: ArgumentSyntax flagsArgument } && WithoutNoFail(flagsArgument.Expression) is { } flags)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Drop NoFail: the request may fail and must be handled",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(flagsArgument.Expression, flags.WithTriviaFrom(flagsArgument.Expression)))),
                "FOLIO001.DropNoFail"), diagnostic);
        }
    }

    private static IArgumentOperation? FindArgument(IInvocationOperation operation, string typeName)
    {
        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter?.Type is { Name: var name, ContainingNamespace.Name: "Folios" } && name == typeName && argument.ArgumentKind == ArgumentKind.Explicit)
                return argument;
        }
        return null;
    }

    /// <summary>The flags expression with its NoFail operand removed: <c>X.NoFail</c> becomes <c>X.None</c>, <c>a | X.NoFail</c> becomes <c>a</c>.</summary>
    private static ExpressionSyntax? WithoutNoFail(ExpressionSyntax flags)
    {
        switch (flags)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "NoFail" } noFail:
                return noFail.WithName(SyntaxFactory.IdentifierName("None"));
            case ParenthesizedExpressionSyntax parenthesized:
                return WithoutNoFail(parenthesized.Expression) is { } inner ? parenthesized.WithExpression(inner) : null;
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression):
                if (IsNoFail(binary.Right))
                    return binary.Left.WithTrailingTrivia(binary.Right.GetTrailingTrivia());
                if (IsNoFail(binary.Left))
                    return binary.Right.WithLeadingTrivia(binary.Left.GetLeadingTrivia());
                if (WithoutNoFail(binary.Left) is { } left)
                    return binary.WithLeft(left);
                return null;
            default:
                return null;
        }
    }

    private static bool IsNoFail(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "NoFail" };
}
