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
/// FOLIO003 fix: a mapping declared in a block gets a using declaration; when the block unmaps it explicitly,
/// the statements up to that unmap move into a using statement and the explicit unmap goes, so the mapping is
/// still released at the same point (before any later free of its pages). A mapping assigned to an earlier
/// declared local, where no using can go, gets a try/finally instead.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MappingLifetimeFixer))]
public sealed class MappingLifetimeFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MappingNotUnmapped);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        var (block, fixedBlock, title, key) = node switch
        {
            { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } } => (declarator.Parent?.Parent?.Parent as BlockSyntax, UsingFix(declarator), "Unmap with a using", RuleIdentifiers.MappingNotUnmapped + ".Using"),
            { Parent: AssignmentExpressionSyntax assignment } when assignment.Right == node => (assignment.Parent?.Parent as BlockSyntax, TryFinallyFix(assignment), "Unmap in a finally", RuleIdentifiers.MappingNotUnmapped + ".TryFinally"),
            _ => (null, null, "", ""),
        };
        if (block is null || fixedBlock is null)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            title,
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root!.ReplaceNode(block, fixedBlock.WithAdditionalAnnotations(Formatter.Annotation)))),
            key), context.Diagnostics[0]);
    }

    /// <summary>A using declaration, or a using statement that ends where the explicit unmap was.</summary>
    private static BlockSyntax? UsingFix(VariableDeclaratorSyntax declarator)
    {
        if (declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || declaration.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } statement
            || statement.Parent is not BlockSyntax block)
            return null;
        string name = declarator.Identifier.Text;
        int index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        if (!OnlyUsedSafely(name, rest))
            return null;

        int release = rest.FindLastIndex(s => IsExplicitRelease(s, name));
        return release < 0
            ? block.ReplaceNode(statement, statement.WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                .WithLeadingTrivia(statement.GetLeadingTrivia()).WithDeclaration(declaration.WithoutLeadingTrivia()))
            : WrapInUsing(block, statement, declaration, index, release, rest);
    }

    /// <summary>
    /// Where a using cannot go (the mapping is assigned to a local declared earlier in the block), the statements
    /// after the assignment move into a try whose finally disposes it, up to the explicit unmap when there is one.
    /// </summary>
    private static BlockSyntax? TryFinallyFix(AssignmentExpressionSyntax assignment)
    {
        if (assignment is not { Left: IdentifierNameSyntax target, Parent: ExpressionStatementSyntax statement }
            || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            || statement.Parent is not BlockSyntax block)
            return null;
        string name = target.Identifier.Text;
        int index = block.Statements.IndexOf(statement);
        // Declared in this block, so nothing after the block can still use the mapping the finally unmaps.
        bool declaredHere = block.Statements.Take(index).OfType<LocalDeclarationStatementSyntax>()
            .Any(d => d.Declaration.Variables.Any(v => v.Identifier.Text == name));
        var rest = block.Statements.Skip(index + 1).ToList();
        if (!declaredHere || !OnlyUsedSafely(name, rest))
            return null;

        int release = rest.FindLastIndex(s => IsExplicitRelease(s, name));
        var inside = release < 0 ? rest : rest.Take(release).ToList();
        var after = release < 0 ? new List<StatementSyntax>() : rest.Skip(release + 1).ToList();
        if (SyntaxChecks.DeclaresNamesUsedIn(inside, after))
            return null;
        // Dispose, not Unmap: a path that already unmapped early must not unmap twice (which throws).
        var unmap = SyntaxFactory.ParseStatement($"{name}.Dispose();");
        var tryStatement = SyntaxFactory.TryStatement(SyntaxFactory.Block(inside), default, SyntaxFactory.FinallyClause(SyntaxFactory.Block(unmap)))
            .WithTrailingTrivia(release < 0 ? statement.GetTrailingTrivia() : rest[release].GetTrailingTrivia());
        var statements = block.Statements.Take(index + 1).Append(tryStatement).Concat(after);
        return block.WithStatements(SyntaxFactory.List(statements));
    }

    private static BlockSyntax? WrapInUsing(BlockSyntax block, LocalDeclarationStatementSyntax statement, VariableDeclarationSyntax declaration, int index, int release, List<StatementSyntax> rest)
    {
        var inside = rest.Take(release).ToList();
        var after = rest.Skip(release + 1).ToList();
        if (SyntaxChecks.DeclaresNamesUsedIn(inside, after))
            return null;
        var usingStatement = SyntaxFactory.UsingStatement(declaration.WithoutTrivia(), null, SyntaxFactory.Block(inside))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(rest[release].GetTrailingTrivia());
        var statements = block.Statements.Take(index).Append(usingStatement).Concat(after);
        return block.WithStatements(SyntaxFactory.List(statements));
    }

    private static bool IsExplicitRelease(StatementSyntax statement, string name) =>
        statement is ExpressionStatementSyntax
        {
            Expression: InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: Names.PageMapping.Unmap or Names.Disposable.Dispose },
                ArgumentList.Arguments.Count: 0,
            },
        } && target.Identifier.Text == name;

    /// <summary>True when the mapping is only read through its members: never reassigned, returned, stored or passed on.</summary>
    private static bool OnlyUsedSafely(string name, IEnumerable<StatementSyntax> statements)
    {
        foreach (var identifier in statements.SelectMany(s => s.DescendantNodes()).OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.Text != name)
                continue;
            if (identifier.Parent is MemberAccessExpressionSyntax access && access.Expression == identifier)
                continue;
            if (identifier.Parent is ConditionalAccessExpressionSyntax conditional && conditional.Expression == identifier)
                continue;
            return false;
        }
        return true;
    }
}
