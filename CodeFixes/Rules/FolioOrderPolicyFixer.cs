using System.Collections.Immutable;
using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO009 fix: an extent buffer whose policy asks for a folio (SingleFolio, FolioOrPages, FolioOrMapped) gets
/// <c>AllocationPolicy.Pages</c>; the helpers read it the same way. A direct Allocate of a large folio gets no fix:
/// what replaces it depends on how the folio is used (FOLIO001's AllocateContiguous fix may apply).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FolioOrderPolicyFixer))]
public sealed class FolioOrderPolicyFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.FolioOrderPolicy);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            return;
        var policy = invocation.ArgumentList.Arguments
            .Select(a => a.Expression)
            .OfType<MemberAccessExpressionSyntax>()
            .FirstOrDefault(m => m.Expression is IdentifierNameSyntax { Identifier.ValueText: Names.AllocationPolicy.TypeName } or MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.AllocationPolicy.TypeName }
                                 && m.Name.Identifier.ValueText is Names.AllocationPolicy.SingleFolio or Names.AllocationPolicy.FolioOrPages or Names.AllocationPolicy.FolioOrMapped);
        if (policy is null)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            "Use AllocationPolicy.Pages (order-0 pages)",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(policy.Name, SyntaxFactory.IdentifierName(Names.AllocationPolicy.Pages).WithTriviaFrom(policy.Name)))),
            RuleIdentifiers.FolioOrderPolicy + ".Pages"), context.Diagnostics[0]);
    }
}
