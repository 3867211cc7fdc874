using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rewrites;

/// <summary>Removes the NoFail flag from a flags expression written out in place.</summary>
internal static class NoFailFlags
{
    /// <summary>
    /// The flags expression with its NoFail operand removed (<c>X.NoFail</c> becomes <c>X.None</c>,
    /// <c>a | X.NoFail</c> becomes <c>a</c>), or null when NoFail is not spelled out in it.
    /// </summary>
    public static ExpressionSyntax? Without(ExpressionSyntax flags)
    {
        switch (flags)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "NoFail" } noFail:
                return noFail.WithName(SyntaxFactory.IdentifierName("None"));
            case ParenthesizedExpressionSyntax parenthesized:
                return Without(parenthesized.Expression) is { } inner ? parenthesized.WithExpression(inner) : null;
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression):
                if (IsNoFail(binary.Right))
                    return binary.Left.WithTrailingTrivia(binary.Right.GetTrailingTrivia());
                if (IsNoFail(binary.Left))
                    return binary.Right.WithLeadingTrivia(binary.Left.GetLeadingTrivia());
                if (Without(binary.Left) is { } left)
                    return binary.WithLeft(left);
                return null;
            default:
                return null;
        }
    }

    private static bool IsNoFail(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "NoFail" };
}
