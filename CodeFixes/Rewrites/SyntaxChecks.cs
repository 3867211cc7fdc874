using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rewrites;

/// <summary>Small syntax questions the rewrites share.</summary>
internal static class SyntaxChecks
{
    /// <summary>An expression that reads a name and nothing else, so writing it twice neither repeats work nor side effects.</summary>
    public static bool IsSafeToRepeat(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax or ThisExpressionSyntax or LiteralExpressionSyntax or PredefinedTypeSyntax => true,
        MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression) => IsSafeToRepeat(access.Expression),
        ParenthesizedExpressionSyntax parenthesized => IsSafeToRepeat(parenthesized.Expression),
        BinaryExpressionSyntax binary => IsSafeToRepeat(binary.Left) && IsSafeToRepeat(binary.Right),
        _ => false,
    };

    /// <summary>A statement that can be replaced by others without changing which statement an <c>else</c> or a label belongs to.</summary>
    public static bool IsInStatementList(StatementSyntax statement) =>
        statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax;

    /// <summary>
    /// <paramref name="preferred"/>, or it with a number appended, so that it names nothing in the enclosing member:
    /// a new local must neither clash with nor shadow any name the member already uses.
    /// </summary>
    public static string UniqueName(SyntaxNode within, SemanticModel model, string preferred)
    {
        var member = within.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)within.SyntaxTree.GetRoot();
        var taken = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        foreach (var symbol in model.LookupSymbols(within.SpanStart))
            taken.Add(symbol.Name);
        string name = preferred;
        for (int suffix = 2; taken.Contains(name); suffix++)
            name = preferred + suffix;
        return name;
    }

    /// <summary>The positional argument expressions of a call, or null when any is named or out of order.</summary>
    public static IReadOnlyList<ExpressionSyntax>? PositionalArguments(InvocationExpressionSyntax invocation)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return null;
        return arguments.Select(a => a.Expression).ToList();
    }

    /// <summary>True when a local declared in <paramref name="inside"/> is named in <paramref name="after"/>: moving the statements into a block would hide it.</summary>
    public static bool DeclaresNamesUsedIn(IEnumerable<StatementSyntax> inside, IEnumerable<StatementSyntax> after)
    {
        var declared = new HashSet<string>(inside.OfType<LocalDeclarationStatementSyntax>().SelectMany(d => d.Declaration.Variables).Select(v => v.Identifier.ValueText));
        return after.SelectMany(s => s.DescendantTokens()).Any(t => t.IsKind(SyntaxKind.IdentifierToken) && declared.Contains(t.ValueText));
    }
}
