using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.CodeFixes.Rewrites;

/// <summary>What the pool fixes ask of a statement: is it the return of an array to a pool, does it name a variable, can the flow leave through it.</summary>
internal static class PoolReturns
{
    /// <summary><c>pool.Return(array)</c> or <c>pool.Return(array, clearArray: ...)</c> as a statement of its own, for the named array.</summary>
    public static bool IsReturnOf(StatementSyntax statement, string array) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: Analyzers.Names.ArrayPool.Return } } call }
        && call.ArgumentList.Arguments.Count > 0 && call.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax returned && returned.Identifier.ValueText == array;

    /// <summary>Whether any of the nodes names the variable (a token of that name: the fixes decline rather than guess about shadowing).</summary>
    public static bool Mention(IEnumerable<SyntaxNode> nodes, string name) =>
        nodes.SelectMany(node => node.DescendantTokens()).Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name);

    /// <summary>Whether control may leave a statement other than by falling through it: moving code across it would change what runs.</summary>
    public static bool MayLeave(StatementSyntax statement) =>
        statement.DescendantNodesAndSelf(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(node => node is ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax);
}
