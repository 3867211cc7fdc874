using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO004 fixes, offered only where every path agrees: a second <c>m.Unmap();</c> that always follows an unmap is
/// removed; the block's own later <c>m.Unmap();</c> (or <c>m.Dispose();</c>) moves up to just before a
/// <c>buffer.Dispose();</c> that always frees the buffer while mapped. A use after unmap gets no fix: where the use
/// should go is a judgment.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnmapMisuseFixer))]
public sealed class UnmapMisuseFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnmapMisuse);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (!diagnostic.Properties.ContainsKey(UnmapMisuseAnalyzer.CertainProperty)
            || !diagnostic.Properties.TryGetValue(UnmapMisuseAnalyzer.MappingProperty, out var mapping) || mapping is null
            || root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            || call.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax block } statement)
            return;

        if (access.Name.Identifier.ValueText == Names.PageMapping.Unmap)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Remove the second unmap",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!)),
                RuleIdentifiers.UnmapMisuse + ".RemoveSecondUnmap"), diagnostic);
            return;
        }
        if (MovedAfterUnmap(block, statement, mapping) is { } reordered)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Unmap before freeing the buffer",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(block, reordered.WithAdditionalAnnotations(Formatter.Annotation)))),
                RuleIdentifiers.UnmapMisuse + ".UnmapFirst"), diagnostic);
        }
    }

    /// <summary>
    /// The block with the first later <c>m.Unmap();</c> or <c>m.Dispose();</c> of the mapping moved to just before the
    /// free, when the statements in between never mention the mapping (so none of them needed it mapped).
    /// </summary>
    private static BlockSyntax? MovedAfterUnmap(BlockSyntax block, StatementSyntax free, string name)
    {
        int index = block.Statements.IndexOf(free);
        for (int later = index + 1; later < block.Statements.Count; later++)
        {
            if (block.Statements[later] is not ExpressionStatementSyntax
                {
                    Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax mapping, Name.Identifier.ValueText: Names.PageMapping.Unmap or Names.Disposable.Dispose } },
                } || mapping.Identifier.ValueText != name)
                continue;
            var between = block.Statements.Skip(index + 1).Take(later - index - 1);
            if (between.SelectMany(s => s.DescendantTokens()).Any(t => t.ValueText == name))
                return null;
            var statements = block.Statements.ToList();
            var unmap = statements[later];
            statements.RemoveAt(later);
            statements.Insert(index, unmap);
            return block.WithStatements(SyntaxFactory.List(statements));
        }
        return null;
    }
}
