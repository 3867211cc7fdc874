using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Folios.CodeFixes.Rules;

/// <summary>
/// FOLIO012 fix: the statements after <c>var array = pool.Rent(n);</c> move into a try whose finally returns the array,
/// up to the block's own <c>pool.Return(array);</c> when there is one (it becomes the finally), so every path returns it
/// once, at the same point as before. Offered when the pool is named safely to repeat, the array is returned nowhere
/// else in those statements, is not reassigned, and nothing after the try needs it or a local declared inside.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RentedArrayLeakFixer))]
public sealed class RentedArrayLeakFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RentedArrayNotReturned);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var pool } } rent
            || !SyntaxChecks.IsSafeToRepeat(pool)
            || ArrayAndStatement(rent) is not ({ } array, { Parent: BlockSyntax block } statement)
            || ReturnedInFinally(block, statement, array, pool) is not { } fixedBlock)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            "Return the array in a finally",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(block, fixedBlock.WithAdditionalAnnotations(Formatter.Annotation)))),
            RuleIdentifiers.RentedArrayNotReturned + ".TryFinally"), context.Diagnostics[0]);
    }

    /// <summary>The local the rented array goes into, and the statement that puts it there: a declaration, or an assignment to a local declared before it in the same block.</summary>
    private static (string? Array, StatementSyntax? Statement) ArrayAndStatement(InvocationExpressionSyntax rent) => rent.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } declaration }
            => (declarator.Identifier.ValueText, declaration),
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax target, Parent: ExpressionStatementSyntax { Parent: BlockSyntax block } statement } assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            && block.Statements.TakeWhile(s => s != statement).OfType<LocalDeclarationStatementSyntax>().Any(d => d.Declaration.Variables.Any(v => v.Identifier.ValueText == target.Identifier.ValueText))
            => (target.Identifier.ValueText, statement),
        _ => (null, null),
    };

    private static BlockSyntax? ReturnedInFinally(BlockSyntax block, StatementSyntax statement, string array, ExpressionSyntax pool)
    {
        int index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        int release = rest.FindLastIndex(s => PoolReturns.IsReturnOf(s, array));
        var inside = release < 0 ? rest : rest.Take(release).ToList();
        var after = release < 0 ? [] : rest.Skip(release + 1).ToList();
        if (inside.Count == 0 || !OnlyUsed(array, inside) || PoolReturns.Mention(after, array) || SyntaxChecks.DeclaresNamesUsedIn(inside, after))
            return null;
        var returnStatement = release < 0
            ? SyntaxFactory.ParseStatement($"{pool.WithoutTrivia()}.{Names.ArrayPool.Return}({array});")
            : rest[release].WithoutTrivia();
        var tryStatement = SyntaxFactory.TryStatement(SyntaxFactory.Block(inside), default, SyntaxFactory.FinallyClause(SyntaxFactory.Block(returnStatement)))
            .WithTrailingTrivia(release < 0 ? inside[inside.Count - 1].GetTrailingTrivia() : rest[release].GetTrailingTrivia());
        return block.WithStatements(SyntaxFactory.List(block.Statements.Take(index + 1).Append(tryStatement).Concat(after)));
    }

    /// <summary>True when the statements never return, reassign, or capture the array: every use stays a use, and the finally returns it once.</summary>
    private static bool OnlyUsed(string array, List<StatementSyntax> statements)
    {
        foreach (var statement in statements)
        {
            foreach (var node in statement.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case StatementSyntax returned when PoolReturns.IsReturnOf(returned, array):
                    case AssignmentExpressionSyntax { Left: IdentifierNameSyntax written } when written.Identifier.ValueText == array:
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax when PoolReturns.Mention([node], array):
                    case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax byRef } when byRef.Identifier.ValueText == array:
                        return false;
                }
            }
        }
        return true;
    }
}
