using Folios.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rewrites;

/// <summary>Removes named flags from a flags expression written out in place (<c>X.A | X.B</c>).</summary>
internal static class FlagsRewrite
{
    /// <summary>
    /// The flags expression without the flags named in <paramref name="names"/> (<c>X.NoFail</c> becomes <c>X.None</c>,
    /// <c>a | X.NoFail</c> becomes <c>a</c>), or null when none of them is spelled out in it.
    /// </summary>
    public static ExpressionSyntax? Without(ExpressionSyntax flags, IReadOnlyCollection<string> names)
    {
        var rest = Remove(flags, names, out bool changed);
        if (!changed)
            return null;
        return rest ?? flags.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().First()
            .WithName(SyntaxFactory.IdentifierName(Names.AllocFlags.None)).WithTriviaFrom(flags);
    }

    /// <summary>What remains of <paramref name="flags"/> without the named flags; null when nothing remains.</summary>
    private static ExpressionSyntax? Remove(ExpressionSyntax flags, IReadOnlyCollection<string> names, out bool changed)
    {
        switch (flags)
        {
            case MemberAccessExpressionSyntax member when names.Contains(member.Name.Identifier.ValueText):
                changed = true;
                return null;
            case ParenthesizedExpressionSyntax parenthesized:
                var inner = Remove(parenthesized.Expression, names, out changed);
                return inner is null ? null : parenthesized.WithExpression(inner);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression):
                var left = Remove(binary.Left, names, out bool leftChanged);
                var right = Remove(binary.Right, names, out bool rightChanged);
                changed = leftChanged || rightChanged;
                if (left is null)
                    return right?.WithLeadingTrivia(binary.Left.GetLeadingTrivia());
                if (right is null)
                    return left.WithTrailingTrivia(binary.Right.GetTrailingTrivia());
                return binary.WithLeft(left).WithRight(right);
            default:
                changed = false;
                return flags;
        }
    }
}
