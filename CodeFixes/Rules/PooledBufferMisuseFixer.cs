using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Ownership;
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
/// FOLIO011 fixes, offered only where every path agrees: a second <c>pool.Return(array);</c> that always follows a
/// return is removed; a use after the return moves the block's earlier <c>pool.Return(array);</c> down to just after
/// the last statement of the block that uses the array (or a view of it), when nothing between can leave the block.
/// A return to another pool gets no fix: which pool is right is a judgment.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PooledBufferMisuseFixer))]
public sealed class PooledBufferMisuseFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PooledBufferMisuse);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (!diagnostic.Properties.ContainsKey(PooledBufferMisuseAnalyzer.CertainProperty)
            || !diagnostic.Properties.TryGetValue(PooledBufferMisuseAnalyzer.BufferProperty, out var buffer) || buffer is null
            || root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
            return;

        diagnostic.Properties.TryGetValue(PooledBufferMisuseAnalyzer.MisuseProperty, out var misuse);
        if (misuse == nameof(OwnershipFlow.Misuse.ReleasedTwice) && PoolReturns.IsReturnOf(statement, buffer))
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Remove the second return",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!)),
                RuleIdentifiers.PooledBufferMisuse + ".RemoveSecondReturn"), diagnostic);
            return;
        }
        if (misuse is nameof(OwnershipFlow.Misuse.UsedAfterRelease) or nameof(OwnershipFlow.Misuse.ViewOutlivesResource)
            && ReturnMovedAfterLastUse(block, statement, buffer, node) is { } reordered)
        {
            context.RegisterCodeFix(CodeAction.Create(
                "Return the buffer after its last use",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(block, reordered.WithAdditionalAnnotations(Formatter.Annotation)))),
                RuleIdentifiers.PooledBufferMisuse + ".ReturnAfterLastUse"), diagnostic);
        }
    }

    /// <summary>
    /// The block with its <c>pool.Return(buffer);</c> before the use moved to after the last statement that names the
    /// buffer or the view used; null when the return is not a statement of this block, or a statement it would move
    /// past can leave the block (the return would then be skipped).
    /// </summary>
    private static BlockSyntax? ReturnMovedAfterLastUse(BlockSyntax block, StatementSyntax use, string buffer, SyntaxNode used)
    {
        int useIndex = block.Statements.IndexOf(use);
        int returnIndex = -1;
        for (int i = useIndex - 1; i >= 0 && returnIndex < 0; i--)
        {
            if (PoolReturns.IsReturnOf(block.Statements[i], buffer))
                returnIndex = i;
        }
        if (returnIndex < 0)
            return null;
        string usedName = used is IdentifierNameSyntax view ? view.Identifier.ValueText : buffer;
        int last = useIndex;
        for (int i = useIndex + 1; i < block.Statements.Count; i++)
        {
            if (PoolReturns.Mention([block.Statements[i]], buffer) || PoolReturns.Mention([block.Statements[i]], usedName))
                last = i;
        }
        var moved = block.Statements.Skip(returnIndex + 1).Take(last - returnIndex).ToList();
        if (moved.Any(PoolReturns.MayLeave) || moved.Any(s => PoolReturns.IsReturnOf(s, buffer)))
            return null;
        var statements = block.Statements.ToList();
        var release = statements[returnIndex];
        statements.RemoveAt(returnIndex);
        statements.Insert(last, release);
        return block.WithStatements(SyntaxFactory.List(statements));
    }
}
