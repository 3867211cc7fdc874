using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Folios.CodeFixes.Rewrites;

/// <summary>
/// <c>var f = a.Allocate(order, flags)</c> becomes <c>var f = a.AllocateContiguous(a.PageSize &lt;&lt; order, flags)</c>
/// when <c>f</c> is only used as memory (<c>Span</c>, <c>Length</c>) and freed with <c>a.Free(f);</c>, which becomes
/// <c>f.Dispose();</c>. The buffer has the folio's size, and AllocateContiguous honours NoFail with order-0 pages.
/// </summary>
internal static class AllocateContiguousRewrite
{
    public static SyntaxNode? TryApply(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax allocate, CancellationToken cancellation)
    {
        if (allocate.Expression is not MemberAccessExpressionSyntax { Name.Identifier.Text: Names.PageAllocator.Allocate } access
            || !SyntaxChecks.IsSafeToRepeat(access.Expression)
            || SyntaxChecks.PositionalArguments(allocate) is not { Count: 2 } arguments
            || allocate.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || declaration.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0 } statement
            || model.GetDeclaredSymbol(declarator, cancellation) is not ILocalSymbol local
            || local.Type is not INamedTypeSymbol { Name: Names.Folio.TypeName })
            return null;

        var frees = new List<InvocationExpressionSyntax>();
        // The whole member: a local declared in a switch section is in scope in the other sections too.
        var scope = statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? statement.SyntaxTree.GetRoot(cancellation);
        foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellation).Symbol, local))
                continue;
            if (name.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Folio.Span or Names.Span.Length } member && member.Expression == name)
                continue;
            if (FreeStatement(name, access.Expression, model, cancellation) is not { } free)
                return null;
            frees.Add(free);
        }

        var order = arguments[0] is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            ? arguments[0].WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(arguments[0].WithoutTrivia());
        var size = SyntaxFactory.BinaryExpression(SyntaxKind.LeftShiftExpression,
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, access.Expression.WithoutTrivia(), SyntaxFactory.IdentifierName(Names.PageAllocator.PageSize)),
            order).WithTriviaFrom(arguments[0]);
        var contiguous = allocate
            .WithExpression(access.WithName(SyntaxFactory.IdentifierName(Names.PageAllocator.AllocateContiguous).WithTriviaFrom(access.Name)))
            .WithArgumentList(allocate.ArgumentList.WithArguments(allocate.ArgumentList.Arguments.Replace(allocate.ArgumentList.Arguments[0], SyntaxFactory.Argument(size))));

        var replacements = new Dictionary<SyntaxNode, SyntaxNode> { [allocate] = contiguous };
        if (!declaration.Type.IsVar)
            replacements[declaration.Type] = SyntaxFactory.ParseTypeName("global::Folios.ContiguousBuffer").WithTriviaFrom(declaration.Type).WithAdditionalAnnotations(Simplifier.Annotation);
        foreach (var free in frees)
        {
            replacements[free] = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(local.Name), SyntaxFactory.IdentifierName(Names.Disposable.Dispose)))
                .WithTriviaFrom(free);
        }
        return root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
    }

    /// <summary>The call in <c>allocator.Free(name);</c> when it frees through the allocator that allocated.</summary>
    private static InvocationExpressionSyntax? FreeStatement(IdentifierNameSyntax name, ExpressionSyntax allocator, SemanticModel model, CancellationToken cancellation) =>
        name.Parent is ArgumentSyntax { NameColon: null, RefKindKeyword.RawKind: 0, Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax free } }
        && free.Parent is ExpressionStatementSyntax
        && free.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.PageAllocator.Free } freeAccess
        && SyntaxFactory.AreEquivalent(freeAccess.Expression, allocator)
        && model.GetSymbolInfo(free, cancellation).Symbol is IMethodSymbol { ContainingType: { Name: Names.PageAllocator.TypeName, ContainingNamespace.Name: Names.Runtime.Namespace } }
            ? free
            : null;
}
