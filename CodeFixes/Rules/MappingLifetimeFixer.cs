using System.Collections.Immutable;
using System.Composition;
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
/// still released at the same point (before any later free of its pages).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MappingLifetimeFixer)), Shared]
public sealed class MappingLifetimeFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("FOLIO003");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (node?.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || declaration.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } statement
            || statement.Parent is not BlockSyntax block)
            return;
        string name = declarator.Identifier.Text;
        int index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        if (!OnlyUsedSafely(name, rest))
            return;

        int release = rest.FindLastIndex(s => IsExplicitRelease(s, name));
        var fixedBlock = release < 0
            ? block.ReplaceNode(statement, statement.WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                .WithLeadingTrivia(statement.GetLeadingTrivia()).WithDeclaration(declaration.WithoutLeadingTrivia()))
            : WrapInUsing(block, statement, declaration, index, release, rest);
        if (fixedBlock is null)
            return;
        context.RegisterCodeFix(CodeAction.Create(
            "Unmap with a using",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root!.ReplaceNode(block, fixedBlock.WithAdditionalAnnotations(Formatter.Annotation)))),
            "FOLIO003.Using"), context.Diagnostics[0]);
    }

    private static BlockSyntax? WrapInUsing(BlockSyntax block, LocalDeclarationStatementSyntax statement, VariableDeclarationSyntax declaration, int index, int release, List<StatementSyntax> rest)
    {
        var inside = rest.Take(release).ToList();
        var after = rest.Skip(release + 1).ToList();
        // Locals declared inside must not be needed after the using ends.
        var declared = inside.OfType<LocalDeclarationStatementSyntax>().SelectMany(d => d.Declaration.Variables).Select(v => v.Identifier.Text).ToList();
        if (after.Any(s => s.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && declared.Contains(t.Text))))
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
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: "Unmap" or "Dispose" },
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
