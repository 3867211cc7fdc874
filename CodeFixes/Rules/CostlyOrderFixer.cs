using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO006 fixes: an attempt with a fallback gets the missing NoRetry/NoWarn (as a named argument where the flags were
/// left to their default); a costly SingleFolio buffer becomes
/// FolioOrPages (one opportunistic attempt, then order-0 pages); a costly Allocate used only as memory becomes
/// AllocateContiguous (the same rewrite as FOLIO001's).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CostlyOrderFixer))]
public sealed class CostlyOrderFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CostlyOrder);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (root is null || node is null)
            return;

        if (diagnostic.Properties.TryGetValue(CostlyOrderAnalyzer.MissingFlagsProperty, out var missing) && missing is not null
            && diagnostic.Properties.TryGetValue(CostlyOrderAnalyzer.FlagsParameterProperty, out var parameter) && parameter is not null)
        {
            if (node is InvocationExpressionSyntax defaulted)
            {
                var argument = SyntaxFactory.Argument(SyntaxFactory.NameColon(parameter), default, WithFlags(null, missing.Split(',')));
                context.RegisterCodeFix(CodeAction.Create(
                    $"Add {string.Join(" and ", missing.Split(','))}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(defaulted, defaulted.AddArgumentListArguments(argument).WithAdditionalAnnotations(Formatter.Annotation)))),
                    RuleIdentifiers.CostlyOrder + ".AddFlags"), diagnostic);
            }
            return;
        }
        if (diagnostic.Properties.TryGetValue(CostlyOrderAnalyzer.MissingFlagsProperty, out missing) && missing is not null && node is ExpressionSyntax flags)
        {
            context.RegisterCodeFix(CodeAction.Create(
                $"Add {string.Join(" and ", missing.Split(','))}",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(flags, WithFlags(flags, missing.Split(',')).WithTriviaFrom(flags)))),
                RuleIdentifiers.CostlyOrder + ".AddFlags"), diagnostic);
            return;
        }
        if (node is not InvocationExpressionSyntax invocation)
            return;
        var singleFolio = invocation.ArgumentList.Arguments.Select(a => a.Expression).OfType<MemberAccessExpressionSyntax>()
            .FirstOrDefault(m => m.Name.Identifier.ValueText == Names.AllocationPolicy.SingleFolio);
        if (singleFolio is not null)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Use AllocationPolicy.FolioOrPages (falls back to order-0 pages)",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(singleFolio.Name, SyntaxFactory.IdentifierName(Names.AllocationPolicy.FolioOrPages).WithTriviaFrom(singleFolio.Name)))),
                RuleIdentifiers.CostlyOrder + ".FolioOrPages"), diagnostic);
            return;
        }
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is not null && AllocateContiguousRewrite.TryApply(root, model, invocation, context.CancellationToken) is { } contiguous)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Use AllocateContiguous (falls back to mapped order-0 pages)",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(contiguous)),
                RuleIdentifiers.CostlyOrder + ".Contiguous"), diagnostic);
        }
    }

    /// <summary><paramref name="flags"/> (none: the default) with the named flags or-ed in; <c>X.None</c> is replaced rather than kept.</summary>
    private static ExpressionSyntax WithFlags(ExpressionSyntax? flags, IEnumerable<string> names)
    {
        ExpressionSyntax? result = flags is null or MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.AllocFlags.None } ? null : Operand(flags.WithoutTrivia());
        foreach (var name in names)
        {
            var flag = SyntaxFactory.ParseExpression("global::Folios.AllocFlags." + name).WithAdditionalAnnotations(Simplifier.Annotation);
            result = result is null ? flag : SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, result, flag);
        }
        return result!;
    }

    private static ExpressionSyntax Operand(ExpressionSyntax flags) =>
        flags is IdentifierNameSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression }
            ? flags
            : SyntaxFactory.ParenthesizedExpression(flags);
}
