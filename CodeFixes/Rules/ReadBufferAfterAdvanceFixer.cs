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

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO014 fix, where every use after the advance only reads the buffer's <c>Length</c> or <c>IsEmpty</c>: the value is
/// captured in a local just before the block's <c>AdvanceTo</c> statement, and the uses read the local. Any other use
/// after the advance gets no fix: what the code wanted from the released memory is a judgment.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadBufferAfterAdvanceFixer))]
public sealed class ReadBufferAfterAdvanceFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ReadBufferUsedAfterAdvance);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
            return;
        var reads = new List<MemberAccessExpressionSyntax>();
        foreach (var location in new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations))
        {
            if (root.FindNode(location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax used
                || used.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.ReadOnlySequence.Length or Names.ReadOnlySequence.IsEmpty } read
                || read.Expression != used)
                return;
            reads.Add(read);
        }
        var first = reads[0];
        if (first.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } useStatement
            || AdvanceBefore(block, useStatement) is not { } advance
            || reads.Any(read => !block.Span.Contains(read.Span) || read.Expression.ToString() != first.Expression.ToString()))
            return;
        context.RegisterCodeFix(CodeAction.Create(
            "Read it before AdvanceTo",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(block, Captured(block, advance, reads, model).WithAdditionalAnnotations(Formatter.Annotation)))),
            RuleIdentifiers.ReadBufferUsedAfterAdvance + ".ReadBeforeAdvance"), diagnostic);
    }

    /// <summary>The last <c>reader.AdvanceTo(...);</c> statement of the block before the use.</summary>
    private static StatementSyntax? AdvanceBefore(BlockSyntax block, StatementSyntax use)
    {
        for (int i = block.Statements.IndexOf(use) - 1; i >= 0; i--)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.PipeReader.AdvanceTo } } } advance)
                return advance;
        }
        return null;
    }

    /// <summary>One local per property read (<c>bufferLength</c>, <c>bufferIsEmpty</c>), declared before the advance, read where the buffer was.</summary>
    private static BlockSyntax Captured(BlockSyntax block, StatementSyntax advance, List<MemberAccessExpressionSyntax> reads, SemanticModel model)
    {
        var locals = new Dictionary<string, string>();
        string subject = reads[0].Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : reads[0].Expression.ToString();
        foreach (var read in reads)
        {
            string property = read.Name.Identifier.ValueText;
            if (!locals.ContainsKey(property))
                locals[property] = SyntaxChecks.UniqueName(advance, model, char.ToLowerInvariant(subject[0]) + subject.Substring(1) + property);
        }
        var rewritten = block.ReplaceNodes(reads, (read, _) => SyntaxFactory.IdentifierName(locals[read.Name.Identifier.ValueText]).WithTriviaFrom(read));
        var declarations = locals.Select(pair => SyntaxFactory.ParseStatement($"var {pair.Value} = {reads[0].Expression}.{pair.Key};").WithLeadingTrivia(advance.GetLeadingTrivia()).WithTrailingTrivia(advance.GetTrailingTrivia()));
        int at = block.Statements.IndexOf(advance);
        return rewritten.WithStatements(SyntaxFactory.List(rewritten.Statements.Take(at).Concat(declarations).Concat(rewritten.Statements.Skip(at))));
    }
}
